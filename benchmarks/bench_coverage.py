"""Issue #7 budgets: coverage recompute, greedy and exact MCLP, threshold callback; comparison with PySAL spopt.

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
    from models.network import reference_network
    from models.planner import candidate_codes

    existing = list(reference_network()["code_insee"])
    acv = candidate_codes("acv", exclude=existing)
    com = geodata.communes().sort_values("population", ascending=False)
    more = [c for c in com["code_insee"] if c not in set(existing) | set(acv)][:50]
    return existing, acv, acv + more


def spopt_comparison(existing, candidates) -> list[Measure]:
    import pulp
    from spopt.locate import MCLP

    import geodata
    from models.planner import PlanningProblem, solve
    from models.travel import travel_time_matrix

    facilities = existing + candidates
    cost = travel_time_matrix(facilities, None, dtype=np.float32).T.astype(float)  # (communes, facilities)
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


def threshold_callback_ms() -> float:
    import json

    import app
    import geodata

    client = app.server.test_client()
    client.get("/_dash-layout")
    key = next(k for k in app.app.callback_map if k.startswith("..cov-map.figure"))
    spec = app.app.callback_map[key]
    store = {"version": 0, "codes": list(geodata.cnam_sites()["code_insee"]), "label": "réseau de référence"}
    values = {"cov-minutes.value": 30, "cov-weight.value": "population", "cov-detour.value": 1.3,
              "cov-speed.value": 60, "cov-network-store.data": store, "cov-level.value": "departement"}
    outputs = [{"id": o.component_id, "property": o.component_property} for o in spec["output"]]
    state = {"minutes": 30}

    def move_slider():
        state["minutes"] = 75 - state["minutes"]  # 30 ↔ 45
        values["cov-minutes.value"] = state["minutes"]
        payload = {"output": key, "outputs": outputs, "changedPropIds": ["cov-minutes.value"], "state": [],
                   "inputs": [{**i, "value": values[f"{i['id']}.{i['property']}"]} for i in spec["inputs"]]}
        r = client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json")
        assert r.status_code == 200

    return time_ms(move_slider, repeat=15)


def run() -> list[Measure]:
    from models.coverage import coverage
    from models.planner import PlanningProblem, solve

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
        Measure(ISSUE, "callback du curseur de seuil (serveur, 30 ↔ 45 min)", threshold_callback_ms(), "ms", 150),
    ]
    return measures + spopt_comparison(existing, candidates)
