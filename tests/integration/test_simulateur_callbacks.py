"""Callbacks of /simulateur, posted to the Dash endpoint as the browser does (tests/dash_client.py)."""
from __future__ import annotations

import json
import threading
from urllib.parse import urlencode

import pytest
from dash import no_update

from components.auth import LOCAL_EDITOR
from tests.dash_client import callback, outputs, page, text, texts

TOWN_KEY = '{"name":"sim","type":"commune-search"}.value'
SLIDERS_KEY = '{"name":["ALL"],"type":"sim-slider"}.value'
SLIDER_TYPES = ("sim-slider", "sim-slider-row", "sim-slider-value")


@pytest.fixture(scope="module")
def sim(tmp_path_factory, monkeypatch_module):
    """The page module on a throw-away scenario database."""
    db = tmp_path_factory.mktemp("sim") / "scenarios.db"
    monkeypatch_module.setenv("DATABASE_URL", f"sqlite:///{db}")
    import app  # noqa: F401 — registers the pages and their callbacks
    from models.stores import scenarios
    from pages import simulateur

    monkeypatch_module.setattr(scenarios, "_default_store", scenarios.ScenarioStore(
        scenarios.shared_engine(f"sqlite:///{db}")))
    return simulateur


@pytest.fixture(scope="module")
def client(sim):
    import app

    return app.server.test_client()  # from 127.0.0.1, no editor account: "poste local" may edit


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def slider_id(name):
    return json.dumps({"name": name, "type": "sim-slider"}, separators=(",", ":"))


def post(client, sim, trigger, values, changed=None, output=None):
    """``{"id.prop": value}`` of the callback whose first input is ``trigger`` (absent = not updated)."""
    expand = {t: list(sim.SLIDERS) for t in SLIDER_TYPES}
    return outputs(callback(client, trigger, values, changed=changed, expand=expand, output=output))


def per_slider(sim, out, kind, prop):
    return [out.get(f'{json.dumps({"name": n, "type": kind}, separators=(",", ":"))}.{prop}', no_update)
            for n in sim.SLIDERS]


def rendered(client, search: str) -> str:
    """The visible text of /simulateur for ``search``, through the Dash router."""
    status, body = page(client, "/simulateur", search)
    assert status == 200
    return texts(body)


def base_state(concept="hub", **overrides):
    return {"concept": concept, "ville": "54329", "overrides": overrides, "scenario": None}


def update(client, sim, state, trigger, value, concept=None, ville="54329", grid=None, loaded=None, saved=None):
    """Events → state (``on_event``), then state → view (``show``), as the browser chains them."""
    moved = json.loads(trigger.rsplit(".", 1)[0])["name"] if '"sim-slider"' in trigger else None
    sliders = [{"id": {"name": n, "type": "sim-slider"}, "property": "value", "value": value if n == moved else None}
               for n in sim.SLIDERS]
    values = {"sim-concept.value": concept or state["concept"], TOWN_KEY: ville, SLIDERS_KEY: sliders,
              "sim-grid.cellValueChanged": grid, "sim-reset.n_clicks": value if trigger == "sim-reset.n_clicks" else None,
              "sim-loaded.data": loaded, "sim-saved.data": saved, "sim-state.data": state}
    out = post(client, sim, "sim-concept.value", values, changed=trigger)
    result = {"state": out["sim-state.data"], "alert": out.get("sim-alert.children"),
              "concept": out.get("sim-concept.value", no_update),
              "s_value": per_slider(sim, out, "sim-slider", "value"),
              "s_style": per_slider(sim, out, "sim-slider-row", "style")}
    shown = post(client, sim, "sim-state.data", {"sim-state.data": result["state"]}, output="sim-url.search")
    keys = {"search": "sim-url.search", "kpis": "sim-kpis.children", "learners": "sim-fig-learners.figure",
            "money": "sim-fig-money.figure", "funding": "sim-fig-funding.figure", "cumul": "sim-fig-cumul.figure",
            "context": "sim-context.children", "rows": "sim-grid.rowData", "concept_desc": "sim-concept-desc.children"}
    return {**result, **{k: shown.get(v) for k, v in keys.items()}}


