"""Callbacks of /classement and the /sources layout, through the real Dash app (Flask test client)."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from components.ranking_url import decode_query, encode_query
from models.stores import db
from models.domain import scoring
from models.domain.scoring import CRITERIA, KEYS
from tests import dash_client


@pytest.fixture(scope="module")
def dash_app():
    import app as app_module

    client = app_module.server.test_client()
    client.get("/")  # registers the page callbacks
    return app_module.app, client


@pytest.fixture
def weighting_store(tmp_path, monkeypatch):
    from models.stores import weightings

    store = weightings.WeightingStore(db.engine(f"sqlite:///{tmp_path / 'cls.db'}"))
    monkeypatch.setattr(weightings, "_default_store", store)
    return store


def post(dash_app, fragment, outputs, inputs, state=(), changed=()):
    return dash_client.post(dash_app[1], fragment, outputs, inputs, state, changed)


def out(id_, prop):
    return {"id": id_, "property": prop}


def weight_inputs(weights: dict | None = None, directions: dict | None = None, missing="renormalise", added=()):
    w, d = scoring.check_weights(weights, directions)
    return [
        [{"id": {"key": k, "type": "cls-weight"}, "property": "value", "value": w[k]} for k in KEYS],
        [{"id": {"key": k, "type": "cls-dir"}, "property": "value", "value": d[k]} for k in KEYS],
        {"id": "cls-missing", "property": "value", "value": missing},
        {"id": "cls-candidates", "property": "data", "value": list(added)},
    ]


RANK_OUTPUTS = [out("cls-static", "data"), out("cls-ranking", "data"), out("cls-bars", "figure"),
                out("cls-map", "figure"), out("cls-url-sink", "data"), out("cls-summary", "children")]


def rank(dash_app, raw_weights=None, changed="cls-candidates.data", **kw):
    """The ranking callback's response, with the grid rows the browser would build (``rows``)."""
    from components.ranking_grid import merge_rows

    inputs = weight_inputs(**kw)
    if raw_weights:  # values a tampered request could send, bypassing check_weights
        for item in inputs[0]:
            item["value"] = raw_weights.get(item["id"]["key"], item["value"])
    r = post(dash_app, "cls-ranking.data", RANK_OUTPUTS, inputs, changed=[changed])
    if "cls-ranking" in r and "cls-static" in r:
        r["rows"] = merge_rows(r["cls-ranking"]["data"], r["cls-static"]["data"])
    return r


def test_default_ranking_lists_the_25_acv_towns_in_rank_order(dash_app):
    r = rank(dash_app)
    rows = r["rows"]
    assert len(rows) == 25
    assert [row["rang"] for row in rows] == sorted(row["rang"] for row in rows)
    expected = scoring.ranking()
    assert [row["code_insee"] for row in rows] == expected["code_insee"].tolist()
    assert all(row["ville"] == f"[{row['nom']}](/ville/{row['code_insee']})" for row in rows)  # a link to the profile
    assert all(row["concept"] for row in rows)  # concept suggestion from models.domain.concept_fit
    bars = r["cls-bars"]["figure"]["data"]
    assert len(bars) == len(KEYS)  # one stacked trace per weighted criterion
    # the map: each point is a town at its place, labelled with its rank and coloured by its score
    ops = {tuple(op["location"][2:]): op["params"]["value"] for op in r["cls-map"]["figure"]["operations"]}
    by_name = expected.set_index("nom")
    places = scoring.cached_table(tuple(scoring.ranking_candidates())).table.set_index("nom")
    assert len(ops[("customdata",)]) == 25
    for i, (name, score_text) in enumerate(ops[("customdata",)]):
        town = by_name.loc[name]
        assert ops[("text",)][i] == str(town["rang"])
        assert ops[("marker", "color")][i] == pytest.approx(round(float(town["score"]), 1))
        assert (ops[("lon",)][i], ops[("lat",)][i]) == pytest.approx((places.loc[name, "lon"], places.loc[name, "lat"]),
                                                                     abs=1e-4)


