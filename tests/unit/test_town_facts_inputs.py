"""town_facts answers for what it is given: the travel model, the network, the communes in their order
(models/domain/town_facts.py)."""
import pandas as pd
import pytest

from models.domain.territory import Territory
from models.domain.town_facts import town_facts
from models.domain.travel import TravelSettings

HAGONDANGE, METZ_SITE_TOWN = "57283", "57463"


def test_the_facts_are_indexed_by_commune_code_in_the_order_asked():
    facts = town_facts([HAGONDANGE, METZ_SITE_TOWN])
    assert facts.index.name == "code_insee" and list(facts.index) == [HAGONDANGE, METZ_SITE_TOWN]
    assert list(facts.nom) == ["Hagondange", "Metz"]


def test_a_slower_travel_model_shrinks_the_catchment_and_lengthens_the_way_to_the_cnam():
    base = town_facts([HAGONDANGE]).iloc[0]
    slow = town_facts([HAGONDANGE], settings=TravelSettings(time_factor=2.0)).iloc[0]
    assert slow.pop_30min < base.pop_30min and slow.cnam_min == pytest.approx(2 * base.cnam_min)


def test_the_network_given_is_the_one_the_facts_read():
    hall = Territory.from_geodata().row(HAGONDANGE)
    here = pd.DataFrame({"site_id": ["essai"], "code_insee": [HAGONDANGE], "nom": ["Site d'essai"], "commune": [hall.nom],
                         "lon": [hall.lon], "lat": [hall.lat]})
    facts = town_facts([HAGONDANGE], sites=here).iloc[0]
    assert facts.n_cnam_commune == 1 and facts.cnam_nom == "Site d'essai" and facts.cnam_min < 5  # at the door
    assert town_facts([HAGONDANGE]).iloc[0].n_cnam_commune == 0


def test_a_towns_facts_do_not_depend_on_the_towns_computed_with_it():
    # pandas stores a missing text as NaN in a column that also holds names: Hagondange, computed beside small
    # communes that have a pole, was told to look to its pole "nan" (NaN reads as true)
    import math

    from models.domain.town_facts import fact_records

    small = ["57006", "57010"]                                 # two villages with a bassin de vie centre
    t = Territory.from_geodata()

    def fresh():  # the region's data, with caches of its own
        return Territory(t.communes, t.neighbours, t.sites, t.layers, t.name, region_code=t.region_code,
                         current_sites=t.current_sites, data=t.data)

    alone = fact_records([HAGONDANGE], territory=fresh())[0]
    batch = fact_records([*small, HAGONDANGE], territory=fresh())
    assert [b["pole"] for b in batch[:2]] == [t.row(c).bv_nom for c in small] and batch[2]["pole"] is None
    for key, value in alone.items():
        same = batch[2][key]
        assert (same is None) if value is None else (math.isnan(same) if isinstance(value, float) and math.isnan(value)
                                                      else same == value), key
