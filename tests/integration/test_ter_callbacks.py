"""TER journeys on /ville (routing callback) and the "sans voiture" coverage card on /couverture (render callback)."""
from __future__ import annotations

import json

import pytest

import app
import geodata
from components import coverage_state as cs
from components import network_editor as editor
from models.text import fr_format as F
from models.stores import network as netmod
from tests.dash_client import by_id, callback, page, text, walk

NB = F.NBSP
STORE = editor.network_store(netmod.Network(sites=netmod.reference_network()))


@pytest.fixture(scope="module")
def client():
    c = app.server.test_client()
    assert c.get("/_dash-layout").status_code == 200
    return c


def _ville(client, code) -> dict:
    status, body = page(client, f"/ville/{code}")
    assert status == 200 and "Traceback" not in body
    return json.loads(body)


def test_verdun_shows_its_ter_time_to_its_nearest_cnam_site(client):
    tree = _ville(client, "55545")
    # trip OCESN833481F3525317 read off stop_times: Verdun 06:38 → Metz 07:54, direct
    assert text(by_id(tree, "ville-ter-trajet")) == (
        f"En train ou car TER : 76{NB}min depuis Verdun vers Metz (départ 6{NB}h{NB}38, arrivée 7{NB}h{NB}54, "
        "sans correspondance).")
    details = text(by_id(tree, "ville-ter-details"))
    assert "retour le soir" in details and "porte à porte" in details
    note = json.dumps(tree, ensure_ascii=False)
    assert "11/03/2025" in note and "pas le temps réel" in note


def test_a_commune_without_any_stop_says_so_plainly(client):
    tree = _ville(client, "88001")
    assert "pas d'accès TER" in text(by_id(tree, "ville-ter-trajet"))
    assert by_id(tree, "ville-ter-details") is None


def test_coverage_shows_the_population_reached_without_a_car(client):
    state = {**cs.DEFAULTS, "minutes": 60}
    r = callback(client, "cov-state.data", {"cov-state.data": state, "cov-network-store.data": STORE,
                                            "cov-rendered.data": {}})
    assert r.status_code == 200
    card = by_id(r.get_json()["response"]["cov-kpis"]["children"], "cov-kpi-transit")
    # oracle: the committed journeys, door to door ≤ 60 min to a reference site town, plus the site towns
    t, com = geodata.ter_trajets(), geodata.communes()
    sites = {s["code_insee"] for s in STORE["sites"]}
    best = t[t.destination.isin(sites)].groupby("code_insee").total_min.min()
    share = com.population[com.code_insee.isin(set(best.index[best <= 60]) | sites)].sum() / com.population.sum()
    shown = text(card)
    assert F.pct(100 * share) in shown and f"60{NB}min" in shown and "TER + vélo" in shown


def test_sources_page_says_what_the_ter_times_are_and_their_limits(client):
    status, body = page(client, "/sources")
    assert status == 200
    tree = json.loads(body)
    ter = text(by_id(tree, "src-ter"))
    for words in ("11/03/2025", "pas le temps réel", "un seul jour de référence", "vélo", "5 min".replace(" ", NB)):
        assert words in ter, words
    titles = [c["props"].get("children") for c in walk(tree)]
    assert any("Trajets en TER" in str(t) for t in titles)   # the dataset card from sources.json


def test_a_site_town_needs_no_trip(client):
    tree = _ville(client, "57606")   # Saint-Avold hosts a reference Cnam site
    assert text(by_id(tree, "ville-ter-trajet")).startswith("Site Cnam dans la commune")
    assert by_id(tree, "ville-ter-details") is None
