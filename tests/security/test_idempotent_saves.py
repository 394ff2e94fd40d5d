"""A save whose answer was lost and is sent again is recognised, not duplicated (issue 19, part 2): the store's
idempotency key, and the simulator's save callback posted twice with the same body (what a retry sends)."""
from __future__ import annotations

import json

from models.stores import scenarios
from models.stores.scenarios import ScenarioStore
from tests.dash_client import callback
from tests.security.conftest import new_engine

SAVE = "sim-save.n_clicks"


def test_same_key_saves_once_other_keys_save_again(tmp_path):
    store = ScenarioStore(new_engine(f"sqlite:///{tmp_path / 'k.db'}"))
    a = store.save("essai", "hub", {}, request_key="clé-1")
    assert store.save("essai", "hub", {}, request_key="clé-1") == a  # the retry: same id, nothing added
    b = store.save("essai", "hub", {}, request_key="clé-2")          # another click: a new version
    assert b != a and [s.version for s in store.list()] == [2, 1]


def test_retried_save_request_is_recognised_not_duplicated(tmp_path, monkeypatch):
    import app

    store = ScenarioStore(new_engine(f"sqlite:///{tmp_path / 'ui.db'}"))
    monkeypatch.setattr(scenarios, "_default_store", store)
    client = app.server.test_client()  # this machine, no account: the "poste local" editor
    values = {SAVE: 3, "sim-scen-name.value": "Relance", "sim-scen-note.value": "",
              "sim-state.data": {"concept": "hub", "ville": "55545", "overrides": {}, "scenario": None},
              "sim-scen-refresh.data": 0}
    answers = [json.dumps(callback(client, SAVE, values).get_json(), ensure_ascii=False) for _ in range(2)]
    assert all("enregistré" in a for a in answers), answers
    assert [s.name for s in store.list()] == ["Relance"]  # one save, not two
    callback(client, SAVE, {**values, SAVE: 4})  # a new click: a new version
    assert [s.version for s in store.list()] == [2, 1]
