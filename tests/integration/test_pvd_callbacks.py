"""Petites villes de demain through the real Dash app: /ville says so, /classement's PVD set, /couverture's set and
its host population, the map layer."""
from __future__ import annotations

import json

import pytest

import geodata
from tests import dash_client
from tests.dash_client import callback, outputs, page, texts


@pytest.fixture(scope="module")
def client():
    import app

    c = app.server.test_client()
    c.get("/")
    return c


def _header_facts(client, code) -> dict:
    status, body = page(client, f"/ville/{code}")
    assert status == 200 and "Traceback" not in body
    facts = {}

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict) and "props" in node:
            kids = node["props"].get("children")
            if node.get("type") == "Div" and isinstance(kids, list) and len(kids) == 2 \
                    and all(isinstance(k, dict) for k in kids) and [k.get("type") for k in kids] == ["Dt", "Dd"]:
                facts[texts(json.dumps(kids[0]))] = texts(json.dumps(kids[1]))
            walk(kids)
    walk(json.loads(body))
    return facts


@pytest.mark.parametrize("code, expected", [("68004", "oui"), ("67021", "oui"), ("55545", "non"), ("67482", "non")])
def test_ville_header_says_whether_the_town_is_a_petite_ville_de_demain(client, code, expected):
    facts = _header_facts(client, code)
    assert facts["Petites villes de demain (ANCT, janvier 2021)"] == expected
    assert facts["Action Cœur de Ville"] == ("oui" if code == "55545" else "non")


def test_classement_pvd_button_adds_the_141_towns_and_ranks_them(client):
    state = [{"id": {"name": "cls", "type": "commune-search"}, "property": "value", "value": None},
             {"id": "cls-pop-min", "property": "value", "value": "10000"},
             {"id": "cls-candidates", "property": "data", "value": []}]
    inputs = [{"id": i, "property": "n_clicks", "value": 1 if i == "cls-add-pvd" else None}
              for i in ("cls-add", "cls-add-pop", "cls-clear", "cls-add-pvd")]
    out = [{"id": "cls-candidates", "property": "data"}, {"id": "cls-add-msg", "property": "children"},
           {"id": "cls-added-list", "property": "children"}]
    r = dash_client.post(client, "cls-candidates.data", out, inputs, state, ["cls-add-pvd.n_clicks"])
    added = r["cls-candidates"]["data"]
    assert sorted(added) == sorted(geodata.pvd().code_insee) and len(added) == 141
    assert "141 communes ajoutées" in texts(json.dumps(r["cls-add-msg"], ensure_ascii=False)).replace("\u202f", " ")

    from tests.integration.test_classement_callbacks import rank
    ranked = rank((None, client), added=added)
    rows = {row["code_insee"]: row for row in ranked["rows"]}
    assert len(rows) == 166
    assert sum(row["acv"] == "PVD" for row in rows.values()) == 141
    assert rows["68004"]["acv"] == "PVD" and rows["55545"]["acv"] == "ACV"


def test_couverture_offers_acv_pvd_and_says_which_small_towns_are_left_out(client):
    status, body = page(client, "/couverture", "?candidats=acv_pvd")
    assert status == 200 and "Traceback" not in body
    shown = texts(body).replace("\u202f", " ").replace("\xa0", " ")
    assert "ACV + Petites villes de demain" in body
    assert "105 communes de moins de 5 000 habitants" in shown   # 141 PVD − 36 of at least 5,000
    assert "Inclure les petites communes" in body
    status, body = page(client, "/couverture", "?candidats=acv_pvd&petites=1")
    assert "communes de moins de 5 000 habitants, trop petites" not in texts(body).replace("\u202f", " ")


def test_map_has_a_pvd_layer_with_its_count_off_by_default(client):
    from components.map_layers import trace_keys
    from pages import carte

    status, body = page(client, "/")
    assert status == 200
    assert "Petites villes de demain (ANCT, janvier 2021)" in body and "(141)" in body
    fig = carte.figure("population", carte.DEFAULT_LAYERS)
    i = trace_keys().index("pvd")
    trace = fig.data[carte.FIRST_POINT_TRACE + i]
    assert trace.visible == "legendonly" and len(trace.lon) == 141
    patch = outputs(callback(client, "map-layers.value", {"map-layers.value": ["acv", "pvd"]}))["map-graph.figure"]
    ops = {".".join(map(str, op["location"])): op["params"].get("value") for op in patch["operations"]}
    assert ops[f"data.{carte.FIRST_POINT_TRACE + i}.visible"] is True
    assert ops[f"data.{carte.FIRST_POINT_TRACE + trace_keys().index('lycees_public')}.visible"] == "legendonly"


def test_couverture_small_towns_checkbox_and_the_acv_pvd_optimisation(client):
    from components import coverage_state as cs
    from tests.integration.test_couverture_callbacks import reduce, render, text

    state = {**cs.DEFAULTS, "candidats": "acv_pvd"}
    out = reduce(client, state, ["cov-small.value"], **{"cov-small.value": True, "cov-candidate-set.value": "acv_pvd"})
    assert out["cov-state"]["data"]["petites"] is True and "petites=1" in out["cov-url"]["search"]
    assert out["cov-rule"]["value"] is True   # PVD towns are outside ACV: the 25 % rule applies
    rendered = render(client, {**state, "k": 12, "opt": True})
    rows = rendered["cov-chosen"]["rowData"]
    pvd = set(geodata.pvd().code_insee)
    assert len(rows) == 12 and 1 <= sum(r["code_insee"] in pvd for r in rows) <= 3
    message = text(rendered["cov-opt-message"])
    assert "optimum prouvé" in message and "Règle des 25 %" in message
    cands = {r["code_insee"]: r for r in rendered["cov-candidates"]["rowData"]}
    assert cands["67021"]["origine"] == "Petite ville de demain"
    assert "52008" not in cands   # Andelot-Blancheville (870 inhabitants): left out unless asked
