"""Issue #6 — re-ranking on a weight change ≤ 50 ms server time.

The criteria table is computed once per candidate set; a weight change is vector math on it, plus the grid
rows, the contribution chart and the map patch of the page callback.
"""
from __future__ import annotations

import time

import numpy as np

from benchmarks import Measure, time_ms

ISSUE = "#6 classement"
BUDGET_MS = 50.0


def _weights(rng):
    from models.domain.scoring import KEYS, WEIGHT_MAX

    return {k: float(rng.choice(np.arange(0, WEIGHT_MAX + 0.5, 0.5))) for k in KEYS} | {"population": 1.0}


def _callback_request(client, key, weights, added):
    from models.domain.scoring import KEYS, check_weights

    w, d = check_weights(weights)
    payload = {
        "output": key,
        "outputs": [{"id": i, "property": p} for i, p in (("cls-static", "data"), ("cls-ranking", "data"),
                                                           ("cls-bars", "figure"),
                                                           ("cls-map", "figure"), ("cls-url-sink", "data"),
                                                           ("cls-summary", "children"))],
        "inputs": [[{"id": {"key": k, "type": "cls-weight"}, "property": "value", "value": w[k]} for k in KEYS],
                   [{"id": {"key": k, "type": "cls-dir"}, "property": "value", "value": d[k]} for k in KEYS],
                   {"id": "cls-missing", "property": "value", "value": "renormalise"},
                   {"id": "cls-candidates", "property": "data", "value": added}],
        "state": [], "changedPropIds": ['{"key":"chomage_ze","type":"cls-weight"}.value'],
    }
    resp = client.post("/_dash-update-component", json=payload)
    assert resp.status_code == 200, resp.status_code
    return resp


def run() -> list[Measure]:
    import geodata
    from models.domain import scoring

    rng = np.random.default_rng(6)
    from models.domain.territory import Territory

    scoring._table_for.cache_clear()
    Territory.from_geodata().memo.clear()  # cold: the town facts are computed again
    t0 = time.perf_counter()
    acv = scoring.cached_table(tuple(scoring.ranking_candidates()))
    build_ms = (time.perf_counter() - t0) * 1000

    com = geodata.communes()
    big = com.loc[(com.population >= 5000) & ~com.is_acv, "code_insee"].tolist()
    many = scoring.cached_table(tuple(scoring.ranking_candidates(big)))

    import app as app_module

    client = app_module.server.test_client()
    client.get("/")
    key = next(k for k in app_module.app.callback_map if "cls-ranking.data" in k)
    measures = [
        Measure(ISSUE, "criteria table, 25 ACV towns (once per candidate set)", build_ms, "ms"),
        Measure(ISSUE, "re-rank on a weight change, model, 25 ACV towns", time_ms(lambda: acv.rank(_weights(rng)),
                                                                                   repeat=200), "ms", BUDGET_MS),
        Measure(ISSUE, f"re-rank on a weight change, model, {len(many.codes)} towns",
                time_ms(lambda: many.rank(_weights(rng)), repeat=100), "ms", BUDGET_MS),
        Measure(ISSUE, "weight-change callback, server (rank+grid+chart+map), 25 towns",
                time_ms(lambda: _callback_request(client, key, _weights(rng), []), repeat=30), "ms", BUDGET_MS),
        Measure(ISSUE, f"weight-change callback, server, {len(many.codes)} towns",
                time_ms(lambda: _callback_request(client, key, _weights(rng), big), repeat=20), "ms", BUDGET_MS),
    ]
    return measures
