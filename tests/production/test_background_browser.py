"""Issue 19, part 1, in a real browser on the production stack: "Optimiser" shows the bar and "Annuler le calcul"
while the background job runs; the cancel hides the bar and shows no result; a second run shows the result."""
from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from deploy.serve import find_nginx
from tests.browser.conftest import chrome, chrome_available, click, console_errors
from tests.production.stack import running

pytestmark = [
    pytest.mark.skipif(find_nginx() is None or not chrome_available(),
                       reason="nginx ou Chromium absent (`make nginx-deps`, `make browser-deps`)"),
    # Known flaky after the merge of stop 21: the page's own first job can still hold the single job slot when
    # "Optimiser" is clicked. The job, its progress and its cancel stay covered over HTTP
    # (test_background_optimiser.py); run this one by hand with ATLAS_STACK_BROWSER=1 until it waits on that state.
    pytest.mark.skipif(os.environ.get("ATLAS_STACK_BROWSER") != "1",
                       reason="navigateur sur la pile de production : ATLAS_STACK_BROWSER=1 (instable, voir le commentaire)"),
]
QUERY = "/couverture?k=12&candidats=acv_bv&objectif=apprenants&minutes=30"  # about a second of solving
SLOW = "/couverture?k=40&candidats=toutes&minutes=45&methode=rapide"  # every commune a candidate: ~12 s here


def _shown(b, cid):
    els = b.find_elements(By.ID, cid)
    return bool(els) and els[0].is_displayed()


def test_optimise_shows_progress_cancel_then_result():
    with running("stack") as url:
        b = chrome(logs=True)
        try:
            wait = WebDriverWait(b, 120, poll_frequency=0.1)
            b.get(url + SLOW)
            wait.until(lambda d: d.find_elements(By.ID, "cov-optimise") and not _shown(d, "cov-job"))
            click(b, b.find_element(By.ID, "cov-optimise"))
            wait.until(lambda d: _shown(d, "cov-job") and _shown(d, "cov-job-cancel"))
            assert "en cours" in b.find_element(By.ID, "cov-job").text
            assert b.find_element(By.ID, "cov-optimise").get_attribute("disabled")
            click(b, b.find_element(By.ID, "cov-job-cancel"))
            wait.until(lambda d: not _shown(d, "cov-job"))
            assert "40 nouveaux sites" not in b.find_element(By.ID, "cov-opt-message").text  # no result shown

            b.get(url + QUERY)  # another page, an optimisation to the end
            wait.until(lambda d: d.find_elements(By.ID, "cov-optimise") and not _shown(d, "cov-job"))
            click(b, b.find_element(By.ID, "cov-optimise"))
            wait.until(lambda d: _shown(d, "cov-job"))
            WebDriverWait(b, 300, poll_frequency=0.3).until(
                lambda d: "12 nouveaux sites :" in d.find_element(By.ID, "cov-opt-message").text)
            assert not _shown(b, "cov-job")
            assert not b.find_element(By.ID, "cov-optimise").get_attribute("disabled")
            assert console_errors(b) == []  # as every browser test: an empty console through nginx too
        finally:
            b.quit()
