"""Issue 19, part 1, in a real browser on the production stack: "Optimiser" shows the bar and "Annuler le calcul"
while the background job runs; the cancel hides the bar, ends the job and shows no result; a second run shows the
result; a shared link with ``opt=1`` starts the same job on load.

Waits on state, never on time: jobs run one at a time (a lock file per slot, components/jobs.py), so the test holds
the slot itself while it looks at the running job and cancels it (the job waits for the slot: it cannot end before
the test has seen it, however fast the solver is), and it knows the job's process by the lock file it has open.
(Before: a solve that ended before Selenium looked, a cancel that had not reached the server when the page moved on,
and a job forked from the threaded worker that hung holding the slot made this test fail now and then.)"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from deploy.serve import find_nginx
from tests.browser.conftest import chrome, chrome_available, click, console_errors
from tests.production.stack import holding_the_slot, job_processes, running

pytestmark = pytest.mark.skipif(find_nginx() is None or not chrome_available(),
                                reason="nginx ou Chromium absent (`make nginx-deps`, `make browser-deps`)")
QUERY = "/couverture?k=12&candidats=acv_bv&objectif=apprenants&minutes=30"  # about a second of solving
SLOW = "/couverture?k=40&candidats=toutes&minutes=45&methode=rapide"  # every commune a candidate: ~12 s here


def _shown(b, cid):
    els = b.find_elements(By.ID, cid)
    return bool(els) and els[0].is_displayed()


def _ready(b, jobs: Path):
    """The page is there, no job of it is shown running, and no job of any page exists."""
    return b.find_elements(By.ID, "cov-optimise") and not _shown(b, "cov-job") and not job_processes(jobs)


def test_optimise_shows_progress_cancel_then_result():
    jobs = Path(tempfile.mkdtemp(prefix="atlas-jobs-"))
    with running("stack", {"ATLAS_JOBS_DIR": str(jobs)}) as url:
        b = chrome(logs=True)
        try:
            wait = WebDriverWait(b, 120, poll_frequency=0.1)
            b.get(url + SLOW)
            wait.until(lambda d: _ready(d, jobs))
            with holding_the_slot(jobs):
                click(b, b.find_element(By.ID, "cov-optimise"))
                wait.until(lambda d: _shown(d, "cov-job") and _shown(d, "cov-job-cancel"))
                assert "en cours" in b.find_element(By.ID, "cov-job").text
                assert b.find_element(By.ID, "cov-optimise").get_attribute("disabled")
                wait.until(lambda d: job_processes(jobs))  # the job exists (waiting for the slot)
                click(b, b.find_element(By.ID, "cov-job-cancel"))
                wait.until(lambda d: not _shown(d, "cov-job"))
                wait.until(lambda d: not job_processes(jobs))  # the cancel reached the server: the job is gone
            assert "40 nouveaux sites" not in b.find_element(By.ID, "cov-opt-message").text  # no result shown

            b.get(url + QUERY)  # another page, an optimisation to the end
            wait.until(lambda d: _ready(d, jobs))
            click(b, b.find_element(By.ID, "cov-optimise"))
            WebDriverWait(b, 300, poll_frequency=0.3).until(
                lambda d: "12 nouveaux sites :" in d.find_element(By.ID, "cov-opt-message").text)
            wait.until(lambda d: not _shown(d, "cov-job"))
            assert not b.find_element(By.ID, "cov-optimise").get_attribute("disabled")

            # a shared link to an optimisation (opt=1): the page starts the job itself (bar first), then the result
            with holding_the_slot(jobs):
                b.get(url + QUERY.replace("k=12", "k=11") + "&opt=1")
                wait.until(lambda d: _shown(d, "cov-job") and job_processes(jobs))  # started by the page, waiting
                assert "→" not in b.find_element(By.ID, "cov-kpis").text  # the page request did not optimise
            WebDriverWait(b, 300, poll_frequency=0.3).until(
                lambda d: "11 nouveaux sites :" in d.find_element(By.ID, "cov-opt-message").text)
            wait.until(lambda d: not _shown(d, "cov-job"))
            assert "→" in b.find_element(By.ID, "cov-kpis").text  # before → after, computed by the job
            assert console_errors(b) == []  # as every browser test: an empty console through nginx too
        finally:
            b.quit()
