"""The ordering of every commune search box, on the real 5,115 communes of Grand Est (models/text/commune_search.py).

Oracles are independent of the module: the codes INSEE of the towns (COG), and for the ordering rules a plain
re-implementation over the raw table (folding by unicodedata, tiers by str methods, ties by population)."""
from __future__ import annotations

import unicodedata

import pytest

import geodata
from models.text.commune_search import CONTAINS, EXACT, PREFIX, CommuneIndex, fold, option_label, query_forms


@pytest.fixture(scope="module")
def index():
    return CommuneIndex.from_frame(geodata.communes())


@pytest.fixture(scope="module")
def communes():
    return geodata.communes()


# the town typed → its code INSEE (COG 2024); each has namesakes that contain it and used to come first
TOWNS = {"Verdun": "55545", "Saverne": "67437", "Metz": "57463", "Troyes": "10387", "Saint-Dié": "88413",
         "Épinal": "88160", "Bar-le-Duc": "55029", "Châlons-en-Champagne": "51108", "Sélestat": "67462"}


@pytest.mark.parametrize("typed, code", TOWNS.items())
def test_the_town_typed_comes_first(index, typed, code):
    assert index.search(typed)[0].code_insee == code


@pytest.mark.parametrize("typed", ["verdun", "VERDUN", " Verdun ", "Verdün"])
def test_case_spaces_and_accents_do_not_count(index, typed):
    assert index.search(typed)[0].code_insee == "55545"


@pytest.mark.parametrize("typed", ["Saint-Dié", "saint die", "St Dié", "St-Die", "ST. DIE", "saint-die-des-vosges",
                                   "Saint Dié des Vosges", "st die des vosges"])
def test_saint_die_whatever_the_spelling(index, typed):
    assert index.search(typed)[0].code_insee == "88413"


@pytest.mark.parametrize("typed, code", [("Ste-Marie-aux-Mines", "68298"), ("ste marie aux mines", "68298"),
                                         ("Sainte Marie aux Mines", "68298"),
                                         ("chalons en champagne", "51108"), ("Châlons en Champagne", "51108")])
def test_ste_and_hyphens(index, typed, code):
    assert index.search(typed)[0].code_insee == code


def test_exact_names_before_prefixes_before_the_rest(index):
    hits = index.search("Metz", limit=None)
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers) and tiers[0] == EXACT and PREFIX in tiers and CONTAINS in tiers
    names = [h.nom for h in hits]
    assert names[0] == "Metz"
    assert names.index("Metzervisse") < names.index("Montigny-lès-Metz")  # prefix before a larger "contains"
    assert "Montigny-lès-Metz" in names  # 21,854 inhabitants: more than any prefix match, still after them


def test_ties_by_population_descending(index):
    for typed in ("Verdun", "Saverne", "Troyes", "Sa", "Francheville"):
        hits = index.search(typed, limit=None)
        for tier in (EXACT, PREFIX, CONTAINS):
            pops = [h.population for h in hits if h.tier == tier]
            assert pops == sorted(pops, reverse=True), (typed, tier)


def test_homonyms_are_all_exact_and_told_apart_by_their_departement(index):
    hits = [h for h in index.search("Francheville") if h.tier == EXACT]
    assert sorted(h.departement for h in hits) == ["08", "51", "54"]
    labels = [h.label for h in hits]
    assert len(set(labels)) == 3
    assert "Francheville (51) · Marne · " in " ".join(labels) and "(54) · Meurthe-et-Moselle" in " ".join(labels)


def _plain(name: str) -> str:
    t = "".join(c for c in unicodedata.normalize("NFD", name) if unicodedata.category(c) != "Mn").lower()
    return "".join(ch for ch in t if ch.isalnum())


@pytest.mark.parametrize("typed", ["Verdun", "Saverne", "Metz", "Troyes", "Nancy", "ville", "sur"])
def test_same_set_and_order_as_a_plain_reimplementation(index, communes, typed):
    q = _plain(typed)
    keys = communes.nom.map(_plain)
    tier = keys.map(lambda k: 0 if k == q else 1 if k.startswith(q) else 2 if q in k else 3)
    expected = (communes.assign(tier=tier)[tier < 3]
                .sort_values(["tier", "population", "nom", "code_insee"], ascending=[True, False, True, True]))
    got = index.search(typed, limit=None)
    assert [h.code_insee for h in got] == expected.code_insee.tolist()


def test_a_code_insee_opens_its_commune_and_prefixes_list_codes(index):
    assert [h.code_insee for h in index.search("55545")] == ["55545"]
    hits = index.search("551", limit=None)
    assert hits and all(h.code_insee.startswith("551") for h in hits)
    assert [h.population for h in hits] == sorted((h.population for h in hits), reverse=True)


def test_too_short_or_unknown_gives_nothing(index):
    assert index.search("") == [] and index.search("V") == [] and index.search(" - ") == []
    assert index.search("Xyzzyville") == []


def test_limit_and_every_result_matches(index):
    assert len(index.search("sa")) == 12
    assert all("sa" in _plain(h.nom) for h in index.search("sa", limit=None))


def test_fold_and_query_forms():
    assert fold("Saint-Dié-des-Vosges") == "saint die des vosges"
    assert fold("L'Hôpital") == fold("l hopital") == "l hopital"
    assert query_forms("St-Dié") == ["st die", "saint die"]
    assert query_forms("Stenay") == ["stenay"]  # "st" only as a whole word
    assert option_label("Verdun", "55", "Meuse", "55545") == "Verdun (55) · Meuse · 55545"


def test_stenay_still_found_while_st_reads_saint(index):
    assert index.search("Stenay")[0].code_insee == "55502"
    assert any(h.nom.startswith("Saint-") for h in index.search("St ", limit=None))
