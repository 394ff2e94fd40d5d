"""Issue #11 — load: gunicorn (2 workers, gunicorn.conf.py) on loopback, 20 clients for 30 s, bounded.

Each client loops over three requests as a browser sends them: the shell ``GET /``, the page of a town
(``/ville/<code>``: the router callback that builds its layout) and a simulator slider move (the callback that
computes the state). Prints throughput, p50/p95/p99 per request and the error count (budget: 0 errors).

    python -m benchmarks.bench_load [--seconds 30] [--clients 20]
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import requests

from benchmarks import Measure

ISSUE = "#11 charge"
ROOT = Path(__file__).resolve().parent.parent
TOWNS = ["54329", "08409", "55545", "88160", "51454", "10387", "67180", "57463"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    tmp = tempfile.mkdtemp(prefix="atlas-load-")
    env = {**os.environ, "ATLAS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
           "DATABASE_URL": f"sqlite:///{tmp}/load.db"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/_dash-layout", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("gunicorn n'a pas démarré")


def _bodies(url: str) -> dict:
    from benchmarks.bench_simulator import slider_request
    from tests.dash_client import page_body
    from components.simulator_state import slider_names

    class Sim:  # what slider_request needs of the simulator page
        SLIDERS = list(slider_names())

    deps = requests.get(url + "/_dash-dependencies", timeout=30).json()

    return {"towns": [page_body(f"/ville/{c}") for c in TOWNS],
            "sliders": [slider_request(Sim, deps, "hub", v) for v in range(60, 300, 10)]}


def _client(url, bodies, stop_at, out, errors, i):
    s = requests.Session()
    n = i
    while time.perf_counter() < stop_at:
        n += 1
        for name, method, path, body in (
                ("/", "GET", "/", None),
                ("/ville/<code>", "POST", "/_dash-update-component", bodies["towns"][n % len(bodies["towns"])]),
                ("simulateur (callback)", "POST", "/_dash-update-component",
                 bodies["sliders"][n % len(bodies["sliders"])])):
            t0 = time.perf_counter()
            try:
                r = s.request(method, url + path, json=body, timeout=30)
                ok = r.status_code == 200 and (method == "GET" or b'"response"' in r.content[:200])
            except requests.RequestException:
                ok = False
            (out[name] if ok else errors).append((time.perf_counter() - t0) * 1000 if ok else name)


def measure(seconds: float = 30, clients: int = 20) -> dict:
    """Run the load; returns {request: [ms…]}, errors, requests per second."""
    port = _port()
    proc = _start(port)
    url = f"http://127.0.0.1:{port}"
    try:
        bodies = _bodies(url)
        for b in bodies["towns"][:2] + bodies["sliders"][:2]:  # warm both workers' caches a little
            requests.post(url + "/_dash-update-component", json=b, timeout=60)
        out = {"/": [], "/ville/<code>": [], "simulateur (callback)": []}
        errors: list = []
        t0 = time.perf_counter()
        threads = [threading.Thread(target=_client, args=(url, bodies, t0 + seconds, out, errors, i))
                   for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 60)  # bounded: a stuck request times out after 30 s
        elapsed = time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    total = sum(len(v) for v in out.values())
    return {"ms": out, "errors": errors, "rps": total / elapsed, "elapsed": elapsed}


def run(seconds: float | None = None, clients: int = 20) -> list[Measure]:
    seconds = seconds or float(os.environ.get("ATLAS_LOAD_SECONDS", "30"))
    res = measure(seconds, clients)
    label = f"{clients} clients, {seconds:g} s, gunicorn 2 workers"
    ms = [Measure(ISSUE, f"débit ({label})", res["rps"], "req/s"),
          Measure(ISSUE, "erreurs (réponses non 200 ou expirées)", len(res["errors"]), "", 0)]
    for name, values in res["ms"].items():
        if values:
            p50, p95, p99 = np.percentile(values, [50, 95, 99])
            ms += [Measure(ISSUE, f"{name} p50 / p95 / p99 ({len(values)} requêtes) — p50", p50, "ms"),
                   Measure(ISSUE, f"{name} p95", p95, "ms"), Measure(ISSUE, f"{name} p99", p99, "ms")]
    return ms


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=20)
    a = ap.parse_args()
    for m in run(a.seconds, a.clients):
        print(f"{m.name:<70} {m.value:>10.1f} {m.unit}")
