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
