"""Words for a mayor on /ville, /simulateur and /classement (issue #18, part 6): every town named on a profile
is a link to its own profile (the pole of a village's bassin de vie, the towns its zones are named after, the
nearest Cnam site's town, in the comparison too), and the terms that must stay (BMO, zone d'emploi, MESR, Fab ID,
ARDAN…) carry their definition, reachable by keyboard. Oracles: the committed commune table (INSEE codes and
names), not the code under test."""
from __future__ import annotations

import json

import pytest

import geodata
from models.text.glossary import TERMS
from tests.dash_client import by_id, page, texts, walk

VILLAGE = "88086"  # Champ-le-Duc (493 inhabitants), in the bassin de vie of Bruyères


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def communes():
    return geodata.communes().set_index("code_insee")


def tree(client, path, search=""):
    status, body = page(client, path, search)
    assert status == 200
    return json.loads(body)


def links(node) -> dict[str, str]:
    """text → href of every dcc.Link under ``node``."""
    return {texts(json.dumps(c["props"]["children"], ensure_ascii=False)): c["props"]["href"]
            for c in walk(node) if c.get("type") == "Link"}


def glossary_terms(node) -> list[str]:
    """Words shown as glossary terms (focusable, with their definition) under ``node``."""
    out = []
    for c in walk(node):
        p = c["props"]
        if "glossary-term" in str(p.get("className", "")):
            assert p.get("tabIndex") == 0 and p.get("data-definition")  # keyboard and hover
            shown = p["children"][0]
            out.append(shown if isinstance(shown, str) else texts(json.dumps(shown, ensure_ascii=False)))
    return out


def test_a_village_verdict_links_the_pole_of_its_bassin_de_vie(client, communes):
    row = communes.loc[VILLAGE]
    assert row.population < 5000 and row.bv_code != VILLAGE
    pole, pole_name = row.bv_code, communes.loc[row.bv_code, "nom"]
    assert pole_name == "Bruyères"  # the name the verdict says, from the INSEE basin table
    verdict = by_id(tree(client, f"/ville/{VILLAGE}"), "ville-verdict")
    assert "Bruyères" in texts(json.dumps(verdict, ensure_ascii=False))
    assert links(verdict) == {"Bruyères": f"/ville/{pole}"}
    assert "bassin de vie" in glossary_terms(verdict)


def test_zones_named_after_a_town_link_to_it_and_others_stay_text(client, communes):
    t = tree(client, f"/ville/{VILLAGE}")
    row = communes.loc[VILLAGE]
    ze_town = communes[(communes.ze_code == row.ze_code) & (communes.nom == row.ze_nom)]
    assert len(ze_town) == 1  # ZE "Épinal" holds the commune Épinal
    assert by_id(t, "ville-ze-lien")["props"]["href"] == f"/ville/{ze_town.index[0]}"
    assert by_id(t, "ville-bv-lien")["props"]["href"] == f"/ville/{row.bv_code}"
    assert by_id(t, "ville-bmo-lien")["props"]["href"] == f"/ville/{ze_town.index[0]}"  # basin "EPINAL" → Épinal
    verdun = tree(client, "/ville/55545")
    v = communes.loc["55545"]
    assert v.ze_nom == "Verdun" and v.bv_nom == "Verdun"  # named after the town shown: no link to itself
    assert by_id(verdun, "ville-ze-lien") is None and by_id(verdun, "ville-bv-lien") is None
    assert not (communes.nom.str.upper() == str(v.bmo_nom).upper()).any()  # "MEUSE DU NORD": no such town
    assert by_id(verdun, "ville-bmo-lien") is None
    shown = texts(json.dumps(by_id(verdun, "ville-en-bref"), ensure_ascii=False))
    assert "Fab ID" in shown


def test_the_comparison_links_each_nearest_cnam_town(client):
    t = tree(client, "/ville/55545", "?comparer=88086")
    table = by_id(t, "ville-comparaison")
    found = links(table)
    # the Briey site named by its commune's current name (Val de Briey since 2017), as the coverage map names it
    assert found.get("Val de Briey") == "/ville/54099" and found.get("Épinal") == "/ville/88160"
    assert found.get("Champ-le-Duc") == "/ville/88086"


def test_profile_terms_carry_their_definition(client):
    t = tree(client, "/ville/55545")
    words = set(glossary_terms(t))
    assert {"Fab ID", "MESR", "BMO", "Zone d'emploi", "Bassin de vie"} <= words, words
    definitions = {c["props"]["data-definition"] for c in walk(t) if "glossary-term" in str(c["props"].get("className"))}
    assert TERMS["BMO"] in definitions and TERMS["MESR"] in definitions


def test_simulator_and_ranking_explain_their_terms(client):
    sim = tree(client, "/simulateur", "?ville=55545&concept=clef_en_main")
    assert "ARDAN" in glossary_terms(by_id(sim, "sim-concept-desc"))
    assert {"ETP", "OPCO", "CPF"} & set(glossary_terms(sim))
    ranking = tree(client, "/classement")
    words = glossary_terms(ranking)
    assert "BMO" in words and "zone d'emploi" in words
    assert words.count("?") >= 10  # every criterion's explanation: keyboard-reachable, not a mouse-only title
