"""Issues #11 and #19 — load: 20 clients for 30 s with the optimiser in the mix, on loopback, bounded.

16 clients loop over three requests as a browser sends them: the shell ``GET /``, the page of Verdun
(``/ville/55545``: the router callback that builds its layout) and a simulator slider move; 4 clients loop over
optimisations of /couverture (the render callback with ``opt``, k and minutes varied so most are not cached), as
the renderer does it (a background job polled every 400 ms when the app runs them in the background).

Two set-ups:
- ``avant``: the set-up before issue 19 — gunicorn alone (gunicorn.conf.py with sync workers, 2 processes),
  the optimiser computed inside the request;
- ``apres``: ``make serve`` — nginx in front of gunicorn gthread (2 x 8 threads), the optimiser a background job.

The load generator runs on the same machine (same cores) as the server: its own CPU use is in the figures.

    python -m benchmarks.bench_load [--seconds 30] [--clients 20] [--mode avant|apres|both]

``python -m benchmarks`` measures ``apres`` only (budget: p95 of ``/`` and ``/ville/55545`` ≤ 500 ms, 0 errors).
"""
from __future__ import annotations

import argparse
import os
import threading
import time

import numpy as np
import requests

from benchmarks import Measure

ISSUE = "#19 charge"
TOWN = "55545"
OPTIMISERS = 4  # of the clients
BUDGET_MS = 500
SETUPS = {"avant": ("gunicorn-sync", {"ATLAS_SYNC_CALLBACKS": "1"}), "apres": ("stack", {})}


def _bodies(url: str) -> dict:
    from benchmarks.bench_simulator import slider_request
    from components import coverage_state as cs
    from components import network_editor as editor
    from components.simulator_state import slider_names
    from models.stores import network as netmod
    from tests.dash_client import page_body, request_body

    class Sim:  # what slider_request needs of the simulator page
        SLIDERS = list(slider_names())

    deps = requests.get(url + "/_dash-dependencies", timeout=30).json()
    store = editor.network_store(netmod.Network(sites=netmod.reference_network()))
    optimise = [request_body(deps, "cov-state.data", {
        "cov-state.data": {**cs.DEFAULTS, "k": k, "minutes": m, "candidats": "acv_bv", "opt": True},
        "cov-network-store.data": store, "cov-rendered.data": {}}, output="cov-map.figure")
        for m in (30, 45, 20, 60) for k in range(4, 16)]
    return {"town": page_body(f"/ville/{TOWN}"), "optimise": optimise,
            "sliders": [slider_request(Sim, deps, "hub", v) for v in range(60, 300, 10)]}


def _light_client(url, bodies, stop_at, out, errors, i):
    s = requests.Session()
    n = i
    while time.perf_counter() < stop_at:
        n += 1
        for name, method, path, body in (
                ("/", "GET", "/", None),
                (f"/ville/{TOWN}", "POST", "/_dash-update-component", bodies["town"]),
                ("simulateur (callback)", "POST", "/_dash-update-component",
                 bodies["sliders"][n % len(bodies["sliders"])])):
            t0 = time.perf_counter()
            try:
                r = s.request(method, url + path, json=body, timeout=30)
                ok = r.status_code == 200 and (method == "GET" or b'"response"' in r.content[:200])
            except requests.RequestException:
                ok = False
            (out[name] if ok else errors).append((time.perf_counter() - t0) * 1000 if ok else name)


def _optimiser_client(url, bodies, stop_at, out, errors, i):
    from tests.production.stack import call, end_id

    s = requests.Session()
    end = end_id(s, url)
    n = i * 7
    while time.perf_counter() < stop_at:
        n += 1
        try:
            _first, total, data, _bg = call(s, url, bodies["optimise"][n % len(bodies["optimise"])], end, timeout=120)
            ok = bool(data and "response" in data)
        except (requests.RequestException, TimeoutError):
            ok, total = False, 0
        (out["optimisation (résultat)"] if ok else errors).append(total * 1000 if ok else "optimisation")


def measure(mode: str = "apres", seconds: float = 30, clients: int = 20) -> dict:
    """Run the load on one set-up; returns {request: [ms…]}, errors, requests per second."""
    from tests.production.stack import running

    kind, env = SETUPS[mode]
    with running(kind, env) as url:
        bodies = _bodies(url)
        for _ in range(4):  # warm both workers a little
            requests.post(url + "/_dash-update-component", json=bodies["town"], timeout=60)
            requests.post(url + "/_dash-update-component", json=bodies["sliders"][0], timeout=60)
        out = {"/": [], f"/ville/{TOWN}": [], "simulateur (callback)": [], "optimisation (résultat)": []}
        errors: list = []
        t0 = time.perf_counter()
        threads = [threading.Thread(target=_optimiser_client if i < OPTIMISERS else _light_client,
                                    args=(url, bodies, t0 + seconds, out, errors, i)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 150)  # bounded: a stuck request times out after 30 s, an optimisation after 120 s
        elapsed = time.perf_counter() - t0
    total = sum(len(v) for k, v in out.items() if not k.startswith("optimisation"))
    return {"ms": out, "errors": errors, "rps": total / elapsed, "elapsed": elapsed}


def _load() -> str:
    """The machine's load averages (1, 5, 15 min): other work on the same cores weighs on every figure."""
    return " / ".join(f"{x:.1f}".replace(".", ",") for x in os.getloadavg())


def measures(mode: str, seconds: float, clients: int) -> list[Measure]:
    before = _load()
    res = measure(mode, seconds, clients)
    label = (f"{mode} : {clients} clients dont {OPTIMISERS} optimiseurs, {seconds:g} s, générateur sur les mêmes "
             f"{os.cpu_count()} cœurs ; charge de la machine {before} avant, {_load()} après")
    kinds = sorted(set(res["errors"]))
    ms = [Measure(ISSUE, f"{mode} débit hors optimisations ({label})", res["rps"], "req/s"),
          Measure(ISSUE, f"{mode} erreurs (réponses non 200 ou expirées{' : ' + ', '.join(kinds) if kinds else ''})",
                  len(res["errors"]), "", 0 if mode == "apres" else None)]
    for name, values in res["ms"].items():
        if values:
            p50, p95, p99 = np.percentile(values, [50, 95, 99])
            budget = BUDGET_MS if mode == "apres" and name in ("/", f"/ville/{TOWN}") else None
            ms += [Measure(ISSUE, f"{mode} {name} p50 ({len(values)} requêtes)", p50, "ms"),
                   Measure(ISSUE, f"{mode} {name} p95", p95, "ms", budget),
                   Measure(ISSUE, f"{mode} {name} p99", p99, "ms")]
    return ms


def run(seconds: float | None = None, clients: int = 20) -> list[Measure]:
    from deploy.serve import find_nginx

    seconds = seconds or float(os.environ.get("ATLAS_LOAD_SECONDS", "30"))
    if find_nginx() is None:
        raise RuntimeError("nginx absent (make nginx-deps) : charge de la pile de production non mesurée")
    return measures("apres", seconds, clients)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--mode", choices=["avant", "apres", "both"], default="both")
    a = ap.parse_args()
    for mode in (["avant", "apres"] if a.mode == "both" else [a.mode]):
        for m in measures(mode, a.seconds, a.clients):
            budget = "" if m.budget is None else f"(budget ≤ {m.budget:g} {m.unit})"
            print(f"{m.name:<110} {m.value:>10.1f} {m.unit} {budget}", flush=True)
