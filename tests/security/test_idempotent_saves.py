"""A save whose answer was lost and is sent again is recognised, not duplicated (issue 19, part 2): the store's
idempotency key, and the simulator's save callback posted twice with the same key (what a retry of a pending save
sends, assets/24_save_watch.js), each answer naming its key so that the page knows the save got its answer."""
from __future__ import annotations

import json

from models.stores import scenarios
from models.stores.scenarios import ScenarioStore
from tests.dash_client import callback
from tests.security.conftest import new_engine

SAVE = "sim-save-request.data"
KEY_A, KEY_B = "0f" * 16, "a1" * 16


def test_same_key_saves_once_other_keys_save_again(tmp_path):
    store = ScenarioStore(new_engine(f"sqlite:///{tmp_path / 'k.db'}"))
    a = store.save("essai", "hub", {}, request_key="clé-1")
    assert store.save("essai", "hub", {}, request_key="clé-1") == a  # the retry: same id, nothing added
    b = store.save("essai", "hub", {}, request_key="clé-2")          # another click: a new version
    assert b != a and [s.version for s in store.list()] == [2, 1]


def _values(key, n=1, name="Relance"):
    return {SAVE: {"key": key, "n": n}, "sim-scen-name.value": name, "sim-scen-note.value": "",
            "sim-state.data": {"concept": "hub", "ville": "55545", "overrides": {}, "scenario": None},
            "sim-scen-refresh.data": 0}


def test_retried_save_request_is_recognised_not_duplicated(tmp_path, monkeypatch):
    import app

    store = ScenarioStore(new_engine(f"sqlite:///{tmp_path / 'ui.db'}"))
    monkeypatch.setattr(scenarios, "_default_store", store)
    client = app.server.test_client()  # this machine, no account: the "poste local" editor
    answers = [callback(client, SAVE, _values(KEY_A, n)).get_json()["response"] for n in (1, 2)]  # click, retry
    assert all("enregistré" in json.dumps(a, ensure_ascii=False) for a in answers), answers
    assert [a["sim-save-ack"]["data"] for a in answers] == [KEY_A, KEY_A]  # each answer names its request
    assert answers[0]["sim-saved"] == answers[1]["sim-saved"]  # the same scenario
    assert [s.name for s in store.list()] == ["Relance"]  # one save, not two
    callback(client, SAVE, _values(KEY_B))  # a new save (new key): a new version
    assert [s.version for s in store.list()] == [2, 1]


def test_a_refused_save_still_answers_for_its_key_and_a_bad_key_is_not_trusted(tmp_path, monkeypatch):
    import app

    store = ScenarioStore(new_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    monkeypatch.setattr(scenarios, "_default_store", store)
    client = app.server.test_client()
    refused = callback(client, SAVE, _values(KEY_A, name="")).get_json()["response"]  # no name: refused
    assert refused["sim-save-ack"]["data"] == KEY_A and "sim-saved" not in refused and store.list() == []
    # a key that is not the page's (wrong form) is not an idempotency key: two such requests are two saves
    for _ in range(2):
        out = callback(client, SAVE, _values("x' OR 1=1 --")).get_json()["response"]
        assert out["sim-save-ack"]["data"] is None
    assert [s.version for s in store.list()] == [2, 1]
