"""Issue 19, part 1: the optimiser of /couverture runs off the request path (Dash background callback, diskcache
manager) in the production stack: the request that starts it answers a job handle at once, `/` keeps answering
while it runs, the result is the one the synchronous callback gives, and "Annuler le calcul" ends the job's process.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time

import pytest
import requests

from components import coverage_state as cs
from components import network_editor as editor
from deploy.serve import find_nginx
from models.stores import network as netmod
from tests.dash_client import request_body
from tests.production.stack import call, end_id, running

pytestmark = [
    pytest.mark.skipif(find_nginx() is None, reason="nginx absent : `make nginx-deps` l'installe (paquet Debian "
                       "nginx-light, root ou sudo), la pile de production n'est pas testée"),
]
STORE = editor.network_store(netmod.Network(sites=netmod.reference_network()))
OPTIMISE = {**cs.DEFAULTS, "k": 8, "candidats": "acv_bv", "opt": True}


def _diskcache_installed() -> bool:
    try:
        import diskcache  # noqa: F401
        import multiprocess  # noqa: F401
        import psutil  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def stack():
    if not _diskcache_installed():
        pytest.fail("diskcache / multiprocess / psutil absents : `make` installe requirements.txt")
    with running("stack") as url:
        s = requests.Session()
        yield url, s, end_id(s, url), s.get(url + "/_dash-dependencies", timeout=30).json()


def _render_body(deps, state):
    return request_body(deps, "cov-state.data", {"cov-state.data": state, "cov-network-store.data": STORE,
                                                 "cov-rendered.data": {}}, output="cov-map.figure")


def test_optimiser_is_a_background_job_and_the_shell_keeps_answering(stack):
    url, session, end, deps = stack
    result = {}

    def optimise():
        result["call"] = call(requests.Session(), url, _render_body(deps, OPTIMISE), end)

    worker = threading.Thread(target=optimise)
    worker.start()
    shell = []
    while worker.is_alive():
        t0 = time.perf_counter()
        r = requests.get(url + "/", timeout=10)
        shell.append((r.status_code, time.perf_counter() - t0))
        time.sleep(0.2)
    worker.join()
    first, total, data, background = result["call"]
    assert background, "the optimiser answered in the request, not as a background job"
    assert first < 2.0, f"starting the job took {first:.2f} s"
    assert len(shell) >= 3, f"the job ended too fast ({total:.2f} s) to show the shell answering meanwhile"
    assert all(code == 200 and dt < 1.5 for code, dt in shell), shell

    # the same outputs as the synchronous callback (the callback tests' path: ATLAS_SYNC_CALLBACKS=1)
    import app

    sync = app.server.test_client().post("/_dash-update-component", json=_render_body(deps, OPTIMISE)).get_json()
    got = data["response"]
    assert got["cov-chosen"]["rowData"] == sync["response"]["cov-chosen"]["rowData"]
    assert len(got["cov-chosen"]["rowData"]) == 8
    def message(out):  # the computing time it states ("… 11 s).") differs from one run to the other
        return re.sub(r"[\d,]+\xa0s\)", "N s)", json.dumps(out["cov-opt-message"], ensure_ascii=False))

    assert message(got) == message(sync["response"])
    assert "8 nouveaux sites" in message(got)


def test_cancel_ends_the_job_process(stack):
    url, session, end, deps = stack
    slow = {**OPTIMISE, "k": 40, "candidats": "toutes", "minutes": 45, "methode": "rapide"}  # ~12 s of solving here
    r = session.post(url + "/_dash-update-component", params={"endId": end}, json=_render_body(deps, slow), timeout=30)
    handle = r.json()
    pid = int(handle["job"].split("~")[0])
    assert os.path.exists(f"/proc/{pid}"), "the job process should be running"
    # forked by the worker's launcher, a process that never had a second thread (a fork from the threaded worker
    # can inherit a lock held by another thread and wait on it forever, holding the job slot)
    import psutil

    launcher = psutil.Process(pid).parent()
    assert launcher.num_threads() == 1 and "gunicorn" in " ".join(launcher.parent().cmdline())
    assert launcher.parent().num_threads() > 1  # the worker itself runs its threads
    assert handle["cancel"] == [{"id": "cov-job-cancel", "property": "n_clicks"}]
    cancel = request_body(deps, "cov-job-cancel.n_clicks", {"cov-job-cancel.n_clicks": 1})
    c = session.post(url + "/_dash-update-component", params={"endId": end, "cancelJob": handle["job"]}, json=cancel,
                     timeout=30)
    assert c.status_code in (200, 204)
    deadline = time.time() + 10
    while os.path.exists(f"/proc/{pid}") and time.time() < deadline:
        with open(f"/proc/{pid}/stat") as f:  # a zombie (reaped later by its parent) no longer runs
            if f.read().split(")")[-1].split()[0] == "Z":
                break
        time.sleep(0.1)
    gone = not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] == "Z"
    assert gone, "the job process still runs after the cancel"
    # polling the cancelled job gives no update (nothing half-computed is shown)
    poll = session.post(url + "/_dash-update-component", json=_render_body(deps, slow), timeout=30,
                        params={"endId": end, "cacheKey": handle["cacheKey"], "job": handle["job"]})
    assert poll.status_code == 204 or "response" not in poll.json()


def test_component_suites_come_from_nginx_cache_and_the_shell_never_does(stack):
    """Dash's versioned JavaScript is served by the app once, then by nginx (per encoding); the HTML shell, which
    carries a per-load token, is always the app's own answer."""
    url, session, _end, _deps = stack
    html = session.get(url + "/", timeout=30).text
    suites = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    assert len(suites) >= 5
    path = next(s for s in suites if "dash_renderer" in s)
    seen = []
    for encoding in ("gzip", "gzip", "identity", "identity"):
        r = requests.get(url + path, headers={"Accept-Encoding": encoding}, timeout=30)
        assert r.status_code == 200 and "max-age=31536000" in r.headers["Cache-Control"]
        assert r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"
        seen.append((r.headers.get("X-Cache"), r.headers.get("Content-Encoding"), r.content))
    assert [s[0] for s in seen] == ["MISS", "HIT", "MISS", "HIT"]  # one copy per encoding
    assert seen[0][1] == seen[1][1] == "gzip" and seen[2][1] is None and seen[3][1] is None
    assert seen[0][2] == seen[1][2] == seen[2][2] == seen[3][2]  # requests decompresses: the same file each time
    assert all("X-Cache" not in requests.get(url + "/", timeout=30).headers for _ in range(2))
    assert end_id(requests.Session(), url) != end_id(requests.Session(), url)  # one token per load, never shared


