import numpy as np
import pytest

from functools import partial

from models.domain import catchment
from models.domain.travel import TravelSettings, minutes_between
from tests.territories import line_territory

TERRITORY = line_territory([100, 200, 300, 400, 500, 600, 700])
population_within = partial(catchment.population_within, territory=TERRITORY)
populations_within = partial(catchment.populations_within, territory=TERRITORY)
catchment_bands = partial(catchment.catchment_bands, territory=TERRITORY)
communes_within = partial(catchment.communes_within, territory=TERRITORY)


@pytest.fixture
def line():
    return TERRITORY.communes


def brute_force(com, code, minutes, weight="population"):
    o = com[com.code_insee == code]
    t = minutes_between(o.lon, o.lat, com.lon, com.lat)[0]
    return sum(w for w, ti in zip(com[weight], t) if ti <= minutes and not np.isnan(w))


@pytest.mark.parametrize("minutes", [0, 5, 10, 15, 30, 45])
def test_population_within_equals_brute_force(line, minutes):
    for code in line.code_insee:
        assert population_within(code, minutes) == pytest.approx(brute_force(line, code, minutes))


def test_vectorised_variant_matches_single_calls_and_keeps_order(line):
    codes = list(line.code_insee[::-1])
    s = populations_within(codes, 20)
    assert list(s.index) == codes
    assert s.tolist() == [population_within(c, 20) for c in codes]


def test_jobseekers_unknown_are_left_out_not_zero_filled(line):
    # odd communes have NaN jobseekers: the sum only counts the known ones
    assert population_within("99003", 1000, weight="demandeurs_emploi") == pytest.approx(
        brute_force(line, "99003", 1000, "demandeurs_emploi"))


def test_slower_speed_shrinks_catchment(line):
    fast = population_within("99003", 15, TravelSettings(time_factor=0.6))
    slow = population_within("99003", 15, TravelSettings(time_factor=1.8))
    assert slow < fast


def test_bands_are_nested_and_match_single_calls(line):
    bands = catchment_bands("99003")
    assert bands[15] <= bands[30] <= bands[45]
    assert bands[30] == population_within("99003", 30)
    assert set(communes_within("99003", 30).code_insee) <= set(line.code_insee)


def test_unknown_weight_is_refused(line):
    with pytest.raises(ValueError, match="Pondération inconnue"):
        population_within("99003", 30, weight="revenu")
