"""Issue #4 — simulator speed: ``simulate()``, a slider move through the Dash endpoint, the tornado chart."""
from __future__ import annotations

import json
import time
from statistics import median

from benchmarks import Measure, time_ms

ISSUE = "#4 simulateur"


def slider_request(sim, deps, concept: str, value: int) -> dict:
    """The JSON body the browser posts when the 'auditeurs_croisiere' slider is released at ``value``."""
    dep = next(d for d in deps if d["output"].startswith("..sim-state.data..."))
    outputs = []
    for part in dep["output"].strip(".").split("..."):
        cid, _, prop = part.rpartition(".")
        if '"ALL"' in cid:
            kind = json.loads(cid)["type"]
            outputs.append([{"id": {"name": n, "type": kind}, "property": prop} for n in sim.SLIDERS])
        else:
            outputs.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    sliders = [{"id": {"name": n, "type": "sim-slider"}, "property": "value", "value": 1} for n in sim.SLIDERS]
    sliders[sim.SLIDERS.index("auditeurs_croisiere")]["value"] = value
    state = {"concept": concept, "ville": "54329", "overrides": {}, "scenario": None}
    return {"output": dep["output"], "outputs": outputs,
            "inputs": [{"id": "sim-concept", "property": "value", "value": concept},
                       {"id": {"name": "sim", "type": "commune-search"}, "property": "value", "value": "54329"},
                       sliders, {"id": "sim-grid", "property": "cellValueChanged", "value": None},
                       {"id": "sim-reset", "property": "n_clicks", "value": None},
                       {"id": "sim-loaded", "property": "data", "value": None},
                       {"id": "sim-saved", "property": "data", "value": None}],
            "changedPropIds": ['{"name":"auditeurs_croisiere","type":"sim-slider"}.value'],
            "state": [{"id": "sim-state", "property": "data", "value": state}]}


def show_request(deps, state: dict) -> dict:
    """The JSON body the browser posts to render ``state`` (the callback fed by ``sim-state``, not the tornado)."""
    dep = next(d for d in deps if d["output"].startswith("..sim-url.search..."))
    outputs = []
    for part in dep["output"].strip(".").split("..."):
        cid, _, prop = part.rpartition(".")
        if '"ALL"' in cid:
            from components.simulator_state import slider_names
            kind = json.loads(cid)["type"]
            outputs.append([{"id": {"name": n, "type": kind}, "property": prop} for n in slider_names()])
        else:
            outputs.append({"id": cid, "property": prop})
    return {"output": dep["output"], "outputs": outputs,
            "inputs": [{"id": "sim-state", "property": "data", "value": state}],
            "changedPropIds": ["sim-state.data"], "state": []}


def slider_move(client, sim, deps, concept: str, value: int):
    """One slider step as the browser runs it: events → state, then state → view (two requests)."""
    resp = client.post("/_dash-update-component", json=slider_request(sim, deps, concept, value))
    assert resp.status_code == 200
    state = resp.get_json()["response"]["sim-state"]["data"]
    resp = client.post("/_dash-update-component", json=show_request(deps, state))
    assert resp.status_code == 200
    return resp


def run() -> list[Measure]:
    from models.simulator import default_parameters, sensitivity, simulate

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