def test_a_weight_change_sends_only_the_weight_dependent_fields(dash_app):
    key = '{"key":"chomage_ze","type":"cls-weight"}.value'
    r = rank(dash_app, weights={"chomage_ze": 3}, changed=key)
    assert "cls-static" not in r  # raw values and concepts were sent with the candidate set
    assert set(r["cls-ranking"]["data"]) == {"code_insee", "rang", "score", "couverture", "manquants"}
    assert '"lon"' not in json.dumps(r["cls-map"]["figure"])  # map points unchanged, colours and labels only


def test_a_weight_change_reorders_and_writes_the_url(dash_app):
    only_unemployment = {k: (5.0 if k == "chomage_ze" else 0.0) for k in KEYS}
    r = rank(dash_app, weights=only_unemployment)
    rows = r["rows"]
    rates = [row["chomage_ze"] for row in rows]
    assert rates == sorted(rates, reverse=True)
    assert rows[0]["code_insee"] != rank(dash_app)["rows"][0]["code_insee"]
    search = r["cls-url-sink"]["data"]
    assert "chz.5.p" in search and "pop.0.p" in search
    w, d, added, missing, errors = decode_query(search.split("w=")[1].split("&")[0])
    assert (w, errors) == (scoring.check_weights(only_unemployment)[0], [])


def test_reversing_a_direction_reverses_that_criterion(dash_app):
    weights = {k: (1.0 if k == "population" else 0.0) for k in KEYS}
    up = rank(dash_app, weights=weights)["rows"]
    down = rank(dash_app, weights=weights, directions={"population": -1})["rows"]
    assert up[0]["code_insee"] == down[-1]["code_insee"]


def test_added_communes_are_ranked_and_flagged_when_data_is_missing(dash_app):
    r = rank(dash_app, added=["57463", "08053"])
    rows = {row["code_insee"]: row for row in r["rows"]}
    assert len(rows) == 27 and rows["57463"]["acv"] == "ajoutée"
    assert rows["08053"]["demandeurs_emploi"] is None  # shown « n.d. », never 0
    assert "Demandeurs d'emploi" in rows["08053"]["manquants"]
    assert "add=57463_08053" in r["cls-url-sink"]["data"]
    assert "donnée inconnue" in json.dumps(r["cls-summary"]["children"], ensure_ascii=False)


def test_tampered_weight_gives_a_french_message_not_an_error(dash_app):
    r = rank(dash_app, raw_weights={"population": 99})
    assert "cls-ranking" not in r and "cls-bars" not in r  # nothing changed
    assert "hors limites" in json.dumps(r["cls-summary"], ensure_ascii=False)


CAND_OUTPUTS = [out("cls-candidates", "data"), out("cls-add-msg", "children"), out("cls-added-list", "children")]


def candidates(dash_app, trigger, code=None, pop_min="10000", added=()):
    inputs = [{"id": i, "property": "n_clicks", "value": 1 if i == trigger else None}
              for i in ("cls-add", "cls-add-pop", "cls-clear", "cls-add-pvd")]
    state = [{"id": {"name": "cls", "type": "commune-search"}, "property": "value", "value": code},
             {"id": "cls-pop-min", "property": "value", "value": pop_min},
             {"id": "cls-candidates", "property": "data", "value": list(added)}]
    return post(dash_app, "cls-candidates.data", CAND_OUTPUTS, inputs, state, changed=[f"{trigger}.n_clicks"])


def test_add_one_commune_then_all_communes_above_a_threshold(dash_app):
    import geodata

    r = candidates(dash_app, "cls-add", code="57463")
    assert r["cls-candidates"]["data"] == ["57463"]
    r = candidates(dash_app, "cls-add-pop", pop_min="20000", added=["57463"])
    added = r["cls-candidates"]["data"]
    com = geodata.commune_index()
    big = set(com.loc[(com.population >= 20000) & ~com.is_acv, "code_insee"])
    assert set(added) == big | {"57463"} and added[0] == "57463"
    assert candidates(dash_app, "cls-clear", added=added)["cls-candidates"]["data"] == []


