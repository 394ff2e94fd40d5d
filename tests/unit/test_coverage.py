import itertools
import json

import numpy as np
import pytest

from models import coverage as cov
from models.travel import TravelSettings, travel_time_matrix
from tests.unit import fake_geodata

POPS = [1200, 300, 50, 80, 4000, 90, 60, 700, 30, 20, 5000, 100]


@pytest.fixture
def line(monkeypatch):
    com = fake_geodata.make_communes(POPS)
    fake_geodata.install(monkeypatch, com, sites_codes=["99000", "99010"])
    yield com
    fake_geodata.clear_caches()


def brute_force_covered(com, sites, minutes, weight="population"):
    total = covered = 0.0
    for i, code in enumerate(com.code_insee):
        w = com[weight][i]
        if np.isnan(w):
            continue
        total += w
        if any(travel_time_matrix([code], [s])[0, 0] <= minutes for s in sites):
            covered += w
    return covered, total


@pytest.mark.parametrize("minutes", [5, 10, 15, 30])
@pytest.mark.parametrize("weight", ["population", "pop_1564", "demandeurs_emploi"])
def test_coverage_equals_brute_force(line, minutes, weight):
    sites = ["99002", "99009"]
    res = cov.coverage(sites, minutes, weight=weight)
    covered, total = brute_force_covered(line, sites, minutes, weight)
    assert res.covered_demand == pytest.approx(covered)
    assert res.total_demand == pytest.approx(total)
    assert res.covered_share == pytest.approx(covered / total)


def test_jobseekers_weighting_says_how_many_communes_are_known(line):
    res = cov.coverage(["99002"], 15, weight="demandeurs_emploi")
    assert res.known_communes == int(line.demandeurs_emploi.notna().sum()) < len(line)


def test_adding_a_site_never_lowers_coverage(line):
    base = ["99001"]
    for extra in line.code_insee:
        assert cov.coverage(base + [extra], 12).covered_demand >= cov.coverage(base, 12).covered_demand


def test_by_departement_sums_to_the_region(line):
    res = cov.coverage(["99003"], 20)
    dep = res.by_departement
    assert dep["covered_population"].sum() == pytest.approx(res.covered_population)
    assert dep["population"].sum() == pytest.approx(res.total_population)
    assert set(dep["code"]) == {"54", "57"}
    assert res.by_epci["communes"].sum() == res.by_ze["communes"].sum() == len(line)


def test_zones_blanches_are_contiguous_runs_ranked_by_population(line):
    # one site at commune 5, 10 min ≈ 1 step each side: covered 4..6, uncovered runs 0..3 and 7..11
    res = cov.coverage(["99005"], 10)
    covered = set(res.communes.loc[res.communes.covered, "code_insee"])
    assert covered == {"99004", "99005", "99006"}
    z = res.zones_blanches
    assert [sorted(c) for c in z["codes"]] == [[f"99{i:03d}" for i in range(7, 12)],
                                                [f"99{i:03d}" for i in range(0, 4)]]
    assert list(z["population"]) == [sum(POPS[7:12]), sum(POPS[0:4])]
    assert z["principale"].iloc[0] == "Commune 10" and list(z["rang"]) == [1, 2]


def test_connected_groups_match_a_breadth_first_search():
    rng = np.random.default_rng(3)
    n = 300
    a, b = rng.integers(0, n, 400), rng.integers(0, n, 400)
    src, dst = np.r_[a, b], np.r_[b, a]
    mask = rng.random(n) < 0.6
    labels = cov.connected_groups(mask, src, dst)
    adj = {i: set() for i in range(n)}
    for s, d in zip(src, dst):
        if mask[s] and mask[d]:
            adj[s].add(d)
    seen = {}
    for start in range(n):
        if not mask[start] or start in seen:
            continue
        stack, comp = [start], set()
        while stack:
            v = stack.pop()
            if v not in comp:
                comp.add(v)
                stack.extend(adj[v] - comp)
        for v in comp:
            seen[v] = min(comp)
    assert all(labels[i] == seen[i] for i in seen)
    assert (labels[~mask] == -1).all()


def test_empty_network_covers_nothing(line):
    res = cov.coverage([], 30)
    assert res.covered_demand == 0 and res.uncovered_communes == len(line)
    assert len(res.zones_blanches) == 1


def test_threshold_and_codes_are_checked(line):
    with pytest.raises(ValueError, match="hors limites"):
        cov.coverage(["99001"], 200)
    with pytest.raises(KeyError, match="inconnu"):
        cov.coverage(["12345"], 30)


def test_cli_json_and_bad_arguments(line, capsys):
    assert cov.main(["--minutes", "15", "--sites", "99002,99009", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"covered_population", "total_population", "covered_share", "uncovered_communes",
            "by_departement"} <= set(out)
    assert out["covered_population"] == pytest.approx(brute_force_covered(line, ["99002", "99009"], 15)[0])
    assert cov.main(["--minutes", "200", "--json"]) == 2
    assert "Erreur" in capsys.readouterr().err
    assert cov.main(["--minutes", "30", "--sites", "00000"]) == 2
    assert "inconnu" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        cov.main(["--minutes", "abc"])
    assert e.value.code == 2
