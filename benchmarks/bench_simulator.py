"""Issue #4 — simulator speed: ``simulate()``, a slider move through the Dash endpoint, the tornado chart."""
from __future__ import annotations

import json
import time
from statistics import median

from benchmarks import Measure, time_ms

from tests.dash_client import request_body  # the same request builder as the callback tests

ISSUE = "#4 simulateur"


SLIDER_TYPES = ("sim-slider", "sim-slider-row", "sim-slider-value")


def slider_request(sim, deps, concept: str, value: int) -> dict:
    """The JSON body the browser posts when the 'auditeurs_croisiere' slider is released at ``value``."""
    moved = json.dumps({"name": "auditeurs_croisiere", "type": "sim-slider"}, separators=(",", ":")) + ".value"
    sliders = [{"id": {"name": n, "type": "sim-slider"}, "property": "value",
                "value": value if n == "auditeurs_croisiere" else 1} for n in sim.SLIDERS]
    values = {"sim-concept.value": concept, '{"name":"sim","type":"commune-search"}.value': "54329",
              '{"name":["ALL"],"type":"sim-slider"}.value': sliders,
              "sim-state.data": {"concept": concept, "ville": "54329", "overrides": {}, "scenario": None}}
    return request_body(deps, "sim-concept.value", values, changed=moved,
                        expand={t: list(sim.SLIDERS) for t in SLIDER_TYPES})


def show_request(sim, deps, state: dict) -> dict:
    """The JSON body the browser posts to render ``state`` (the callback fed by ``sim-state``, not the tornado)."""
    return request_body(deps, "sim-state.data", {"sim-state.data": state},
                        expand={t: list(sim.SLIDERS) for t in SLIDER_TYPES}, output="sim-url.search")


def slider_move(client, sim, deps, concept: str, value: int):
    """One slider step as the browser runs it: events → state, then state → view (two requests)."""
    resp = client.post("/_dash-update-component", json=slider_request(sim, deps, concept, value))
    assert resp.status_code == 200
    state = resp.get_json()["response"]["sim-state"]["data"]
    resp = client.post("/_dash-update-component", json=show_request(sim, deps, state))
    assert resp.status_code == 200
    return resp


def run() -> list[Measure]:
    from models.domain.simulator import default_parameters, sensitivity, simulate

    params = default_parameters("hub")
    out = [Measure(ISSUE, "simulate() — années 0 à 6 + KPI (hub)", time_ms(lambda: simulate(params), 200), "ms", 5)]

    import app
    from components.simulator_charts import tornado_figure
    from pages import simulateur as sim

    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    slider_move(client, sim, deps, "hub", 100)  # warm-up (town context cache, first import)
    runs = []
    for value in range(100, 300, 5):
        t0 = time.perf_counter()
        slider_move(client, sim, deps, "hub", value)
        runs.append((time.perf_counter() - t0) * 1000)
    out.append(Measure(ISSUE, "curseur → état → vue (2 requêtes /_dash-update-component, médiane)", median(runs),
                       "ms", 30))
    out.append(Measure(ISSUE, "sensibilité (±20 %) + figure tornado", time_ms(
        lambda: tornado_figure(sensitivity(params)), 50), "ms", 150))
    tornado_body = {"output": "sim-fig-tornado.figure", "outputs": {"id": "sim-fig-tornado", "property": "figure"},
                    "inputs": [{"id": "sim-state", "property": "data",
                                "value": {"concept": "hub", "ville": "54329", "overrides": {}, "scenario": None}}],
                    "changedPropIds": ["sim-state.data"], "state": []}
    out.append(Measure(ISSUE, "tornado via /_dash-update-component", time_ms(
        lambda: client.post("/_dash-update-component", json=tornado_body), 30), "ms", 150))
    return out
