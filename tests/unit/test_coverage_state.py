"""The /couverture state in the URL: round trip, one validation for URL and controls, French messages."""
from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from components import coverage_state as cs


def query_of(state: dict) -> dict:
    return dict(parse_qsl(cs.encode_query(state)[1:], keep_blank_values=True))


def test_every_key_is_written_and_a_link_gives_back_the_same_state():
    state = {**cs.DEFAULTS, "minutes": 45, "k": 8, "candidats": "acv_bv", "methode": "rapide", "objectif": "apprenants",
             "viable": True, "budget": 1_500_000.0, "ajouts": ["57463", "08053"], "inclure": True, "regle": "0",
             "temps": "regle_1_3", "facteur": 1.2, "opt": True}
    query = query_of(state)
    assert set(query) == set(cs.DEFAULTS)
    assert query["ajouts"] == "57463_08053" and query["opt"] == "1" and query["budget"] == "1500000"
    parsed, errors = cs.parse_query(query)
    assert errors == [] and parsed == state


def test_defaults_round_trip_with_empty_rate_and_budget():
    parsed, errors = cs.parse_query(query_of(cs.DEFAULTS))
    assert errors == [] and parsed == cs.DEFAULTS and parsed["objectif"] == "population" and parsed["budget"] is None


@pytest.mark.parametrize("key, raw, words", [
    ("minutes", "abc", "Temps de trajet maximal"), ("minutes", "10", "de 15 à 90"), ("k", "2.5", "entier"),
    ("k", "41", "Nombre de nouveaux sites"), ("candidats", "villages", "inconnu"), ("ajouts", "00000", "inconnu"),
    ("opt", "oui", "0 ou 1"), ("facteur", "5", "Facteur"), ("budget", "-3", "Budget"), ("concept", "x", "Concept"),
])
def test_invalid_values_fall_back_to_the_default_with_a_french_message(key, raw, words):
    parsed, errors = cs.parse_query({key: raw})
    assert parsed[key] == cs.DEFAULTS[key]
    assert len(errors) == 1 and words in errors[0] and "Valeur par défaut" in errors[0]


def test_french_decimal_comma_is_accepted_and_unknown_keys_ignored():
    parsed, errors = cs.parse_query({"facteur": "1,25", "taux": "0,9", "utm_source": "mail"})  # an old key: ignored
    assert errors == [] and parsed["facteur"] == 1.25 and "taux" not in parsed


def test_changing_a_plan_parameter_hides_the_old_result_but_the_level_does_not():
    state = {**cs.DEFAULTS, "opt": True}
    assert cs.update(state, {"k": 5})[0]["opt"] is False
    assert cs.update(state, {"niveau": "epci"})[0]["opt"] is True
    new, errors = cs.update(state, {"k": "beaucoup"})
    assert new == state and "Nombre de nouveaux sites" in errors[0]


def test_plan_request_carries_every_optimiser_parameter():
    state = {**cs.DEFAULTS, "k": 8, "methode": "comparer", "objectif": "apprenants", "ajouts": ["57463"], "regle": "1"}
    r = cs.plan_request(state)
    assert (r.k, r.method, r.objective, r.added, r.rule) == (8, "both", "apprenants", ("57463",), "1")
    hash(r)  # cached per request
