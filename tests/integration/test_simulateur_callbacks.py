"""Callbacks of /simulateur, called as Dash calls them (callback context set, or through the Flask test client)."""
from __future__ import annotations

import json
import threading
from contextvars import copy_context

import pytest
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

DB_URL = None


@pytest.fixture(scope="module")
def sim(tmp_path_factory, monkeypatch_module):
    """The page module on a throw-away scenario database."""
    db = tmp_path_factory.mktemp("sim") / "scenarios.db"
    monkeypatch_module.setenv("DATABASE_URL", f"sqlite:///{db}")
    import app  # noqa: F401 — registers the pages and their callbacks
    from models import scenarios
    from pages import simulateur

    monkeypatch_module.setattr(scenarios, "_default_store", scenarios.ScenarioStore(
        scenarios.shared_engine(f"sqlite:///{db}")))
    return simulateur


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def call(fn, triggered: list[tuple[str, object]], *args):
    """Run callback ``fn`` as if ``triggered`` = [(prop_id, value)] had changed."""
    def run():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": p, "value": v} for p, v in triggered]))
        return fn(*args)
    return copy_context().run(run)


def slider_id(name):
    return json.dumps({"name": name, "type": "sim-slider"}, separators=(",", ":"))


def text_of(component) -> str:
    """All the text inside a Dash component tree."""
    if component is None or component is no_update:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def base_state(concept="hub", **overrides):
    return {"concept": concept, "ville": "54329", "overrides": overrides, "scenario": None}


def update(sim, state, trigger, value, concept=None, ville="54329", grid=None, loaded=None, saved=None):
    """Events → state (``on_event``), then state → view (``show``), as the browser chains them."""
    out = call(sim.on_event, [(trigger, value)], concept or state["concept"], ville, [], grid, None, loaded, saved,
               state)
    keys = ["state", "alert", "concept", "town", "town_options", "s_value", "s_min", "s_max", "s_step", "s_marks",
            "s_style"]
    result = dict(zip(keys, out))
    shown = call(sim.show, [("sim-state.data", result["state"])], result["state"])
    keys = ["search", "kpis", "learners", "money", "funding", "cumul", "context", "rows", "concept_desc", "s_text"]
    return {**result, **dict(zip(keys, shown))}


# --- live recompute --------------------------------------------------------------------------------------------
def test_moving_a_slider_recomputes_charts_kpis_and_url(sim):
    state = base_state()
    before = update(sim, state, "sim-reset.n_clicks", 1)
    after = update(sim, state, slider_id("auditeurs_croisiere") + ".value", 220)
    assert after["state"]["overrides"] == {"auditeurs_croisiere": 220.0}
    assert "auditeurs_croisiere=220" in after["search"] and "ville=54329" in after["search"]
    stacked = lambda fig: sum(tr["y"][4] for tr in fig["data"] if tr["type"] == "bar")  # noqa: E731
    assert stacked(after["learners"]) == pytest.approx(220) and stacked(before["learners"]) != pytest.approx(220)
    assert text_of(after["kpis"]) != text_of(before["kpis"])
    assert after["money"] != before["money"] and after["cumul"] != before["cumul"]
    assert all(v is no_update for v in after["s_value"])  # the slider in the user's hand is not overwritten
    assert next(r for r in after["rows"] if r["name"] == "auditeurs_croisiere")["valeur"] == 220


def test_editing_the_assumptions_table_accepts_a_french_decimal_and_refuses_garbage(sim):
    state = base_state()
    ok = update(sim, state, "sim-grid.cellValueChanged", None,
                grid=[{"rowId": "etp", "data": {"name": "etp"}, "value": "3,5", "colId": "valeur"}])
    assert ok["state"]["overrides"] == {"etp": 3.5} and ok["alert"] is None
    assert ok["s_value"][sim.SLIDERS.index("etp")] == 3.5  # the slider follows the table
    for bad, words in [("abc", "n'est pas un nombre"), ("-2", "hors de la plage"), ("", "manquante")]:
        out = update(sim, ok["state"], "sim-grid.cellValueChanged", None,
                     grid=[{"rowId": "etp", "data": {"name": "etp"}, "value": bad}])
        assert words in text_of(out["alert"]) and "etp" in text_of(out["alert"])
        assert out["state"]["overrides"] == {"etp": 3.5}  # nothing lost
        assert next(r for r in out["rows"] if r["name"] == "etp")["valeur"] == 3.5  # the cell is put back


