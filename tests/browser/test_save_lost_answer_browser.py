"""Issue 19, part 2, in Chromium: a save whose answer is lost says so and asks to check the list; clicking again
sends the same idempotency key, so the save that did land is recognised, not made twice.

The answer is lost in the page itself: ``window.fetch`` is wrapped so that the save request reaches the server
(which commits it) and its answer is replaced by what the browser gets when the worker is killed behind nginx
(a 502 page), or by a network failure (the connection cut: no answer at all)."""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import click

DROP = """
window.__dropSaves = 1;
const realFetch = window.fetch;
window.fetch = function (url, opts) {
  const answer = realFetch.apply(this, arguments);
  const body = opts && typeof opts.body === 'string' ? opts.body : '';
  if (window.__dropSaves > 0 && String(url).includes('_dash-update-component') && body.includes('sim-save-request')) {
    window.__dropSaves -= 1;
    return answer.then(r => r.text()).then(() => arguments[0] === 'cut'
      ? Promise.reject(new TypeError('Failed to fetch'))
      : new Response('<h1>502</h1>', {status: 502, headers: {'Content-Type': 'text/html'}}));
  }
  return answer;
};
""".replace("arguments[0] === 'cut'", "window.__dropKind === 'cut'")


def _table_rows(b, name):
    return [r for r in b.find_element(By.ID, "sim-scen-table").text.splitlines() if name in r]


@pytest.mark.parametrize("kind", ["502", "cut"])
# the renderer logs the callback that got no answer (the failure this test provokes): that entry only
@pytest.mark.console_errors_expected(r"dash_renderer[^ ]*\.js \d+:\d+ (Object|.*Callback failed|.*Failed to fetch)")
def test_a_lost_save_answer_says_check_the_list_and_a_retry_is_not_a_duplicate(dash_server, browser, kind):
    name = f"Réponse perdue {kind}"
    browser.get(dash_server + "/simulateur?ville=54329&concept=hub")
    wait = WebDriverWait(browser, 60, poll_frequency=0.2)
    field = wait.until(lambda b: b.find_elements(By.ID, "sim-scen-name") and b.find_element(By.ID, "sim-scen-name"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", field)
    field.send_keys(name)
    browser.execute_script(DROP + f"window.__dropKind = {kind!r};")
    click(browser, browser.find_element(By.ID, "sim-save"))

    # 502: the request ended without its answer (two ticks); cut: no answer within 20 s
    WebDriverWait(browser, 60, poll_frequency=0.2).until(
        lambda b: "Enregistrement incertain" in b.find_element(By.ID, "sim-save-uncertain").text)
    assert "vérifiez la liste" in browser.find_element(By.ID, "sim-save-uncertain").text.lower()
    assert "enregistré :" not in browser.find_element(By.ID, "sim-scen-msg").text  # no false success
    assert browser.execute_script("return window.__dropSaves;") == 0  # the save request did go out
    wait.until(lambda b: len(_table_rows(b, name)) == 1)  # the list was re-read: the save had landed, once

    click(browser, browser.find_element(By.ID, "sim-save"))  # the user tries again: same content, same key
    wait.until(lambda b: "enregistré" in b.find_element(By.ID, "sim-scen-msg").text)
    msg = browser.find_element(By.ID, "sim-scen-msg").text
    assert "version 1 " in msg, msg  # the first save recognised, not a version 2
    wait.until(lambda b: b.find_element(By.ID, "sim-save-uncertain").text == "")
    sid = re.search(r"n° (\d+)", msg).group(1)
    rows = _table_rows(browser, name)
    assert len(rows) == 1 and rows[0].startswith(sid), rows

    click(browser, browser.find_element(By.ID, "sim-save"))  # a new click once answered: a new version
    wait.until(lambda b: "version 2 " in b.find_element(By.ID, "sim-scen-msg").text)
    wait.until(lambda b: len(_table_rows(b, name)) == 2)
