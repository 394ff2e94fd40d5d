"""Network edits (move, retire, reset) and where each site then stands, checked against the committed geodata
read here (issue #17): a moved site must be measured from its new commune, not from its old address."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine

import geodata
from models.stores import network as net
from models.domain import town_facts

FORBACH_SITE, SARREGUEMINES = "GE-03", "57631"


@pytest.fixture
def eng(tmp_path):
    return create_engine(f"sqlite:///{tmp_path / 'net.db'}")


@pytest.fixture(scope="module")
def halls():
    return geodata.communes().set_index("code_insee")[["nom", "lon", "lat"]]


def site(n: net.Network, site_id: str):
    rows = n.sites[n.sites["site_id"] == site_id]
    assert len(rows) == 1
    return rows.iloc[0]


def test_a_moved_site_stands_at_the_town_hall_of_its_new_commune(eng, halls):
    """Kills: a moved site keeping its old coordinates (or its old commune)."""
    before = site(net.current_network(eng), FORBACH_SITE)
    n = net.move_site(FORBACH_SITE, SARREGUEMINES, "Alice", eng)
    moved = site(n, FORBACH_SITE)
    hall = halls.loc[SARREGUEMINES]
    assert (moved.code_insee, moved.commune, moved.origine) == (SARREGUEMINES, hall.nom, "déplacé")
    assert (moved.lon, moved.lat) == (hall.lon, hall.lat) != (before.lon, before.lat)
    assert moved.precision == "commune (mairie)"
    # the facts of Sarreguemines now see a site in the commune, at 0 km
    f = town_facts.town_fact(SARREGUEMINES, sites=n.sites)
    assert f["n_cnam_commune"] == 1 and f["cnam_km"] == pytest.approx(0.0, abs=1e-6)


def test_other_sites_keep_their_place_when_one_is_moved_or_retired(eng):
    ref = net.reference_network().set_index("site_id")
    n = net.move_site(FORBACH_SITE, SARREGUEMINES, "Alice", eng)
    other = ref.index[ref.index != FORBACH_SITE][0]
    n = net.retire_site(other, "Bob", eng)
    assert other not in set(n.sites["site_id"]) and len(n.sites) == len(ref) - 1
    kept = n.sites.set_index("site_id").drop(index=FORBACH_SITE)
    assert kept[["code_insee", "lon", "lat"]].equals(ref.loc[kept.index, ["code_insee", "lon", "lat"]])


def test_reset_restores_every_reference_site_at_its_own_coordinates(eng):
    ref = net.reference_network()
    net.move_site(FORBACH_SITE, SARREGUEMINES, "Alice", eng)
    net.retire_site(ref["site_id"].iloc[0], "Bob", eng)
    n = net.reset_to_reference("Chloé", eng)
    cols = ["site_id", "code_insee", "lon", "lat", "origine"]
    assert n.sites[cols].reset_index(drop=True).equals(ref[cols]) and n.is_reference
    assert n.version == 3 and list(net.history(eng)["action"]) == ["move", "retire", "reset"]


def test_a_retired_site_cannot_be_moved_and_an_occupied_commune_refuses_a_move(eng):
    ref = net.reference_network()
    first, second = ref.iloc[0], ref[ref["code_insee"] != ref.iloc[0]["code_insee"]].iloc[0]
    with pytest.raises(net.NetworkEditError, match="accueille déjà un site"):
        net.move_site(first.site_id, second.code_insee, "Alice", eng)
    net.retire_site(first.site_id, "Alice", eng)
    with pytest.raises(net.NetworkEditError, match="n'est pas \\(ou plus\\) dans le réseau"):
        net.move_site(first.site_id, SARREGUEMINES, "Alice", eng)
    assert list(net.history(eng)["action"]) == ["retire"]
