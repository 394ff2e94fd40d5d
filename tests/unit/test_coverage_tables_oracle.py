"""Coverage tables by département, EPCI and zone d'emploi, checked by hand on a line of 8 communes (issue #17)."""
from __future__ import annotations

import pytest

from models.domain import coverage as cov
from tests.territories import line_territory
from tests.conftest import per_test_under_mutmut

POPS = [1000, 200, 300, 400, 500, 600, 700, 800]
# line_territory: départements 54 = communes 0-3, 57 = 4-7; EPCI E0 = 0-2, E1 = 3-5, E2 = 6-7; ZE Z0 = 0-3, Z1 = 4-7


@pytest.fixture(scope=per_test_under_mutmut)
def result():
    t = line_territory(POPS)
    # sites at communes 0 and 5; the neighbours are 7.4 km away, more than 5 minutes: only 0 and 5 are covered
    res = cov.coverage(["99000", "99005"], 5, territory=t)
    assert res.covered.tolist() == [True, False, False, False, False, True, False, False]
    return res


@pytest.mark.parametrize("level,expected", [
    # code: (communes, uncovered communes, population, covered population), by hand from the layout above
    ("departement", {"54": (4, 3, 1900, 1000), "57": (4, 3, 2600, 600)}),
    ("epci", {"E0": (3, 2, 1500, 1000), "E1": (3, 2, 1500, 600), "E2": (2, 2, 1500, 0)}),
    ("ze", {"Z0": (4, 3, 1900, 1000), "Z1": (4, 3, 2600, 600)}),
])
def test_by_level_counts_the_uncovered_communes_and_the_covered_population(result, level, expected):
    """Kills: the by-level uncovered count counting the covered communes (or the population mixed up)."""
    table = result.by(level).set_index("code")
    got = {code: (int(r.communes), int(r.uncovered_communes), float(r.population), float(r.covered_population))
           for code, r in table.iterrows()}
    assert got == expected


def test_region_totals_by_hand(result):
    assert result.uncovered_communes == 6
    assert result.covered_population == 1600 and result.uncovered_population == 4500 - 1600
    assert list(result.uncovered_codes) == ["99001", "99002", "99003", "99004", "99006", "99007"]


def test_by_level_demand_counts_only_the_communes_whose_demand_is_known():
    """Jobseekers are published for even communes only (``line_territory``): 5 % of the population there."""
    t = line_territory(POPS)
    res = cov.coverage(["99000", "99005"], 5, territory=t, weight="demandeurs_emploi")
    table = res.by("departement").set_index("code")
    # 54: communes 0 and 2 known (50 + 15), 0 covered (50); 57: 4 and 6 known (25 + 35), 5 covered but unknown
    assert table["nom"].to_dict() == {"54": "Meurthe-et-Moselle", "57": "Moselle"}
    assert table["demand"].to_dict() == pytest.approx({"54": 65.0, "57": 60.0})
    assert table["covered_demand"].to_dict() == pytest.approx({"54": 50.0, "57": 0.0})
    assert table["covered_share"].to_dict() == pytest.approx({"54": 50 / 65, "57": 0.0})
    assert list(table.columns) == ["nom", "communes", "uncovered_communes", "population", "covered_population",
                                   "demand", "covered_demand", "covered_share"]
    assert table["uncovered_communes"].dtype.kind == "i"


def test_each_commune_names_its_nearest_site_by_hand(result):
    """Sites at communes 0 and 5: communes 0-2 are nearer to 0, communes 3-7 nearer to 5 (equal steps of 7.4 km)."""
    assert list(result.nearest) == ["99000"] * 3 + ["99005"] * 5
    assert result.communes["nearest_site"].tolist() == ["99000"] * 3 + ["99005"] * 5
    assert list(result.nearest_idx) == [0] * 3 + [1] * 5


def test_no_site_means_no_nearest_site_and_infinite_times():
    t = line_territory(POPS)
    res = cov.coverage([], 30, territory=t)
    assert list(res.nearest) == [""] * 8 and list(res.nearest_idx) == [-1] * 8
    assert (res.times == float("inf")).all() and res.covered_population == 0 and res.covered_share == 0.0


def test_thresholds_and_inputs_are_refused_in_french():
    t = line_territory(POPS)
    assert cov.coverage(["99000"], 180, territory=t).minutes == 180  # both bounds inclusive
    assert cov.coverage(["99000"], 5, territory=t).minutes == 5
    with pytest.raises(ValueError, match=r"^Seuil de temps hors limites \(5 à 180 min\) : 181$"):
        cov.check_minutes(181)
    with pytest.raises(ValueError, match=r"^Seuil de temps invalide : 'abc'$"):
        cov.check_minutes("abc")
    with pytest.raises(ValueError, match=r"^Pondération inconnue : 'revenu' \(attendu : population, pop_1564, "
                                         r"demandeurs_emploi\)$"):
        cov.coverage(["99000"], 30, territory=t, weight="revenu")
    site = t.points_at_communes(["99000"]).assign(lon=float("nan"))
    with pytest.raises(ValueError, match=r"^Site sans coordonnées : placez-le dans une commune\.$"):
        cov.coverage(site, 30, territory=t)


def test_a_level_with_less_than_one_unit_of_demand_still_has_a_share():
    """The share is defined wherever the demand is positive, however small (kills ``demand > 1`` for ``> 0``)."""
    t = line_territory([10, 20000, 10, 20000])  # jobseekers: 5 % of communes 0 and 2 only, 0.5 each
    res = cov.coverage(["99000"], 5, weight="demandeurs_emploi", territory=t)
    table = res.by("departement").set_index("code")
    assert table["demand"].tolist() == [0.5, 0.5]
    assert table["covered_share"].tolist() == [1.0, 0.0]  # commune 0 covered (its site), commune 2 is 15 km away