def save(client, sim, name, state, note="", headers=None):
    """One click on "Enregistrer": the request store with a new idempotency key (assets/24_save_watch.js)."""
    import secrets

    values = {"sim-save-request.data": {"key": secrets.token_hex(16), "n": 1}, "sim-scen-name.value": name,
              "sim-scen-note.value": note, "sim-state.data": state, "sim-scen-refresh.data": 0}
    return outputs(callback(client, "sim-save-request.data", values, headers=headers))


def scenario_options(client, sim):
    return post(client, sim, "sim-scen-refresh.data", {"sim-scen-refresh.data": 1})


def load(client, sim, sid):
    return post(client, sim, "sim-load.n_clicks", {"sim-load.n_clicks": 1, "sim-scen-pick.value": sid})


# --- live recompute --------------------------------------------------------------------------------------------
def test_moving_a_slider_recomputes_charts_kpis_and_url(client, sim):
    state = base_state()
    before = update(client, sim, state, "sim-reset.n_clicks", 1)
    after = update(client, sim, state, slider_id("auditeurs_croisiere") + ".value", 220)
    assert after["state"]["overrides"] == {"auditeurs_croisiere": 220.0}
    assert "auditeurs_croisiere=220" in after["search"] and "ville=54329" in after["search"]
    stacked = lambda fig: sum(tr["y"][4] for tr in fig["data"] if tr["type"] == "bar")  # noqa: E731
    assert stacked(after["learners"]) == pytest.approx(220) and stacked(before["learners"]) != pytest.approx(220)
    assert text(after["kpis"]) != text(before["kpis"])
    assert after["money"] != before["money"] and after["cumul"] != before["cumul"]
    assert all(v is no_update for v in after["s_value"])  # the slider in the user's hand is not overwritten
    assert next(r for r in after["rows"] if r["name"] == "auditeurs_croisiere")["valeur"] == 220


def test_editing_the_assumptions_table_accepts_a_french_decimal_and_refuses_garbage(client, sim):
    state = base_state()
    ok = update(client, sim, state, "sim-grid.cellValueChanged", None,
                grid=[{"rowId": "etp", "data": {"name": "etp"}, "value": "3,5", "colId": "valeur"}])
    assert ok["state"]["overrides"] == {"etp": 3.5} and ok["alert"] is None
    assert ok["s_value"][sim.SLIDERS.index("etp")] == 3.5  # the slider follows the table
    for bad, words in [("abc", "n'est pas un nombre"), ("-2", "hors de la plage"), ("", "manquante")]:
        out = update(client, sim, ok["state"], "sim-grid.cellValueChanged", None,
                     grid=[{"rowId": "etp", "data": {"name": "etp"}, "value": bad}])
        assert words in text(out["alert"]) and "etp" in text(out["alert"])
        assert out["state"]["overrides"] == {"etp": 3.5}  # nothing lost
        assert next(r for r in out["rows"] if r["name"] == "etp")["valeur"] == 3.5  # the cell is put back


def test_funder_shares_above_100_percent_are_refused(client, sim):
    state = base_state(part_etat=40)  # hub: 40 + 30 + 25 = 95 %
    out = update(client, sim, state, "sim-grid.cellValueChanged", None,
                 grid=[{"rowId": "part_region", "data": {"name": "part_region"}, "value": "60"}])
    assert "100 %" in text(out["alert"]) and out["state"]["overrides"] == {"part_etat": 40}


def test_changing_concept_resets_assumptions_and_updates_sliders(client, sim):
    state = base_state(auditeurs_croisiere=300)
    out = update(client, sim, state, "sim-concept.value", "fab_id", concept="fab_id")
    assert out["state"]["concept"] == "fab_id" and out["state"]["overrides"] == {}
    assert "concept=fab_id" in out["search"] and "auditeurs_croisiere" not in out["search"]
    visible = {n for n, s in zip(sim.SLIDERS, out["s_style"]) if s.get("display") != "none"}
    assert "part_insertion" in visible and "surface_m2" not in visible
    assert "recette_insertion" in visible and "recette_pst_soir_foad" not in visible  # no evening course in Fab ID
    assert "85" in text(out["concept_desc"])