@pytest.mark.parametrize("code,message", [("99999", "inconnu"), (None, "Choisissez"), ("88160", "déjà candidate")])
def test_adding_a_bad_or_duplicate_commune_says_why(dash_app, code, message):
    r = candidates(dash_app, "cls-add", code=code)
    assert "cls-candidates" not in r
    assert message in json.dumps(r["cls-add-msg"], ensure_ascii=False)


def test_bad_threshold_is_refused(dash_app):
    r = candidates(dash_app, "cls-add-pop", pop_min="dix mille")
    assert "invalide" in json.dumps(r["cls-add-msg"], ensure_ascii=False)


def save(dash_app, name, weights=None):
    inputs = [{"id": "cls-save", "property": "n_clicks", "value": 1}]
    w = weight_inputs(weights)
    state = [{"id": "cls-save-name", "property": "value", "value": name}, w[0], w[1], w[2]]
    return post(dash_app, "cls-weighting-msg.children...cls-saved.options", [out("cls-weighting-msg", "children"),
                out("cls-saved", "options")], inputs, state, changed=["cls-save.n_clicks"])


def load(dash_app, weighting_id, trigger="cls-load"):
    outputs = [[out({"key": k, "type": "cls-weight"}, "value") for k in KEYS],
               [out({"key": k, "type": "cls-dir"}, "value") for k in KEYS],
               out("cls-missing", "value"), out("cls-weighting-msg", "children")]
    inputs = [{"id": "cls-load", "property": "n_clicks", "value": 1},
              {"id": "cls-reset", "property": "n_clicks", "value": 1 if trigger == "cls-reset" else None}]
    state = [{"id": "cls-saved", "property": "value", "value": weighting_id}]
    return post(dash_app, '"type":"cls-weight"}.value...', outputs, inputs, state, changed=[f"{trigger}.n_clicks"])


def test_save_then_reload_a_named_weighting(dash_app, weighting_store):
    weights = {k: 0.5 for k in KEYS} | {"chomage_ze": 4.0}
    r = save(dash_app, "Priorité « chômage » ; DROP TABLE x; --", weights)
    assert "enregistrée" in json.dumps(r["cls-weighting-msg"], ensure_ascii=False)
    options = r["cls-saved"]["options"]
    assert len(options) == 1 and "DROP TABLE" in options[0]["label"]
    assert weighting_store.list()[0].author == "poste local"  # no account: the local machine, not a typed name
    loaded = load(dash_app, options[0]["value"])
    weight_values = {json.loads(k)["key"]: v["value"] for k, v in loaded.items() if k.startswith("{") and "cls-weight" in k}
    assert weight_values == {k: weights[k] for k in KEYS}
    assert "chargée" in json.dumps(loaded["cls-weighting-msg"], ensure_ascii=False)


@pytest.mark.parametrize("name,message", [("", "obligatoire"), ("x" * 200, "200 caractères")])
def test_bad_weighting_names_get_a_french_message(dash_app, weighting_store, name, message):
    r = save(dash_app, name)
    assert message in json.dumps(r["cls-weighting-msg"], ensure_ascii=False)
    assert weighting_store.list() == []


@pytest.mark.parametrize("wid,message", [(None, "Choisissez"), (987654, "introuvable"), ("abc", "invalide")])
def test_loading_nothing_or_an_unknown_weighting_says_so(dash_app, weighting_store, wid, message):
    r = load(dash_app, wid)
    assert message in json.dumps(r["cls-weighting-msg"], ensure_ascii=False)


def test_reset_restores_the_default_weights(dash_app, weighting_store):
    r = load(dash_app, None, trigger="cls-reset")
    weight_values = {json.loads(k)["key"]: v["value"] for k, v in r.items() if k.startswith("{") and "cls-weight" in k}
    assert weight_values == scoring.DEFAULT_WEIGHTS


