"""Issue #7 budgets: coverage recompute, greedy and exact MCLP, threshold callbacks (state then view, caches
cleared), the "Optimiser" view (issue #10); comparison with PySAL spopt.

The spopt comparison solves the same instance (same estimated-time matrix, same demand, same threshold, the
existing sites imposed as ``predefined_facilities_arr``, p = existing + 12) with spopt 0.7.0's ``MCLP`` and
pulp's bundled CBC, and checks the objective values are equal.
"""
from __future__ import annotations

import time

import numpy as np

from benchmarks import Measure, time_ms

ISSUE = "#7 couverture"
K = 12
MINUTES = 30


def instance():
    """Existing network, ACV candidates + the 50 most populated other communes (not hosting a site)."""
    import geodata
    from models.stores.network import reference_network
    from models.domain.planning import candidate_codes

    existing = list(reference_network()["code_insee"])
    acv = candidate_codes("acv", exclude=existing)
    com = geodata.communes().sort_values("population", ascending=False)
    more = [c for c in com["code_insee"] if c not in set(existing) | set(acv)][:50]
    return existing, acv, acv + more


def spopt_comparison(existing, candidates) -> list[Measure]:
    import pulp
    from spopt.locate import MCLP

    import geodata
    from models.domain.planning import PlanningProblem, solve
    from models.domain.territory import Territory

    facilities = existing + candidates
    cost = Territory.from_geodata().minutes_from(facilities, dtype=np.float32).T.astype(float)  # (communes, facilities)
    weights = geodata.communes()["population"].to_numpy(float)
    t0 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, weights, MINUTES, p_facilities=len(existing) + K,
                                  predefined_facilities_arr=np.r_[np.ones(len(existing)), np.zeros(len(candidates))])
    t1 = time.perf_counter()
    model.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
    t2 = time.perf_counter()
    theirs = float(pulp.value(model.problem.objective))
    t3 = time.perf_counter()
    ours = solve(PlanningProblem.from_region(existing, candidates, MINUTES), K, "exact")
    t4 = time.perf_counter()
    return [
        Measure(ISSUE, f"spopt 0.7.0 MCLP (CBC) : construction du modèle, même instance", t1 - t0, "s"),
        Measure(ISSUE, f"spopt 0.7.0 MCLP (CBC) : résolution", t2 - t1, "s"),
        Measure(ISSUE, f"nous (HiGHS) : construction + résolution exacte", t4 - t3, "s"),
        Measure(ISSUE, f"objectif spopt − objectif nôtre (habitants couverts)", abs(theirs - ours.covered_demand),
                "hab", 0),
    ]


def _post(client, key: str, values: dict, changed: list[str]) -> dict:
    """One callback request as the browser sends it; returns the response."""
    import json

    import app

    spec = app.app.callback_map[key]

    def item(d):
        ident = json.loads(d["id"]) if d["id"].startswith("{") else d["id"]
        return {"id": ident, "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}

    outputs = [{"id": o.component_id, "property": o.component_property.split("@")[0]} for o in spec["output"]]
    payload = {"output": key, "outputs": outputs, "changedPropIds": changed,
               "inputs": [item(i) for i in spec["inputs"]], "state": [item(s) for s in spec["state"]]}
    r = client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json")
    assert r.status_code == 200
    return r.get_json()["response"]


def _render(state, store, rendered) -> tuple:
    """The render callback's work on the server, encoded as Dash answers it. The page runs it as a background job
    (components/jobs.py): in a browser the view also waits for the job's start and one poll (INTERVAL ms)."""
    from dash._utils import to_json

    from pages import couverture

    out = couverture.render(state, store, rendered)
    to_json(out)
    return out


def threshold_callback_ms() -> float:
    """Slider 30 ↔ 45 min: the reducer (events → state, HTTP) then the render (state → view, its server work)."""
    import app
    from components import coverage_state as cs
    from components import coverage_view as cv
    from components import network_editor as editor
    from models.stores import network as netmod
    from models.domain import planning as planner
    from pages import couverture

    client = app.server.test_client()
    client.get("/_dash-layout")
    reduce_key = next(k for k in app.app.callback_map if k.startswith("..cov-state.data"))
    store = editor.network_store(netmod.Network(sites=netmod.reference_network()))
    box = {"state": dict(cs.DEFAULTS), "rendered": {}}

    def move_slider():
        cv._coverage.cache_clear()  # no cache hit: every move is a new threshold for the models
        planner._problem.cache_clear()
        state = box["state"]
        values = {f"{cid}.value": state[key] for cid, key in couverture.CONTROLS.items()}
        values.update({"cov-minutes.value": 75 - state["minutes"], "cov-state.data": state,
                       "cov-network-store.data": store})
        new = _post(client, reduce_key, values, ["cov-minutes.value"])["cov-state"]["data"]
        out = _render(new, store, box["rendered"])
        box["state"], box["rendered"] = new, out[-1]

    return time_ms(move_slider, repeat=15)


def optimise_callback_ms() -> float:
    """"Optimiser" (k = 12, ACV + bassins de vie, exact): reducer + render with the plan and its coverage."""
    import app
    from components import coverage_state as cs
    from components import network_editor as editor
    from models.stores import network as netmod
    from models.domain import planning as planner

    app.server.test_client().get("/_dash-layout")
    store = editor.network_store(netmod.Network(sites=netmod.reference_network()))
    state = {**cs.DEFAULTS, "candidats": "acv_bv", "opt": True}

    def click():
        planner._plan.cache_clear()  # a new request each time: the solver runs
        planner._problem.cache_clear()
        _render(state, store, {})

    return time_ms(click, repeat=3)


def run() -> list[Measure]:
    from models.domain.coverage import coverage
    from models.domain.planning import PlanningProblem, solve

    existing, acv, candidates = instance()

    def full_coverage():
        r = coverage(existing, MINUTES)
        return r.zones_blanches, r.by_departement, r.by_epci, r.by_ze

    def greedy():
        return solve(PlanningProblem.from_region(existing, acv, MINUTES), K, "greedy")

    t0 = time.perf_counter()
    exact = solve(PlanningProblem.from_region(existing, candidates, MINUTES), K, "exact")
    exact_s = time.perf_counter() - t0
    measures = [
        Measure(ISSUE, "couverture région entière (5 115 communes, zones blanches, 3 niveaux)",
                time_ms(full_coverage), "ms", 30),
        Measure(ISSUE, f"glouton k={K}, candidats ACV (construction comprise)", time_ms(greedy, repeat=10), "ms", 100),
        Measure(ISSUE, f"exact k={K}, ACV + 50 candidats ({len(candidates)}), optimum prouvé={exact.optimal}",
                exact_s, "s", 2),
        Measure(ISSUE, "curseur de seuil : état puis vue (serveur, 30 ↔ 45 min ; + 1 interrogation de la tâche de fond)", threshold_callback_ms(), "ms", 150),
        Measure("#10 couverture", "« Optimiser » k=12, ACV + bassins de vie, exact : vue complète", optimise_callback_ms(),
                "ms", None),
    ]
    return measures + spopt_comparison(existing, candidates)