def test_town_change_updates_context_and_bad_town_gets_a_message(client, sim):
    state = base_state()
    town = '{"name":"sim","type":"commune-search"}.value'
    out = update(client, sim, state, town, "88160", ville="88160")
    assert out["state"]["ville"] == "88160" and "ville=88160" in out["search"]
    from models.domain import demand
    from models.text import fr_format as F

    est = demand.town_estimate("88160", "hub")
    assert est["existant"]  # Épinal hosts a Cnam site: its own learners, not a new site's
    shown = text(out["context"])
    assert "Épinal" in shown and f"Auditeurs du site existant à Épinal : {F.num(est['central'])} par an" in shown
    assert f"fourchette {F.num(est['low'])} à {F.num(est['high'])}" in shown
    bad = update(client, sim, state, town, "99999", ville="99999")
    assert "Commune inconnue" in text(bad["alert"]) and bad["state"]["ville"] == "54329"


def test_reset_goes_back_to_defaults(client, sim):
    out = update(client, sim, base_state(etp=5, loyer_m2=50), "sim-reset.n_clicks", 1)
    assert out["state"]["overrides"] == {} and out["search"] == "?ville=54329&concept=hub"


# --- URL -------------------------------------------------------------------------------------------------------
def test_layout_reads_the_url_and_shows_french_messages_for_bad_values(client, sim):
    state, errors = sim.state_from_query({"ville": "00000", "concept": "campus", "etp": "-1",
                                          "auditeurs_croisiere": "abc", "scenario": "1;DROP", "loyer_m2": "90"})
    assert state["concept"] == "clef_en_main" and state["ville"] is None
    assert state["overrides"] == {"loyer_m2": 90.0}
    said = " ".join(errors)
    for words in ("Concept inconnu", "Commune inconnue", "etp", "auditeurs_croisiere", "Identifiant de scénario"):
        assert words in said
    shown = rendered(client, "?ville=00000&concept=campus&etp=-1")
    assert "Concept inconnu" in shown and "Traceback" not in shown


def test_url_round_trip_reproduces_the_view(client, sim):
    state = base_state("progressif", auditeurs_croisiere=250, loyer_m2=95.5)
    search = sim.search_string(state)
    from urllib.parse import parse_qsl
    again, errors = sim.state_from_query(dict(parse_qsl(search[1:])))
    assert errors == [] and again == state


def test_layout_survives_every_missing_or_empty_value(client, sim):
    for query in ({}, {"ville": ""}, {"concept": ""}, {"scenario": ""}, {"etp": ""}):
        assert "Simulateur" in rendered(client, "?" + urlencode(query))


# --- scenarios -------------------------------------------------------------------------------------------------
def test_save_list_load_compare_and_delete_a_scenario(client, sim):
    state = base_state("fab_id", etp=3)
    out = save(client, sim, "Lunéville « Fab ID »", state, "note")
    saved = out["sim-saved.data"]
    assert "enregistré" in text(out["sim-scen-msg.children"]) and saved["id"] and out["sim-scen-refresh.data"] == 1
    from models.stores.scenarios import default_store
    assert default_store().load(saved["id"]).author == LOCAL_EDITOR  # the account, not a typed name
    listed = scenario_options(client, sim)
    assert any(o["value"] == saved["id"] for o in listed["sim-scen-pick.options"])
    assert "Lunéville « Fab ID »" in text(listed["sim-scen-table.children"])
    loaded = load(client, sim, saved["id"])["sim-loaded.data"]
    assert loaded == {"id": saved["id"], "concept": "fab_id", "ville": "54329", "overrides": {"etp": 3.0}}
    out = update(client, sim, base_state(), "sim-loaded.data", loaded, loaded=loaded)
    assert out["state"]["scenario"] == saved["id"] and f"scenario={saved['id']}" in out["search"]
    assert out["concept"] == "fab_id"  # the concept picker follows the loaded scenario
    comparison = post(client, sim, "sim-cmp-a.value", {"sim-cmp-a.value": saved["id"], "sim-cmp-b.value": sim.CURRENT,
                                                        "sim-state.data": base_state("hub")})
    assert "Fab ID" in text(comparison["sim-compare.children"])
    assert "Hub de compétences" in text(comparison["sim-compare.children"])
    delete = {"sim-delete.submit_n_clicks": 1, "sim-scen-pick.value": saved["id"], "sim-scen-refresh.data": 1}
    refused = outputs(callback(client, "sim-delete.submit_n_clicks", delete, headers={"X-Forwarded-For": "198.51.100.1"}))
    assert "Modification refusée" in text(refused["sim-scen-msg.children"]) and "sim-saved.data" not in refused
    done = post(client, sim, "sim-delete.submit_n_clicks", delete)  # this machine, no account: allowed
    assert "corbeille" in text(done["sim-scen-msg.children"]) and done["sim-saved.data"] == {"deleted": saved["id"]}
    assert "introuvable" in text(load(client, sim, saved["id"])["sim-scen-msg.children"])


