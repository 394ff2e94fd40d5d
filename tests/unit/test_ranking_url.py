"""The ranking's URL encoding (components/ranking_url.py): round trip, tolerance, French messages."""
from __future__ import annotations

import re

import numpy as np
import pytest

from components.ranking_url import decode_query, encode_query
from models.domain import scoring
from models.domain.scoring import KEYS
from models.domain.territory import Territory


def parse(search: str) -> dict:
    return dict(part.split("=", 1) for part in search.lstrip("?").split("&"))


def test_round_trip_of_random_states():
    rng = np.random.default_rng(3)
    for _ in range(50):
        weights = {k: float(rng.choice(np.arange(0, 5.5, 0.5))) for k in KEYS} | {"population": 2.5}
        directions = {k: int(rng.choice([1, -1])) for k in KEYS}
        added = ["57463", "54395"][: rng.integers(0, 3)]
        missing = str(rng.choice(list(scoring.MISSING_RULES)))
        search = encode_query(weights, directions, added, missing)
        assert re.fullmatch(r"\?[A-Za-z0-9._~=&-]+", search)  # nothing to percent-encode
        assert decode_query(**parse(search)) == (weights, directions, added, missing, [])


def test_empty_query_gives_the_defaults():
    assert decode_query() == (scoring.DEFAULT_WEIGHTS, scoring.DEFAULT_DIRECTIONS, [], "renormalise", [])


def test_a_missing_sign_keeps_the_default_direction_and_long_names_are_accepted():
    w, d, *_ , errors = decode_query("den.2_population.1.5")
    assert (w["densite"], d["densite"], w["population"], errors) == (2.0, -1, 1.5, [])


@pytest.mark.parametrize("query,message", [
    ({"w": "pop.9.p"}, "hors limites"), ({"w": "pop.abc.p"}, "non numérique"), ({"w": "xyz.1.p"}, "Critère inconnu"),
    ({"w": "pop"}, "non numérique"), ({"w": "_".join(f"{c.short}.0.p" for c in scoring.CRITERIA)}, "nuls"),
    ({"add": "99999"}, "inconnu"), ({"add": "<script>"}, "inconnu"), ({"m": "n'importe"}, "Règle"),
])
def test_bad_parts_are_ignored_with_a_french_message(query, message):
    weights, directions, added, missing, errors = decode_query(**query)
    assert any(message in e for e in errors), errors
    assert sum(weights.values()) > 0 and missing in scoring.MISSING_RULES
    assert all(code in Territory.from_geodata() for code in added)


def test_acv_towns_and_duplicates_are_not_added_twice():
    *_, added, _, errors = decode_query(add="88160_57463_57463")
    assert added == ["57463"] and errors == []
