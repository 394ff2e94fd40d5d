"""Callbacks of /couverture through the real Dash endpoint (Flask test client): events → state, state → view."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from sqlalchemy import create_engine

import app
import geodata
from tests.dash_client import callback
from components import coverage_state as cs
from components import network_editor as editor
from models.stores import db
from models.stores import network as netmod
from models.domain.coverage import coverage
from pages import couverture

ADD = '{"name":"cov-add","type":"commune-search"}'
SEARCH = '{"name":"cov-candidate","type":"commune-search"}'
STORE = editor.network_store(netmod.Network(sites=netmod.reference_network()))
ACV = set(geodata.acv()["code_insee"])


@pytest.fixture(scope="module")
def client():
    c = app.server.test_client()
    assert c.get("/_dash-layout").status_code == 200  # callbacks registered
    return c


@pytest.fixture
def temp_db(monkeypatch, tmp_path):
    eng = create_engine(f"sqlite:///{tmp_path / 'atlas.db'}")
    monkeypatch.setattr(db, "engine", lambda url=None: eng)
    return eng


def post(client, trigger: str, values: dict, changed: str | None = None):
    """The callback whose first input is ``trigger``, as the browser posts it; returns (status, response)."""
    r = callback(client, trigger, values, changed=changed)
    return r.status_code, (r.get_json() or {}).get("response", {}) if r.status_code == 200 else {}


def controls(state: dict, **extra) -> dict:
    """Control values as the page shows them for ``state`` (+ the reducer's State)."""
    values = {f"{cid}.value": state[key] for cid, key in couverture.CONTROLS.items()}
    return {**values, "cov-rule.value": True, "cov-state.data": state, "cov-network-store.data": STORE, **extra}


def reduce(client, state, changed, **values):
    _, out = post(client, "cov-minutes.value", controls(state, **values), changed[0])
    return out


def render(client, state, rendered=None):
    _, out = post(client, "cov-state.data", {"cov-state.data": state, "cov-network-store.data": STORE,
                                             "cov-rendered.data": rendered or {}})
    return out


def text(component) -> str:
    return json.dumps(component, ensure_ascii=False)


def patch_ops(fig_patch: dict) -> dict:
    return {".".join(map(str, op["location"])): op["params"].get("value") for op in fig_patch["operations"]}


def test_optimise_click_sets_opt_and_writes_the_whole_state_in_the_url(client):
    state = {**cs.DEFAULTS, "k": 8, "candidats": "acv_bv"}
    out = reduce(client, state, ["cov-optimise.n_clicks"], **{"cov-optimise.n_clicks": 1})
    new = out["cov-state"]["data"]
    assert new["opt"] is True
    query = parse_qs(out["cov-url"]["search"][1:], keep_blank_values=True)
    assert set(query) == set(cs.DEFAULTS) and query["opt"] == ["1"] and query["k"] == ["8"]
    parsed, errors = cs.parse_query({k: v[0] for k, v in query.items()})
    assert errors == [] and parsed == {k: new[k] for k in cs.DEFAULTS}  # the link gives back the same state
    changed = reduce(client, new, ["cov-k.value"], **{"cov-k.value": 9})["cov-state"]["data"]
    assert changed["k"] == 9 and changed["opt"] is False  # a result computed for k = 8 is not shown for 9


def test_bad_control_value_keeps_the_state_and_says_so_in_french(client):
    state = dict(cs.DEFAULTS)
    out = reduce(client, state, ["cov-k.value"], **{"cov-k.value": 2.5})
    assert out["cov-state"]["data"]["k"] == state["k"]
    assert "Nombre de nouveaux sites" in text(out["cov-state-alert"]) and "entier" in text(out["cov-state-alert"])


def test_rule_checkbox_follows_the_candidate_set_until_the_user_chooses(client):
    state = dict(cs.DEFAULTS)
    out = reduce(client, state, ["cov-candidate-set.value"], **{"cov-candidate-set.value": "acv_bv"})
    assert out["cov-rule"]["value"] is True and out["cov-state"]["data"]["regle"] == "auto"
    out = reduce(client, out["cov-state"]["data"], ["cov-rule.value"], **{"cov-rule.value": False,
                                                                          "cov-candidate-set.value": "acv_bv"})
    assert out["cov-state"]["data"]["regle"] == "0"
    out = reduce(client, state, ["cov-candidate-set.value"], **{"cov-candidate-set.value": "acv"})
    assert out["cov-rule"]["value"] is False  # only ACV towns: the rule has nothing to limit


def test_adding_a_town_appends_it_to_the_state(client):
    out = reduce(client, dict(cs.DEFAULTS), [f"{SEARCH}.value"], **{f"{SEARCH}.value": "57463"})
    assert out["cov-state"]["data"]["ajouts"] == ["57463"]
    assert "ajouts=57463" in out["cov-url"]["search"]


def test_render_after_optimising_shows_before_after_and_the_proposed_network(client):
    state = {**cs.DEFAULTS, "k": 8, "candidats": "acv_bv", "opt": True}
    base = render(client, {**state, "opt": False})
    out = render(client, state, base["cov-rendered"]["data"])
    rows = out["cov-chosen"]["rowData"]
    assert len(rows) == 8 and sum(r["code_insee"] not in ACV for r in rows) <= 2  # the 25 % rule
    kpis = text(out["cov-kpis"])
    assert "→" in kpis and "habitants à moins de 30" in kpis
    ops = patch_ops(out["cov-map"]["figure"])
    assert len(ops["data.0.z"]) == len(geodata.communes())  # times recoloured for the proposed network
    proposed = [c for c in ops["data.2.customdata"] if c[1] == "propose"]
    assert {c[0] for c in proposed} == {r["code_insee"] for r in rows}
    assert sorted({c[2] for c in proposed}, key=int) == [str(i) for i in range(1, 9)]
    network = STORE["sites"]
    after = coverage(list({s["code_insee"] for s in network}) + [r["code_insee"] for r in rows], 30)
    assert len(ops["data.1.locations"]) <= len(after.uncovered_codes) + 50  # sites at own coordinates vs town hall
    message = text(out["cov-opt-message"])
    assert "optimum prouvé" in message and "Règle des 25 %" in message
    assert [r["reseau"].split(" (")[0] for r in out["cov-comparison"]["rowData"]] == ["Réseau actuel", "Proposé"]


def test_threshold_change_sends_only_the_veil_not_times_nor_candidates_again(client):
    state = dict(cs.DEFAULTS)
    first = render(client, state)
    out = render(client, {**state, "minutes": 45}, first["cov-rendered"]["data"])
    ops = patch_ops(out["cov-map"]["figure"])
    assert not any(k.startswith("data.0") for k in ops)
    assert len(ops["data.1.locations"]) < len(patch_ops(first["cov-map"]["figure"])["data.1.locations"])
    assert "45" in text(out["cov-kpis"])
    again = render(client, {**state, "minutes": 45, "k": 5}, out["cov-rendered"]["data"])
    assert "cov-candidates" not in again or "rowData" not in again["cov-candidates"]  # unchanged rows not re-sent


def test_zones_are_named_by_towns_and_departements(client):
    out = render(client, dict(cs.DEFAULTS))
    zones = out["cov-zones"]["rowData"]
    assert [z["population"] for z in zones] == sorted((z["population"] for z in zones), reverse=True)
    assert all("(" in z["nom"] and "," in z["nom"].split(" (")[0] for z in zones if z["communes"] >= 3)


def test_infeasible_plan_gives_a_french_message(client):
    """A budget of 1 € opens no site: a warning that says why, never a green "success"."""
    out = render(client, {**cs.DEFAULTS, "budget": 1.0, "opt": True})
    shown = text(out["cov-opt-message"])
    assert out["cov-chosen"]["rowData"] == []
    assert "Aucun site ne tient dans le budget" in shown
    assert "sites proposés" not in shown and "optimum prouvé" not in shown and "Traceback" not in shown
    alert = json.dumps(out["cov-opt-message"], ensure_ascii=False)
    assert '"color": "warning"' in alert and '"color": "success"' not in alert


def test_fab_id_with_the_break_even_is_refused_in_french(client):
    out = render(client, {**cs.DEFAULTS, "viable": True, "concept": "fab_id", "opt": True})
    assert "Fab ID accueille des personnes éloignées de l'emploi" in text(out) and out["cov-chosen"]["rowData"] == []


def test_layout_validates_query_values():
    page = str(couverture.layout(minutes="abc", poids="revenu", k="3"))
    assert "Temps de trajet maximal : « abc » invalide" in page and "Pondération : « revenu » inconnu" in page


def test_a_shared_optimisation_link_starts_the_job_instead_of_optimising_in_the_page_request(client, monkeypatch):
    """Issue 19: ``opt=1`` in the URL never runs the optimiser inside the page request; the page hands its state to
    the render callback (the background job of "Optimiser"), which reproduces the optimisation."""
    from dash._utils import to_json

    from models.domain import planning as planner
    from tests.dash_client import by_id

    calls = []
    real_plan = planner.plan
    monkeypatch.setattr(planner, "plan", lambda *a, **k: calls.append(a) or real_plan(*a, **k))
    query = {"k": "8", "candidats": "acv_bv", "opt": "1", "minutes": "37"}  # 37 min: in no earlier cache
    tree = json.loads(to_json(couverture.layout(**query)))
    assert calls == []  # the page request did not optimise
    state = by_id(tree, "cov-state")["props"]["data"]
    assert state["opt"] is True and state["k"] == 8 and state["minutes"] == 37
    assert by_id(tree, "cov-autorun")["props"]["data"] == state  # handed to the render callback on load
    assert by_id(tree, "cov-job")["props"]["style"] == {"display": "block"}  # the bar from the start
    assert "→" not in json.dumps(by_id(tree, "cov-kpis"), ensure_ascii=False)  # no before → after yet
    plain = json.loads(to_json(couverture.layout(**{**query, "opt": "0"})))
    assert by_id(plain, "cov-autorun")["props"]["data"] is None
    assert by_id(plain, "cov-job")["props"]["style"] == {"display": "none"}
    # the browser's link: cov-autorun → cov-state (clientside, fires on load), and cov-state → the render job
    deps = client.get("/_dash-dependencies").get_json()
    auto = [d for d in deps if d["inputs"] == [{"id": "cov-autorun", "property": "data"}]]
    assert len(auto) == 1 and auto[0]["output"].startswith("cov-state.data") and auto[0]["clientside_function"]
    assert auto[0]["prevent_initial_call"] is False  # "initial_duplicate": runs when the page appears
    out = render(client, state, by_id(tree, "cov-rendered")["props"]["data"])
    assert len(calls) == 1 and "→" in text(out)  # the job optimised, once
    assert out == render(client, state, by_id(tree, "cov-rendered")["props"]["data"])  # and reproducibly


def test_network_edits_need_an_editor_and_are_recorded_under_their_name(client, temp_db):
    edit = {"cov-add-btn.n_clicks": 1, f"{ADD}.value": "55545", "cov-tabs.active_tab": "reseau"}
    local = client.environ_base["REMOTE_ADDR"]
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"  # another machine, not signed in: refused (issue 11)
    try:
        _, out = post(client, "cov-add-btn.n_clicks", edit)
    finally:
        client.environ_base["REMOTE_ADDR"] = local
    assert "cov-network-store" not in out and "Modification refusée" in json.dumps(out, ensure_ascii=False)
    assert netmod.history(temp_db).empty  # nothing written
    _, out = post(client, "cov-add-btn.n_clicks", edit)  # this machine, no account
    store = out["cov-network-store"]["data"]
    assert "55545" in store["codes"] and store["version"] == 1 and "poste local" in store["label"]
    assert len(store["sites"]) == len(STORE["sites"]) + 1 and all("lon" in s for s in store["sites"])


def test_csv_exports_are_wired(client):
    for grid, button in (("cov-candidates", "cov-export-candidates"), ("cov-network", "cov-export-network"),
                         ("cov-zones", "cov-export-zones"), ("cov-chosen", "cov-export-chosen")):
        _, out = post(client, f"{button}.n_clicks", {f"{button}.n_clicks": 1})
        assert out[grid]["exportDataAsCsv"] is True
