"""The simulator's state module: URL ↔ state and user events → state, without Dash."""
from __future__ import annotations

from urllib.parse import parse_qsl

from components.simulator_state import Event, default_state, parameters, reduce, search_string, state_from_query
from models.domain.simulator import concept


def test_url_carries_plain_numbers_not_a_display_format():
    state = {**default_state("hub"), "ville": "88160", "overrides": {"loyer_m2": 95.5, "etp": 5.0}}
    search = search_string(state)
    assert search == "?ville=88160&concept=hub&etp=5&loyer_m2=95.5"
    again, errors = state_from_query(dict(parse_qsl(search[1:])))
    assert errors == [] and again == state


def test_a_value_equal_to_the_default_is_not_an_override():
    spec = concept("hub").specs["etp"]
    state, _ = reduce({**default_state("hub"), "overrides": {"etp": spec.default + 1}},
                      Event("param", spec.default, "etp"))
    assert state["overrides"] == {}


def test_a_refused_value_keeps_the_state_and_says_why_in_french():
    state = {**default_state("hub"), "overrides": {"etp": 3.0}}
    for bad, words in (("deux", "n'est pas un nombre"), ("-1", "hors de la plage"), ("", "manquante")):
        new, message = reduce(state, Event("param", bad, "etp"))
        assert new["overrides"] == {"etp": 3.0} and words in message and "précédente est conservée" in message


def test_moving_a_value_forgets_the_loaded_scenario_and_a_new_concept_resets_the_values():
    state = {**default_state("hub"), "ville": "54329", "overrides": {"etp": 3.0}, "scenario": 7}
    moved, _ = reduce(state, Event("param", "4", "etp"))
    assert moved["overrides"] == {"etp": 4.0} and moved["scenario"] is None
    other, _ = reduce(moved, Event("concept", "fab_id"))
    assert other == {**default_state("fab_id"), "ville": "54329"}
    unknown, message = reduce(moved, Event("concept", "campus"))
    assert unknown == moved and "Concept inconnu" in message


def test_town_events_check_the_code():
    state, message = reduce(default_state(), Event("ville", "99999"))
    assert state["ville"] is None and "Commune inconnue" in message
    state, message = reduce(default_state(), Event("ville", "88160"))
    assert state["ville"] == "88160" and message is None


def test_parameters_of_a_state_are_the_defaults_plus_its_overrides():
    params = parameters({**default_state("progressif"), "overrides": {"auditeurs_croisiere": 250.0}})
    assert params.values["auditeurs_croisiere"] == 250
    assert params.values["etp"] == concept("progressif").specs["etp"].default


def test_presentation_flag_in_the_url_is_not_a_parameter():
    state, errors = state_from_query({"presentation": "1", "concept": "hub"})
    assert errors == [] and state == default_state("hub")
