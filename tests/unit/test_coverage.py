import json

import numpy as np
import pytest

from models.domain import coverage as cov
from models.cli import coverage as coverage_cli
from models.domain.territory import UnknownCommune
from tests.territories import line_territory

POPS = [1200, 300, 50, 80, 4000, 90, 60, 700, 30, 20, 5000, 100]


@pytest.fixture
def line():
    return line_territory(POPS, sites=["99000", "99010"])


def coverage(sites, minutes, territory, **kwargs):
    return cov.coverage(sites, minutes, territory=territory, **kwargs)


def brute_force_covered(t, sites, minutes, weight="population"):
    com = t.communes
    total = covered = 0.0
    for i, code in enumerate(com.code_insee):
        w = com[weight][i]
        if np.isnan(w):
            continue
        total += w
        if any(t.minutes_from([code])[0, t.positions([s])[0]] <= minutes for s in sites):
            covered += w
    return covered, total


@pytest.mark.parametrize("minutes", [5, 10, 15, 30])
@pytest.mark.parametrize("weight", ["population", "pop_1564", "demandeurs_emploi"])
def test_coverage_equals_brute_force(line, minutes, weight):
    sites = ["99002", "99009"]
    res = coverage(sites, minutes, line, weight=weight)
    covered, total = brute_force_covered(line, sites, minutes, weight)
    assert res.covered_demand == pytest.approx(covered)
    assert res.total_demand == pytest.approx(total)
    assert res.covered_share == pytest.approx(covered / total)


def test_jobseekers_weighting_says_how_many_communes_are_known(line):
    res = coverage(["99002"], 15, line, weight="demandeurs_emploi")
    assert res.known_communes == int(line.communes.demandeurs_emploi.notna().sum()) < len(line)


def test_adding_a_site_never_lowers_coverage(line):
    base = ["99001"]
    for extra in line.codes:
        assert coverage(base + [extra], 12, line).covered_demand >= coverage(base, 12, line).covered_demand


def test_by_departement_sums_to_the_region(line):
    res = coverage(["99003"], 20, line)
    dep = res.by_departement
    assert dep["covered_population"].sum() == pytest.approx(res.covered_population)
    assert dep["population"].sum() == pytest.approx(res.total_population)
    assert set(dep["code"]) == {"54", "57"}
    assert res.by_epci["communes"].sum() == res.by_ze["communes"].sum() == len(line)


def test_zones_blanches_are_contiguous_runs_ranked_by_population(line):
    # one site at commune 5, 12 min ≈ 1 step (7.4 km ≈ 11.6 min calibrated) each side: covered 4..6,
    # uncovered runs 0..3 and 7..11
    res = coverage(["99005"], 12, line)
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
    res = coverage([], 30, line)
    assert res.covered_demand == 0 and res.uncovered_communes == len(line)
    assert len(res.zones_blanches) == 1


def test_threshold_and_codes_are_checked(line):
    with pytest.raises(ValueError, match="hors limites"):
        coverage(["99001"], 200, line)
    with pytest.raises(UnknownCommune, match="n'est pas celui d'une commune"):
        coverage(["12345"], 30, line)


def test_cli_json_and_bad_arguments(capsys):
    """On the real region: the reference network, then sites given by code."""
    from models.domain.territory import Territory

    assert coverage_cli.main(["--minutes", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"covered_population", "total_population", "covered_share", "uncovered_communes",
            "by_departement", "network_version", "travel_label"} <= set(out)
    assert "MESR" in out["network_version"] and len(out["sites"]) == 18  # 21 sites in 18 communes
    assert coverage_cli.main(["--minutes", "15", "--sites", "88160,10387", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    t = Territory.from_geodata()
    assert out["covered_population"] == pytest.approx(
        cov.coverage(["88160", "10387"], 15, territory=t).covered_population)
    assert coverage_cli.main(["--minutes", "200", "--json"]) == 2
    assert "Erreur" in capsys.readouterr().err
    assert coverage_cli.main(["--minutes", "30", "--sites", "00000"]) == 2
    assert "n'est pas celui d'une commune du Grand Est" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        coverage_cli.main(["--minutes", "abc"])
    assert e.value.code == 2


def test_a_commune_exactly_at_the_threshold_is_covered(line):
    """The threshold is inclusive: a commune whose time equals it counts as covered (``<=``, not ``<``)."""
    t = line.minutes_to_points(line.points_at_communes(["99005"]))[:, 0]
    exact = float(t[7])  # commune 7, two steps away
    at = coverage(["99005"], exact, line)
    assert at.covered[7] and at.communes.loc[7, "minutes"] == exact
    below = coverage(["99005"], np.nextafter(exact, 0), line)
    assert not below.covered[7]


def test_sites_are_placed_at_their_own_coordinates_not_the_town_hall(line):
    """A site given as a point (e.g. an official address) is measured from that point."""
    import pandas as pd

    hall = line.points_at_communes(["99000"])
    moved = hall.assign(lon=hall.lon + 0.5)  # same commune code, 37 km east
    assert coverage(moved, 10, line).covered_population != coverage(hall, 10, line).covered_population
    assert coverage(moved, 10, line).sites == ["99000"]
    assert isinstance(coverage(moved, 10, line).communes, pd.DataFrame)


def test_subset_territory_runs_like_a_notebook_would():
    """The README example: coverage of one département's communes by the reference network."""
    from models.stores.network import reference_network
    from models.domain.territory import Territory

    ge = Territory.from_geodata()
    meuse = ge.subset(ge.communes.loc[ge.communes.departement == "55", "code_insee"])
    res = cov.coverage(reference_network(), 30, territory=meuse)
    assert len(res.communes) == len(meuse) == (ge.communes.departement == "55").sum()
    assert 0 < res.covered_share < 1
    assert set(res.by_departement["code"]) == {"55"}


def test_a_territory_or_departement_without_inhabitants_is_covered_at_zero_percent_not_an_error():
    # communes 0–3 (département 54) have inhabitants, 4–7 (57) none: a share of nobody is 0, never a division by 0
    t = line_territory([1000, 1000, 1000, 1000, 0, 0, 0, 0], sites=["99000"])
    s = coverage(["99000"], 30, territory=t).summary()
    by = {d["departement"]: d for d in s["by_departement"]}
    assert by["57"]["population"] == 0 and by["57"]["covered_share"] == 0.0
    assert by["54"]["covered_share"] == pytest.approx(by["54"]["covered_population"] / 4000) and by["54"]["covered_share"] > 0
    empty = line_territory([0, 0, 0], sites=["99000"])
    assert coverage(["99000"], 30, territory=empty).summary()["covered_share"] == 0.0


def test_a_group_whose_demand_is_unknown_everywhere_says_unknown_not_zero():
    # job seekers are published for communes 0 and 2 only (tests/territories.py: odd communes unknown);
    # EPCI E0 = communes 0–2, EPCI E1 = commune 3 alone, whose demand is unknown
    t = line_territory([1000, 1000, 1000, 1000], sites=["99000"])
    res = coverage(["99000"], 30, territory=t, weight="demandeurs_emploi")
    epci = res.by("epci").set_index("code")
    assert epci.loc["E0", "demand"] == pytest.approx(100.0)            # 5 % of 1,000, twice
    assert np.isnan(epci.loc["E1", "demand"]) and np.isnan(epci.loc["E1", "covered_demand"])
    assert list(res.by("departement").code) == ["54", "57"] and list(epci.index) == ["E0", "E1"]