def test_csv_export_has_every_town_and_its_contributions(dash_app):
    inputs = [{"id": "cls-export", "property": "n_clicks", "value": 1}]
    w = weight_inputs({"population": 3}, added=["57463"])
    r = post(dash_app, "cls-download.data", out("cls-download", "data"), inputs, [w[0], w[1], w[2], w[3]],
             changed=["cls-export.n_clicks"])
    data = r["cls-download"]["data"]
    assert data["filename"].endswith(".csv") and data["content"].startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data["content"][1:]), delimiter=";"))
    assert len(rows) == 26 and rows[0]["rang"] == "1"
    assert any(c.startswith("apport Population") for c in rows[0])
    assert any("[poids 3, plus = mieux]" in c for c in rows[0])
    first = rows[0]
    total = sum(float(v.replace(",", ".")) for c, v in first.items() if c.startswith("apport") and v)
    assert total == pytest.approx(float(first["score"].replace(",", ".")), abs=0.1)


def test_layout_reproduces_the_url_and_reports_bad_parts(dash_app):
    from pages import classement

    weights = {k: 2.0 for k in KEYS} | {"population": 0.5}
    search = encode_query(*scoring.check_weights(weights, {"densite": "plus"}), ["57463"], "zero")
    query = dict(part.split("=", 1) for part in search[1:].split("&"))
    page = classement.layout(**query)
    text = json.dumps(page.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert '"value": 0.5' in text and "57463" in text and '"value": "zero"' in text
    assert "Adresse partiellement invalide" not in text
    bad = classement.layout(w="pop.9.p_zz.1_den.x", add="99999_abc", m="tout")
    text = json.dumps(bad.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    for message in ("Adresse partiellement invalide", "hors limites", "Critère inconnu", "99999", "Règle"):
        assert message in text


def test_sources_page_lists_every_dataset_every_geodata_file_and_the_assumptions():
    import geodata
    from models.domain.simulator import load_catalogue
    from models.text.display_names import plain
    from pages import sources

    text = json.dumps(sources.layout().to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    for path in geodata.DIR.iterdir():
        if path.is_file():
            assert path.name in text, path.name
    for name, d in geodata.sources()["datasets"].items():
        assert d["title"] in text and d["licence"] in text
        if d["gaps"]:
            assert plain(d["gaps"]) in text  # as shown: dates in words, no build identifiers
    spec = next(iter(load_catalogue().concepts.values())).specs
    assert all(s.label in text for s in spec.values())
    assert "Licence Ouverte / Etalab 2.0" in text and "INSEE" in text
    assert [c.label for c in CRITERIA]  # the ranking's criteria are documented on their own page


def test_classement_explains_each_criterion_scale_source_and_date(dash_app):
    """Issue 16: the criteria explanations say how counts and distances are scaled, and each criterion's source
    and date; /sources lists the same."""
    from models.text.display_names import plain
    from pages import classement, sources

    page = json.dumps(classement.layout().to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    src = json.dumps(sources.layout().to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "Un service manquant ne coûte jamais un critère entier" in page
    assert "échelle saturante fixe n = x / (x + 1) (0 → 0,00 ; 1 → 0,50 ; 2 → 0,67" in page
    assert "échelle saturante fixe n = 5 / (5 + distance) (0\u00a0km → 1,00 ; 5\u00a0km → 0,50" in page
    for c in CRITERIA:
        assert c.source and c.date
        assert f"Source : {c.source} ({plain(c.date)})." in page  # dates in words on screen
        assert f"cls-def-{c.key}" in page and f"src-criterion-{c.key}" in src
        assert c.scale_text() in src and plain(c.date) in src
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", plain(c.date))


def test_grid_names_saint_avold_station_in_valmont_and_the_mission_locale_of_saint_louis(dash_app):
    rows = {row["code_insee"]: row for row in rank(dash_app, added=["68297"])["rows"]}
    assert rows["57606"]["gare"] == "Saint-Avold (Valmont)"
    assert rows["57606"]["gare_km"] == pytest.approx(2.39, abs=0.01)
    assert rows["68297"]["mission_locale_km"] == 0
    assert rows["68297"]["mission_locale"] == "ML SAINT-LOUIS ALTKIRCH (porte le nom de la ville, siège à Altkirch)"
