"""Issue #20 — the demand model: a whole network, one town, the planner's learners objective, the break-even spread."""
from __future__ import annotations

import time

from benchmarks import Measure, time_ms

ISSUE = "#20 demande"


def run() -> list[Measure]:
    from models.domain import demand, planning as planner
    from models.stores.network import reference_network
    from models.domain.simulator import break_even_spread, default_parameters
    from models.domain.territory import Territory

    territory = Territory.from_geodata()
    com = territory.communes
    acv = list(com.loc[com["is_acv"].astype(bool), "code_insee"])
    ref = reference_network()
    demand.estimate(ref, acv, "hub")  # warm-up: travel times of the network, calibration
    out = [Measure(ISSUE, "demande d'un réseau : 21 sites + 25 villes ACV (fourchette, concurrence)",
                   time_ms(lambda: demand.estimate(ref, acv, "hub"), 10), "ms", 50)]
    t0 = time.perf_counter()
    demand.model_for(territory).times_to(territory.points_at_communes(["88413"]))
    out.append(Measure(ISSUE, "temps de trajet d'un nouveau site vers les 5 115 communes (à froid)",
                       (time.perf_counter() - t0) * 1000, "ms"))
    codes = iter(com.sort_values("population", ascending=False)["code_insee"].head(40))

    def one_town():
        demand.town_estimate(next(codes), "hub", sites=ref)

    out.append(Measure(ISSUE, "apprenants attendus d'une ville jamais vue (fiche ville, à froid)",
                       time_ms(one_town, 10), "ms"))
    request = planner.PlanRequest(kind="acv_bv", k=12, minutes=30, method="exact", concept="hub",
                                  objective="apprenants")
    runs = []
    for _ in range(3):
        planner._plan.cache_clear()
        t0 = time.perf_counter()
        planner.plan(request, ref)
        runs.append(time.perf_counter() - t0)
    out.append(Measure(ISSUE, "optimiseur, objectif apprenants nets, k = 12, ACV + bassins de vie, exact", min(runs),
                       "s", 2))
    viable = planner.PlanRequest(kind="acv_bv", k=12, minutes=30, method="exact", concept="hub",
                                 objective="apprenants", viable=True)
    planner._plan.cache_clear()
    t0 = time.perf_counter()
    planner.plan(viable, ref)
    out.append(Measure(ISSUE, "… avec le point mort exigé de chaque site", time.perf_counter() - t0, "s", 2))
    params = default_parameters("hub")
    out.append(Measure(ISSUE, "dispersion du point mort (1 000 tirages)", time_ms(lambda: break_even_spread(params)),
                       "ms", 30))
    return out
