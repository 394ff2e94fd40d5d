"""The browser tests' ``click`` is a user's click: an element covered by another one cannot be clicked, so a UI
that hides a button behind a bar, a panel or a spinner fails its test (issue #17)."""
from __future__ import annotations

import pytest
from selenium.common.exceptions import ElementClickInterceptedException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import click

COVER = """const r = arguments[0].getBoundingClientRect(), d = document.createElement('div');
d.id = 'test-cover';
Object.assign(d.style, {position: 'fixed', left: (r.left - 5) + 'px', top: (r.top - 5) + 'px', width: (r.width + 10) + 'px',
                        height: (r.height + 10) + 'px', background: 'white', zIndex: 99999});
document.body.appendChild(d);"""


def test_a_covered_link_cannot_be_clicked_and_an_uncovered_one_can(dash_server, browser):
    browser.get(dash_server + "/sources")
    link = WebDriverWait(browser, 60).until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".atlas-navbar a[href='/classement']")))
    browser.execute_script(COVER, link)
    with pytest.raises(ElementClickInterceptedException):
        click(browser, link)
    assert browser.current_url.endswith("/sources")  # the covered link was not followed
    browser.execute_script("document.getElementById('test-cover').remove();")
    click(browser, link)
    WebDriverWait(browser, 60).until(lambda b: b.current_url.endswith("/classement"))