def test_funder_shares_above_100_percent_are_refused(sim):
    state = base_state(part_etat=40)  # hub: 40 + 30 + 25 = 95 %
    out = update(sim, state, "sim-grid.cellValueChanged", None,
                 grid=[{"rowId": "part_region", "data": {"name": "part_region"}, "value": "60"}])
    assert "100 %" in text_of(out["alert"]) and out["state"]["overrides"] == {"part_etat": 40}


def test_changing_concept_resets_assumptions_and_updates_sliders(sim):
    state = base_state(auditeurs_croisiere=300)
    out = update(sim, state, "sim-concept.value", "fab_id", concept="fab_id")
    assert out["state"]["concept"] == "fab_id" and out["state"]["overrides"] == {}
    assert "concept=fab_id" in out["search"] and "auditeurs_croisiere" not in out["search"]
    visible = {n for n, s in zip(sim.SLIDERS, out["s_style"]) if s.get("display") != "none"}
    assert "part_insertion" in visible and "surface_m2" not in visible
    assert "recette_insertion" in visible and "recette_pst_soir_foad" not in visible  # no evening course in Fab ID
    assert "85" in text_of(out["concept_desc"])


def test_town_change_updates_context_and_bad_town_gets_a_message(sim):
    state = base_state()
    town = '{"name":"sim","type":"commune-search"}.value'
    out = update(sim, state, town, "88160", ville="88160")
    assert out["state"]["ville"] == "88160" and "ville=88160" in out["search"]
    assert "Épinal" in text_of(out["context"]) and "taux régional" in text_of(out["context"])
    bad = update(sim, state, town, "99999", ville="99999")
    assert "Commune inconnue" in text_of(bad["alert"]) and bad["state"]["ville"] == "54329"


def test_reset_goes_back_to_defaults(sim):
    out = update(sim, base_state(etp=5, loyer_m2=50), "sim-reset.n_clicks", 1)
    assert out["state"]["overrides"] == {} and out["search"] == "?ville=54329&concept=hub"


# --- URL -------------------------------------------------------------------------------------------------------
def test_layout_reads_the_url_and_shows_french_messages_for_bad_values(sim):
    state, errors = sim.state_from_query({"ville": "00000", "concept": "campus", "etp": "-1",
                                          "auditeurs_croisiere": "abc", "scenario": "1;DROP", "loyer_m2": "90"})
    assert state["concept"] == "clef_en_main" and state["ville"] is None
    assert state["overrides"] == {"loyer_m2": 90.0}
    text = " ".join(errors)
    for words in ("Concept inconnu", "Commune inconnue", "etp", "auditeurs_croisiere", "Identifiant de scénario"):
        assert words in text
    page = sim.layout(ville="00000", concept="campus", etp="-1")
    assert "Concept inconnu" in text_of(page) and "Traceback" not in text_of(page)


def test_url_round_trip_reproduces_the_view(sim):
    state = base_state("progressif", auditeurs_croisiere=250, loyer_m2=95.5)
    search = sim.search_string(state)
    from urllib.parse import parse_qsl
    again, errors = sim.state_from_query(dict(parse_qsl(search[1:])))
    assert errors == [] and again == state


def test_layout_survives_every_missing_or_empty_value(sim):
    for query in ({}, {"ville": ""}, {"concept": ""}, {"scenario": ""}, {"etp": ""}):
        assert "Simulateur" in text_of(sim.layout(**query))