def test_saving_from_another_machine_without_an_account_is_refused(client, sim):
    before = len(scenario_options(client, sim)["sim-scen-pick.options"])
    out = save(client, sim, "Refusé", base_state(), headers={"X-Forwarded-For": "198.51.100.1"})
    assert "Modification refusée" in text(out["sim-scen-msg.children"]) and "sim-saved.data" not in out
    assert len(scenario_options(client, sim)["sim-scen-pick.options"]) == before


@pytest.mark.parametrize("name, words", [("x" * 10_000, "120 au maximum"), ("", "obligatoire"), (None, "obligatoire")])
def test_bad_scenario_names_get_a_french_message_and_nothing_is_saved(client, sim, name, words):
    before = len(scenario_options(client, sim)["sim-scen-pick.options"])
    out = save(client, sim, name, base_state())
    assert words in text(out["sim-scen-msg.children"]) and "sim-saved.data" not in out
    assert len(scenario_options(client, sim)["sim-scen-pick.options"]) == before


def test_hostile_scenario_names_are_kept_verbatim(client, sim):
    name = "Robert'); DROP TABLE sim_scenarios; -- \"quoted\""
    saved = save(client, sim, name, base_state())["sim-saved.data"]
    options = scenario_options(client, sim)["sim-scen-pick.options"]
    assert any(name in o["label"] and o["value"] == saved["id"] for o in options)


@pytest.mark.parametrize("bad", ["abc", "-4", "99999999", None])
def test_unknown_or_malformed_scenario_ids_get_a_french_message(client, sim, bad):
    out = load(client, sim, bad)
    assert "sim-loaded.data" not in out
    assert any(w in text(out["sim-scen-msg.children"]) for w in ("introuvable", "invalide", "Choisissez"))
    shown = rendered(client, "?" + urlencode({"scenario": bad or ""}))
    assert "Simulateur" in shown and "Traceback" not in shown


def test_two_clients_saving_at_the_same_moment_both_land(client, sim):
    import app

    barrier, results = threading.Barrier(2), []

    def one(i):
        own = app.server.test_client()
        barrier.wait()
        results.append(save(own, sim, "simultané", base_state(auditeurs_croisiere=150 + i)))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    ids = [r["sim-saved.data"]["id"] for r in results]
    assert len(set(ids)) == 2
    from models.stores.scenarios import default_store
    saved = [default_store().load(i) for i in ids]
    assert sorted(s.version for s in saved) == [1, 2]
    assert sorted(s.values["auditeurs_croisiere"] for s in saved) == [150, 151]


# --- through HTTP, as the browser calls it -----------------------------------------------------------------------
def test_slider_callback_through_the_dash_endpoint(client, sim):
    import app
    from benchmarks.bench_simulator import slider_request

    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    body = slider_request(sim, deps, "hub", 200)  # the same request the benchmark times
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    payload = resp.get_json()["response"]
    assert payload["sim-state"]["data"]["overrides"] == {"auditeurs_croisiere": 200}
    from benchmarks.bench_simulator import slider_move
    shown = slider_move(client, sim, deps, "hub", 200).get_json()["response"]
    assert "auditeurs_croisiere=200" in shown["sim-url"]["search"]
    assert "200" in json.dumps(shown["sim-kpis"]["children"])
