"""Fiche ville: the page layout, its callbacks, and the real Dash routing endpoint (pages/ville.py)."""
from __future__ import annotations

import json

import pandas as pd
import pytest
import geodata
from models.text import fr_format as F
from tests.dash_client import by_id, callback, outputs, page, text, walk


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def layout(client, code, search="") -> dict:
    """The page as the Dash router sends it for /ville/<code> (JSON component tree)."""
    status, body = page(client, f"/ville/{code}", search)
    assert status == 200 and "Traceback" not in body
    return json.loads(body)


def ville_callback(client, trigger, values, **kw):
    return outputs(callback(client, trigger, values, **kw))


@pytest.mark.parametrize("code", ["88160", "52448", "67462", "08001"])
def test_diagnostic_cells_show_the_geodata_values(client, code):
    tree = layout(client, code)
    c = geodata.commune_index().loc[code]
    cells = {x["props"]["data-key"]: text(x["props"].get("children")) for x in walk(tree)
             if x["type"] == "Td" and "data-key" in x["props"]}
    assert cells["chomage_ze"] == F.pct(c.chomage_ze)
    assert cells["population"] == f"{F.num(c.population)}{F.NBSP}hab."
    assert cells["demandeurs_emploi"] == (F.num(c.demandeurs_emploi) if c.demandeurs_emploi == c.demandeurs_emploi
                                          else "—")
    assert text(by_id(tree, "ville-nom")) == c.nom


def test_simuler_buttons_open_the_simulator_for_this_town_and_concept(client):
    tree = layout(client, "88160")
    for concept in ("clef_en_main", "fab_id", "progressif"):
        button = by_id(tree, f"ville-simuler-{concept}")
        assert button["props"]["href"] == f"/simulateur?ville=88160&concept={concept}"
        assert text(button) == "Simuler ce concept"


@pytest.mark.parametrize("bad", ["99999", "abc", "75056", "%20", "%3Cscript%3E", "88160x"])
def test_bad_codes_give_the_french_message_and_the_search_box(client, bad):
    tree = layout(client, bad)
    assert by_id(tree, "ville-introuvable") is not None
    assert "commune" in text(by_id(tree, "ville-erreur")).lower()
    assert by_id(tree, {"type": "commune-search", "name": "ville"}) is not None


@pytest.mark.parametrize("path,expected", [("88160", "Épinal"), ("99999", "Commune introuvable"),
                                           ("abc", "Commune introuvable"), ("75056", "Commune introuvable")])
def test_routing_endpoint_never_500(client, path, expected):
    assert expected in text(layout(client, path))


def test_http_get_of_bad_urls_is_not_500(client):
    for path in ("/ville/99999", "/ville/abc", "/ville/%3Cscript%3E"):
        assert client.get(path).status_code == 200


def test_csv_download_callback(client):
    out = ville_callback(client, "ville-csv-btn.n_clicks", {"ville-csv-btn.n_clicks": 1, "ville-code.data": "52448"})
    data = out["ville-csv.data"]
    assert data["filename"].startswith("fiche_52448_saint-dizier") and "chomage_ze" in data["content"]
    assert out["ville-export-msg.children"] is None
    assert ville_callback(client, "ville-csv-btn.n_clicks", {"ville-code.data": "52448"}) == {}  # no click


def test_html_download_callback(client):
    out = ville_callback(client, "ville-html-btn.n_clicks", {"ville-html-btn.n_clicks": 1, "ville-code.data": "67462"})
    data = out["ville-html.data"]
    assert data["filename"] == "carte_67462_selestat.html" and "Mission Locale" in data["content"]


def test_download_with_a_bad_code_shows_a_french_message(client):
    out = ville_callback(client, "ville-csv-btn.n_clicks", {"ville-csv-btn.n_clicks": 1, "ville-code.data": "abc"})
    assert "ville-csv.data" not in out and "CSV" in text(out["ville-export-msg.children"])
    out = ville_callback(client, "ville-html-btn.n_clicks", {"ville-html-btn.n_clicks": 1, "ville-code.data": None})
    assert "ville-html.data" not in out and "carte" in text(out["ville-export-msg.children"])


SEARCH = '{"name":"ville","type":"commune-search"}.value'
COMPARE = '{"name":"ville-comparer","type":"commune-search"}.value'


def test_search_box_opens_the_other_town(client):
    assert ville_callback(client, SEARCH, {SEARCH: "52448"}) == {"ville-nav.pathname": "/ville/52448"}
    assert ville_callback(client, SEARCH, {SEARCH: "abc"}) == {}
    assert ville_callback(client, SEARCH, {SEARCH: None}) == {}


def test_compare_box_opens_the_side_by_side_view(client):
    out = ville_callback(client, COMPARE, {COMPARE: "52448", "ville-code.data": "10387"})
    assert out == {"ville-nav.href": "/ville/10387?comparer=52448"}
    assert ville_callback(client, COMPARE, {COMPARE: "zzz", "ville-code.data": "10387"}) == {}
    tree = layout(client, "10387", "?comparer=52448")
    table = by_id(tree, "ville-comparaison")
    assert "Troyes" in text(table) and "Saint-Dizier" in text(table)


def test_title_names_the_town():
    from pages import ville

    assert ville._title(code_insee="67462").startswith("Sélestat")
    assert ville._title(code_insee="zzz").startswith("Fiche ville")


def test_print_map_is_a_static_svg_with_a_legend(client):
    box = ville_callback(client, "ville-code.data", {"ville-code.data": "88160"}, output="ville-print-map")
    box = box["ville-print-map.children"]
    img = next(c for c in walk(box) if c["type"] == "Img")
    assert img["props"]["src"].startswith("data:image/svg+xml;base64,")
    import base64
    svg = base64.b64decode(img["props"]["src"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "Missions locales" in text(box)
    bad = ville_callback(client, "ville-code.data", {"ville-code.data": "abc"}, output="ville-print-map")
    assert "indisponible" in text(bad["ville-print-map.children"])


def test_cached_page_follows_a_network_edit(client, monkeypatch):
    """The page cache (pages/ville.py) is keyed by the network's sites: a site added in Verdun shows at once."""
    from models.stores import network as netmod
    from pages import ville

    verdun = "55545"
    before = json.dumps(layout(client, verdun), ensure_ascii=False)
    assert "Site du Cnam dans la commune" not in before
    ref = netmod.reference_network()
    row = ref.iloc[[0]].assign(site_id="test-verdun", code_insee=verdun, nom="Cnam Verdun (essai)",
                               lon=geodata.communes().set_index("code_insee").loc[verdun, "lon"],
                               lat=geodata.communes().set_index("code_insee").loc[verdun, "lat"])
    edited = netmod.Network(sites=pd.concat([ref, row], ignore_index=True), version=1)
    monkeypatch.setattr(netmod, "current_network", lambda *a, **k: edited)
    monkeypatch.setattr(ville, "current_network", lambda *a, **k: edited)
    after = json.dumps(layout(client, verdun), ensure_ascii=False)
    assert "Site du Cnam dans la commune : Cnam Verdun (essai)" in after
