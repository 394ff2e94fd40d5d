"""Callbacks of /couverture through the real Dash endpoint (Flask test client): what each user action sends back."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine

import app
import geodata
from models import db
from models import network as netmod
from models.coverage import coverage
from pages import couverture

ADD = '{"name":"cov-add","type":"commune-search"}'
MOVE = '{"name":"cov-move","type":"commune-search"}'
REFERENCE = {"version": 0, "codes": list(geodata.cnam_sites().code_insee), "label": "réseau de référence"}
BASE = {"cov-minutes.value": 30, "cov-weight.value": "population", "cov-detour.value": 1.3, "cov-speed.value": 60,
        "cov-network-store.data": REFERENCE, "cov-level.value": "departement"}


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


def post(client, output_start: str, values: dict, changed: list[str]):
    """POST like the browser does; returns (status, {component: {prop: value}})."""
    key = next(k for k in app.app.callback_map if k.startswith(".." + output_start) or k.startswith(output_start))
    spec = app.app.callback_map[key]

    def item(d):
        ident = json.loads(d["id"]) if d["id"].startswith("{") else d["id"]
        return {"id": ident, "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}

    def out(o):
        return {"id": o.component_id, "property": o.component_property.split("@")[0]}

    outputs = [out(o) for o in spec["output"]] if isinstance(spec["output"], list) else out(spec["output"])
    payload = {"output": key, "outputs": outputs, "inputs": [item(i) for i in spec["inputs"]],
               "state": [item(s) for s in spec["state"]], "changedPropIds": changed}
    r = client.post("/_dash-update-component", json=payload)
    return r.status_code, (r.get_json() or {}).get("response", {}) if r.status_code == 200 else {}


def patch_ops(fig_patch: dict) -> dict:
    return {".".join(map(str, op["location"])): op["params"].get("value") for op in fig_patch["operations"]}


def test_threshold_move_patches_only_the_uncovered_trace_and_kpis(client):
    _, at30 = post(client, "cov-map.figure", BASE, ["cov-minutes.value"])
    _, at45 = post(client, "cov-map.figure", {**BASE, "cov-minutes.value": 45}, ["cov-minutes.value"])
    ops30, ops45 = patch_ops(at30["cov-map"]["figure"]), patch_ops(at45["cov-map"]["figure"])
    assert not any(k.startswith("data.0") for k in ops45)  # times and geometry are not re-sent
    expected = coverage(REFERENCE["codes"], 45)
    assert sorted(ops45["data.1.locations"]) == sorted(expected.uncovered_codes)
    assert len(ops45["data.1.locations"]) < len(ops30["data.1.locations"])
    assert "45 min" in json.dumps(at45["cov-kpis"], ensure_ascii=False)
    zones = at45["cov-zones"]["rowData"]
    assert [z["population"] for z in zones] == sorted((z["population"] for z in zones), reverse=True)
    deps = at45["cov-levels"]["rowData"]
    assert sum(d["covered_population"] for d in deps) == pytest.approx(expected.covered_population)


def test_speed_change_re_sends_times(client):
    _, out = post(client, "cov-map.figure", {**BASE, "cov-speed.value": 90}, ["cov-speed.value"])
    ops = patch_ops(out["cov-map"]["figure"])
    assert len(ops["data.0.z"]) == len(geodata.communes())
    assert len(ops["data.1.locations"]) < len(coverage(REFERENCE["codes"], 30).uncovered_codes)


@pytest.mark.parametrize("detour, speed", [(0.5, 60), (1.3, 500), ("abc", 60)])
def test_bad_travel_settings_give_a_french_message(client, detour, speed):
    status, out = post(client, "cov-map.figure", {**BASE, "cov-detour.value": detour, "cov-speed.value": speed},
                       ["cov-detour.value"])
    assert status == 200
    text = json.dumps(out["cov-settings-alert"], ensure_ascii=False)
    assert "hors limites" in text or "invalides" in text
    assert "cov-map" not in out  # map left as it was


def test_jobseekers_weighting_says_how_many_communes_are_known(client):
    _, out = post(client, "cov-map.figure", {**BASE, "cov-weight.value": "demandeurs_emploi"}, ["cov-weight.value"])
    n_known = int(geodata.communes().demandeurs_emploi.notna().sum())
    assert f"demande connue pour {n_known} communes" in json.dumps(out["cov-kpis"], ensure_ascii=False)


OPT = {"cov-optimise.n_clicks": 1, "cov-k.value": 4, "cov-method.value": "both", "cov-budget.value": None,
       "cov-viable.value": False, "cov-concept.value": "clef_en_main", "cov-penetration.value": 0.9,
       "cov-candidate-set.value": "acv", "cov-bv-min.value": 10000, "cov-added.data": [], **BASE}


def test_optimise_returns_k_sites_proved_optimal_with_gap(client):
    _, out = post(client, "cov-chosen.rowData", OPT, ["cov-optimise.n_clicks"])
    rows = out["cov-chosen"]["rowData"]
    assert len(rows) == 4 and {r["code_insee"] for r in rows} <= set(geodata.acv().code_insee)
    text = json.dumps(out["cov-opt-message"], ensure_ascii=False)
    assert "optimum prouvé" in text and "écart" in text
    assert all("expected_learners" in r and "break_even" in r for r in rows)
    assert out["cov-optimised"]["data"]["codes"] == [r["code_insee"] for r in rows]


def test_optimise_with_budget_respects_it(client):
    budget = 600_000
    _, out = post(client, "cov-chosen.rowData", {**OPT, "cov-budget.value": budget, "cov-method.value": "exact"},
                  ["cov-optimise.n_clicks"])
    rows = out["cov-chosen"]["rowData"]
    assert 0 < len(rows) < 4 and sum(r["cost"] for r in rows) <= budget
    assert "Budget utilisé" in json.dumps(out["cov-opt-message"], ensure_ascii=False)


@pytest.mark.parametrize("bad", [{"cov-k.value": -1}, {"cov-k.value": 2.5}, {"cov-budget.value": -5},
                                 {"cov-minutes.value": 500}])
def test_optimise_bad_input_gives_french_message(client, bad):
    status, out = post(client, "cov-chosen.rowData", {**OPT, **bad}, ["cov-optimise.n_clicks"])
    assert status == 200 and "cov-chosen" not in out
    assert "alert" in json.dumps(out["cov-opt-message"]).lower()


def test_comparison_has_current_optimised_and_user_selection(client):
    values = {"cov-optimised.data": {"codes": ["68066", "10387"], "label": "Optimisé (test)"},
              "cov-candidates.selectedRows": [{"code_insee": "57672"}], **BASE}
    _, out = post(client, "cov-comparison.rowData", values, ["cov-candidates.selectedRows"])
    rows = out["cov-comparison"]["rowData"]
    assert [r["reseau"] for r in rows] == ["Réseau actuel", "Optimisé (test)", "Ma sélection"]
    assert rows[1]["covered_population"] == pytest.approx(
        coverage(REFERENCE["codes"] + ["68066", "10387"], 30).covered_population)
    assert rows[0]["covered_population"] < rows[2]["covered_population"]
    assert [r["nouveaux"] for r in rows] == [0, 2, 1]


def test_network_edits_are_persisted_with_author(client, temp_db):
    edit = {"cov-add-btn.n_clicks": 1, "cov-author.value": None, f"{ADD}.value": "55545",
            "cov-tabs.active_tab": "reseau"}
    _, out = post(client, "cov-network-store.data", edit, ["cov-add-btn.n_clicks"])
    assert "Indiquez votre nom" in json.dumps(out["cov-edit-message"], ensure_ascii=False)
    assert netmod.history(temp_db).empty  # nothing written
    _, out = post(client, "cov-network-store.data", {**edit, "cov-author.value": "Intégration"},
                  ["cov-add-btn.n_clicks"])
    store = out["cov-network-store"]["data"]
    assert "55545" in store["codes"] and store["version"] == 1 and "Intégration" in store["label"]
    assert netmod.history(temp_db).author.tolist() == ["Intégration"]
    _, out = post(client, "cov-network-store.data", {**edit, "cov-reset-confirm.submit_n_clicks": 1,
                                                     "cov-author.value": "Intégration"},
                  ["cov-reset-confirm.submit_n_clicks"])
    assert out["cov-network-store"]["data"]["codes"] == REFERENCE["codes"]


def test_layout_validates_query_values():
    page = couverture.layout(minutes="abc", poids="revenu", k="3")
    text = str(page)
    assert "invalide pour « minutes »" in text and "inconnu pour « poids »" in text
    state, errors = couverture.parse_query({"minutes": "45", "detour": "1,4", "k": "3"})
    assert (state["minutes"], state["detour"], state["k"], errors) == (45, 1.4, 3, [])


def test_csv_exports_are_wired(client):
    for grid, button in (("cov-candidates", "cov-export-candidates"), ("cov-network", "cov-export-network"),
                         ("cov-zones", "cov-export-zones"), ("cov-chosen", "cov-export-chosen")):
        _, out = post(client, f"{grid}.exportDataAsCsv", {f"{button}.n_clicks": 1}, [f"{button}.n_clicks"])
        assert out[grid]["exportDataAsCsv"] is True
