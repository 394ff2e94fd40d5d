"""Candidate sets of the planner: "ACV + Petites villes de demain" and its 25 % rule, the host population, "toutes".

Oracles: the PVD list (geodata.pvd, 141 towns, tested against the raw CSV in test_pvd.py), the populations of
communes.parquet, and the rule of the call for interest (towns outside ACV ≤ 25 % of the chosen sites).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import geodata
from models.domain import planning as planner
from models.stores.network import reference_network
from tests.territories import line_territory
from tests.conftest import per_test_under_mutmut

HOST = 5000  # concept_fit.HOTE_POP_MIN, written here as the oracle


@pytest.fixture(scope="module")
def pop():
    return geodata.communes().set_index("code_insee")["population"]


@pytest.fixture(scope="module")
def acv():
    com = geodata.communes()
    return set(com.loc[com.is_acv, "code_insee"])


def test_acv_pvd_is_the_acv_towns_and_the_pvd_towns_of_at_least_5000_inhabitants(pop, acv):
    pvd = set(geodata.pvd().code_insee)
    codes = planner.candidate_codes("acv_pvd")
    assert len(codes) == len(set(codes))
    assert set(codes) == acv | {c for c in pvd if pop[c] >= HOST}
    assert len(codes) == 25 + 36
    everything = planner.candidate_codes("acv_pvd", include_small=True)
    assert set(everything) == acv | pvd and len(everything) == 166
    assert set(planner.small_candidates("acv_pvd")) == {c for c in pvd if pop[c] < HOST}
    assert "52008" in everything and "52008" not in codes   # Andelot-Blancheville, 870 inhabitants in the source


def test_no_set_proposes_a_commune_under_the_host_population_unless_asked(pop):
    assert planner.host_min_population() == HOST
    for kind in planner.CANDIDATE_SETS:
        codes = planner.candidate_codes(kind)
        assert (pop.reindex(codes) >= HOST).all(), kind
    toutes = planner.candidate_codes("toutes")
    assert len(toutes) == int((pop >= HOST).sum()) == 171
    assert len(planner.candidate_codes("toutes", include_small=True)) == len(pop)
    # a commune the user adds is kept, whatever its size
    assert "52008" in planner.candidate_codes("acv", added=["52008"])


@pytest.fixture(scope=per_test_under_mutmut)
def network():
    return reference_network()


@pytest.mark.parametrize("k", [3, 8, 12])
def test_the_25_percent_rule_applies_to_the_pvd_towns_like_any_town_outside_acv(network, acv, k):
    pvd = set(geodata.pvd().code_insee)
    out = planner.plan(planner.PlanRequest(kind="acv_pvd", k=k, method="exact"), network)
    chosen = out.result.chosen
    assert out.eligibility is not None and out.result.optimal
    n_pvd = sum(c in pvd for c in chosen)
    assert set(chosen) <= acv | pvd
    assert n_pvd <= int(np.floor(0.25 * len(chosen)))   # 3 sites → 0, 8 → 2, 12 → 3
    assert (~out.sites["acv"]).sum() == n_pvd


def test_without_the_rule_more_pvd_towns_would_be_chosen(network):
    """The rule binds: at k = 12 the unconstrained optimum takes more than 3 PVD towns, and covers more."""
    pvd = set(geodata.pvd().code_insee)
    on = planner.plan(planner.PlanRequest(kind="acv_pvd", k=12, method="exact"), network).result
    off = planner.plan(planner.PlanRequest(kind="acv_pvd", k=12, method="exact", rule="0"), network).result
    assert sum(c in pvd for c in off.chosen) > 3 >= sum(c in pvd for c in on.chosen)
    assert off.covered_demand >= on.covered_demand


def test_the_greedy_method_respects_the_rule_on_acv_pvd_too(network):
    pvd = set(geodata.pvd().code_insee)
    g = planner.plan(planner.PlanRequest(kind="acv_pvd", k=12, method="greedy"), network).result
    assert sum(c in pvd for c in g.chosen) <= 3


def test_candidate_table_names_the_pvd_origin(network, pop):
    table = planner.candidate_table(planner.PlanRequest(kind="acv_pvd"), network)
    by = table.set_index("code_insee")["origine"]
    assert by["67021"] == "Petite ville de demain" and by["55545"] == "ville ACV"   # Barr, Verdun
    hosting = set(planner.network_codes(network))   # a town with a Cnam site is not a "new" site's candidate
    expected = {c for c in geodata.pvd().code_insee if pop[c] >= HOST} - hosting
    assert set(by.index[by == "Petite ville de demain"]) == expected and len(expected) >= 35


def test_pvd_towns_on_a_small_territory_are_outside_acv_for_the_rule():
    """Hand-made line: ACV = communes 1, 5, 9 (tests/territories.py); PVD = communes 2, 4 (300 inhabitants), 7."""
    t = line_territory([6000, 7000, 5500, 80, 300, 8000, 60, 9000, 30, 6500, 9500, 100], sites=["99000"])
    pvd = t.communes[t.communes.code_insee.isin(["99002", "99004", "99007"])][["code_insee", "nom", "lon", "lat"]]
    t.layers["pvd"] = pvd.reset_index(drop=True)
    acv = list(t.communes.code_insee[t.communes.is_acv])
    assert acv == ["99001", "99005", "99009"]
    assert planner.candidate_codes("acv_pvd", territory=t) == acv + ["99002", "99007"]
    assert planner.candidate_codes("acv_pvd", territory=t, include_small=True) == acv + ["99002", "99004", "99007"]
    rule = planner.Eligibility(frozenset(acv))
    assert rule.outside(["99002", "99007"]).all() and not rule.outside(acv).any()


def test_toutes_with_host_conditions_is_solved_exactly(network, pop):
    out = planner.plan(planner.PlanRequest(kind="toutes", k=12, method="exact"), network)
    assert out.result.optimal and out.candidates <= 171
    assert (pop.reindex(out.result.chosen) >= HOST).all()


def test_beyond_the_exact_limit_the_time_budget_gives_a_set_at_least_as_good_as_greedy(network):
    """Every commune (5,000+ candidates): no refusal any more; within a 2 s budget the exact method keeps the greedy
    start at least, and says that the optimum is not proved."""
    request = planner.PlanRequest(kind="toutes", include_small=True, k=12, method="exact")
    problem = planner.problem_for(request, network)
    assert len(problem.candidates) > planner.MAX_EXACT_CANDIDATES >= 1500
    rule = planner.Eligibility.acv()
    greedy = planner.solve(problem, 12, "greedy", eligibility=rule)
    exact = planner.solve(problem, 12, "exact", eligibility=rule, time_limit=2.0)
    assert exact.covered_demand >= greedy.covered_demand - 1e-6
    if not exact.optimal:
        assert exact.status == planner.TIME_BUDGET_STATUS
    small = pd.Series(geodata.communes().set_index("code_insee")["population"]).reindex(greedy.chosen)
    assert (small < HOST).any()   # asked for: the small communes can be proposed


def test_candidate_table_says_where_every_candidate_comes_from(network):
    # every commune of 5,000 inhabitants or more: ACV first, then the centre of its bassin de vie, else "commune"
    by = planner.candidate_table(planner.PlanRequest(kind="toutes"), network).set_index("code_insee")["origine"]
    assert by["67046"] == "commune"                       # Bischwiller: not ACV, in Haguenau's bassin de vie
    assert by["68298"] == "centre de bassin de vie"       # Sainte-Marie-aux-Mines
    com = geodata.communes().set_index("code_insee").loc[by.index]
    expected = np.where(com["is_acv"].astype(bool), "ville ACV",
                        np.where(com["bv_code"] == com.index, "centre de bassin de vie", "commune"))
    assert list(by) == list(expected) and (by == "commune").sum() > 50