# --- scenarios -------------------------------------------------------------------------------------------------
def test_save_list_load_compare_and_delete_a_scenario(sim):
    state = base_state("fab_id", etp=3)
    msg, saved, nonce = call(sim.save_scenario, [("sim-save.n_clicks", 1)], 1, "Lunéville « Fab ID »", "DR",
                             "note", state, 0)
    assert "enregistré" in text_of(msg) and saved["id"] and nonce == 1
    options, cmp_a, _, table = call(sim.refresh_scenarios, [("sim-scen-refresh.data", 1)], 1)
    assert any(o["value"] == saved["id"] for o in options) and "Lunéville « Fab ID »" in text_of(table)
    msg, loaded = call(sim.load_scenario, [("sim-load.n_clicks", 1)], 1, saved["id"])
    assert loaded == {"id": saved["id"], "concept": "fab_id", "ville": "54329", "overrides": {"etp": 3.0}}
    out = update(sim, base_state(), "sim-loaded.data", loaded, loaded=loaded)
    assert out["state"]["scenario"] == saved["id"] and f"scenario={saved['id']}" in out["search"]
    assert out["concept"] == "fab_id"  # the concept picker follows the loaded scenario
    comparison = call(sim.compare, [("sim-cmp-a.value", saved["id"])], saved["id"], sim.CURRENT, base_state("hub"))
    assert "Fab ID" in text_of(comparison) and "Hub de compétences" in text_of(comparison)
    msg, _, deleted = call(sim.delete_scenario, [("sim-delete.submit_n_clicks", 1)], 1, saved["id"], 1)
    assert "Modification refusée" in text_of(msg) and deleted is no_update  # nobody signed in (issue 11)
    import app
    with app.server.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):  # this machine
        msg, _, deleted = call(sim.delete_scenario, [("sim-delete.submit_n_clicks", 1)], 1, saved["id"], 1)
    assert "corbeille" in text_of(msg) and deleted == {"deleted": saved["id"]}
    msg, _ = call(sim.load_scenario, [("sim-load.n_clicks", 2)], 2, saved["id"])
    assert "introuvable" in text_of(msg)


@pytest.mark.parametrize("name, words", [("x" * 10_000, "120 au maximum"), ("", "obligatoire"), (None, "obligatoire")])
def test_bad_scenario_names_get_a_french_message_and_nothing_is_saved(sim, name, words):
    before = len(call(sim.refresh_scenarios, [("sim-scen-refresh.data", 1)], 1)[0])
    msg, saved, _ = call(sim.save_scenario, [("sim-save.n_clicks", 1)], 1, name, "", "", base_state(), 0)
    assert words in text_of(msg) and saved is no_update
    assert len(call(sim.refresh_scenarios, [("sim-scen-refresh.data", 1)], 1)[0]) == before


def test_hostile_scenario_names_are_kept_verbatim(sim):
    name = "Robert'); DROP TABLE sim_scenarios; -- \"quoted\""
    _, saved, _ = call(sim.save_scenario, [("sim-save.n_clicks", 1)], 1, name, "O'Neil", "", base_state(), 0)
    options = call(sim.refresh_scenarios, [("sim-scen-refresh.data", 1)], 1)[0]
    assert any(name in o["label"] and o["value"] == saved["id"] for o in options)


@pytest.mark.parametrize("bad", ["abc", "-4", "99999999", None])
def test_unknown_or_malformed_scenario_ids_get_a_french_message(sim, bad):
    msg, loaded = call(sim.load_scenario, [("sim-load.n_clicks", 1)], 1, bad)
    assert loaded is no_update and any(w in text_of(msg) for w in ("introuvable", "invalide", "Choisissez"))
    page = sim.layout(scenario=bad or "")
    assert "Traceback" not in text_of(page)


def test_two_clients_saving_at_the_same_moment_both_land(sim):
    barrier, results = threading.Barrier(2), []

    def client(i):
        barrier.wait()
        results.append(call(sim.save_scenario, [("sim-save.n_clicks", 1)], 1, "simultané", f"client {i}", "",
                            base_state(auditeurs_croisiere=150 + i), 0))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    ids = [r[1]["id"] for r in results]
    assert len(set(ids)) == 2
    from models.scenarios import default_store
    saved = [default_store().load(i) for i in ids]
    assert sorted(s.version for s in saved) == [1, 2]
    assert sorted(s.values["auditeurs_croisiere"] for s in saved) == [150, 151]


# --- through HTTP, as the browser calls it -----------------------------------------------------------------------
def test_slider_callback_through_the_dash_endpoint(sim):
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
