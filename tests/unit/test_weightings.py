"""Named weightings store: versions, validation, hostile names, concurrent saves (models/stores/weightings.py)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from models.stores import db
from models.domain.scoring import DEFAULT_DIRECTIONS, DEFAULT_WEIGHTS, KEYS
from models.stores.weightings import WeightingError, WeightingStore


@pytest.fixture
def store(tmp_path):
    return WeightingStore(db.engine(f"sqlite:///{tmp_path / 'w.db'}"))


def test_save_then_load_gives_every_criterion(store):
    w = store.save("Priorité emploi", {"chomage_ze": 3, "pop": 0}, {"densite": "plus"}, author="DR")
    back = store.load(w.id)
    assert back.name == "Priorité emploi" and back.version == 1 and back.author == "DR"
    assert set(back.weights) == set(KEYS) and set(back.directions) == set(KEYS)
    assert back.weights["chomage_ze"] == 3 and back.weights["population"] == 0
    assert back.directions["densite"] == 1
    assert back.weights["taux_pauvrete"] == DEFAULT_WEIGHTS["taux_pauvrete"]
    assert back.directions["population"] == DEFAULT_DIRECTIONS["population"]


def test_saving_an_existing_name_adds_a_version_and_keeps_the_old_one(store):
    first = store.save("Équilibre", {"population": 1})
    second = store.save("Équilibre", {"population": 4})
    assert (first.version, second.version) == (1, 2)
    assert store.load(first.id).weights["population"] == 1
    assert [w.version for w in store.list() if w.name == "Équilibre"] == [2, 1]


@pytest.mark.parametrize("name", ["l'équipe « Nord »", 'x"; DROP TABLE ranking_weightings; --', "Robert'); --",
                                  "%_*?", "é" * 120])
def test_quotes_sql_and_unicode_names_are_stored_as_text(store, name):
    w = store.save(name, {"population": 2})
    assert store.load(w.id).name == name.strip()
    assert len(store.list()) == 1  # the table is still there


@pytest.mark.parametrize("name,message", [("", "obligatoire"), ("   ", "obligatoire"), ("x" * 121, "121 caractères"),
                                          ("a\nb", "contrôle"), ("a\x00b", "contrôle")])
def test_bad_names_get_a_french_message_and_nothing_is_saved(store, name, message):
    with pytest.raises(WeightingError, match=message):
        store.save(name, {"population": 1})
    assert store.list() == []


@pytest.mark.parametrize("weights,directions,rule", [({"population": 50}, None, "renormalise"),
                                                     ({"inconnu": 1}, None, "renormalise"),
                                                     ({k: 0 for k in KEYS}, None, "renormalise"),
                                                     (None, {"population": "?"}, "renormalise"),
                                                     (None, None, "ignorer")])
def test_bad_weights_are_refused(store, weights, directions, rule):
    with pytest.raises(WeightingError):
        store.save("Test", weights, directions, rule)
    assert store.list() == []


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "1; DROP", None, "9" * 20])
def test_bad_ids_and_unknown_ids_get_a_french_message(store, bad):
    with pytest.raises(WeightingError):
        store.load(bad)
    with pytest.raises(WeightingError, match="introuvable"):
        store.load(12345)


def test_concurrent_saves_under_one_name_all_land_as_distinct_versions(store):
    def save(i):
        return store.save("Concurrente", {"population": i % 5}, author=f"u{i}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        saved = list(pool.map(save, range(24)))
    versions = sorted(w.version for w in saved)
    assert versions == list(range(1, 25))
    assert len(store.list()) == 24
    assert {store.load(w.id).author for w in saved} == {f"u{i}" for i in range(24)}