def test_no_job_outlives_the_server():
    """Stopping the stack (as Ctrl-C on `make serve`) ends the jobs too, even one still waiting for the slot: before,
    jobs forked from a worker outlived it (found hours later, one holding the slot of a deleted run folder)."""
    import tempfile
    from pathlib import Path

    from tests.production.stack import holding_the_slot, job_processes

    jobs = Path(tempfile.mkdtemp(prefix="atlas-jobs-"))
    with holding_the_slot(jobs):  # held to the end: a job that survived the server would still be waiting for it
        with running("stack", {"ATLAS_JOBS_DIR": str(jobs)}) as url:
            s = requests.Session()
            end = end_id(s, url)
            deps = s.get(url + "/_dash-dependencies", timeout=30).json()
            r = s.post(url + "/_dash-update-component", params={"endId": end}, timeout=30,
                       json=_render_body(deps, {**OPTIMISE, "k": 9}))
            pid = int(r.json()["job"].split("~")[0])
            deadline = time.time() + 60
            while pid not in job_processes(jobs) and time.time() < deadline:  # the job waits for our slot
                time.sleep(0.1)
            assert job_processes(jobs) == [pid]
        deadline = time.time() + 30  # the stack has stopped: its job goes with it
        while job_processes(jobs) and time.time() < deadline:
            time.sleep(0.2)
        assert job_processes(jobs) == []
