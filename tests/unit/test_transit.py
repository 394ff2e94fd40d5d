"""models/domain/transit.py: TER journeys read from the committed table (reference Tuesday 2025-03-11)."""
from __future__ import annotations

import numpy as np

import geodata
from models.text import fr_format as F
from models.domain import transit
from models.stores.network import reference_network

SITES = list(reference_network().code_insee.astype(str))
NB = F.NBSP


def _km_to_nearest_stop(code: str) -> float:
    c = geodata.commune_index().loc[code]
    s = geodata.ter_arrets()
    lat1, lon1, lat2, lon2 = map(np.radians, (c.lat, c.lon, s.lat.to_numpy(), s.lon.to_numpy()))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return float((2 * 6371.0 * np.arcsin(np.sqrt(h))).min())


def test_clock_is_french():
    assert F.clock(432) == f"7{NB}h{NB}12" and F.clock(540) == f"9{NB}h" and F.clock(None) == "—"


def test_verdun_goes_to_metz_on_the_638():
    trip = transit.nearest_site_trip("55545", SITES)
    # trip OCESN833481F3525317 of stop_times: Verdun 06:38 → Metz 07:54, no change (see test_ter_times)
    assert (trip.destination, trip.gare_depart, trip.depart, trip.arrivee, trip.minutes, trip.correspondances) == \
        ("57463", "Verdun", 6 * 60 + 38, 7 * 60 + 54, 76, 0)
    assert trip.sentence() == (f"En train ou car TER : 76{NB}min depuis Verdun vers Metz (départ 6{NB}h{NB}38, "
                               f"arrivée 7{NB}h{NB}54, sans correspondance)")
    # the nearest by TER is the shortest door to door among the reference site towns
    t = geodata.ter_trajets()
    rows = t[(t.code_insee == "55545") & t.destination.isin(SITES)]
    assert trip.total_min == rows.total_min.min() and trip.total_min == trip.acces_min + 76 + trip.sortie_min


def test_only_the_given_sites_are_considered():
    trip = transit.nearest_site_trip("55545", ["54395"])  # Nancy only
    assert trip.destination == "54395" and trip.correspondances >= 1
    assert transit.nearest_site_trip("55545", ["99999"]) is None


def test_communes_without_any_stop_within_5_km_are_said_to_have_no_access():
    assert _km_to_nearest_stop("88001") > 5            # Les Ableuvenettes (Vosges)
    assert "88001" not in transit.served_communes()
    assert transit.NO_ACCESS in transit.access_sentence("88001", SITES)
    assert _km_to_nearest_stop("55545") < 5 and "55545" in transit.served_communes()
    assert transit.access_sentence("57463", SITES).startswith("Site Cnam dans la commune")


def test_served_communes_follow_the_5_km_rule():
    served = transit.served_communes()
    sample = sorted(geodata.communes().code_insee)[::97]
    for code in sample:
        inside = (geodata.ter_arrets().code_insee == code).any()
        assert (code in served) == (inside or _km_to_nearest_stop(code) <= transit.assumptions()["acces_km"]), code


def test_coverage_without_a_car_counts_verdun_exactly_at_its_door_to_door_time():
    total = transit.nearest_site_trip("55545", SITES).total_min
    pop = geodata.commune_index().population["55545"]
    below, at = transit.transit_coverage(SITES, total - 1), transit.transit_coverage(SITES, total)
    assert at.population - below.population >= pop
    t = geodata.ter_trajets()
    best = t[t.destination.isin(SITES)].groupby("code_insee").total_min.min()
    com = geodata.communes()
    expected = com.population[com.code_insee.isin(set(best.index[best <= 60]) | set(SITES))].sum()
    cov = transit.transit_coverage(SITES, 60)
    assert cov.population == expected and 0 < cov.share < 1 and cov.sites_sans_calcul == []
    assert transit.transit_coverage(SITES, 90).population > cov.population


def test_assumptions_name_the_reference_day_and_the_feed():
    a = transit.assumptions()
    assert a["jour_reference"] == "2025-03-11" and a["version"] == "2025-01-22" and a["correspondance_min"] == 5
    text = transit.assumptions_text()
    assert "11/03/2025" in text and "22/01/2025" in text and "vélo" in text
