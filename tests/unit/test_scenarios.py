"""Scenario store: versioned saves, list/load/delete, hostile names, concurrent saves."""
import threading

import pytest

from models.stores.db import engine
from models.stores.scenarios import MAX_NAME, ScenarioError, ScenarioStore, parse_scenario_id
from models.domain.simulator import default_parameters


@pytest.fixture
def store(tmp_path):
    return ScenarioStore(engine(f"sqlite:///{tmp_path / 'scenarios.db'}"))


def test_save_then_load_gives_back_the_values(store):
    sid = store.save("Lunéville", "hub", {"auditeurs_croisiere": 140, "loyer_m2": "90,5"}, author="DR",
                     note="première idée", code_insee="54329")
    sc = store.load(sid)
    assert (sc.name, sc.version, sc.author, sc.note, sc.concept, sc.code_insee) == \
        ("Lunéville", 1, "DR", "première idée", "hub", "54329")
    assert sc.values["auditeurs_croisiere"] == 140 and sc.values["loyer_m2"] == 90.5
    assert sc.overrides() == {"auditeurs_croisiere": 140, "loyer_m2": 90.5}
    assert sc.values == default_parameters("hub").replace(auditeurs_croisiere=140, loyer_m2=90.5).values


def test_saving_again_makes_a_new_version_and_keeps_the_old_one(store):
    first = store.save("Épinal", "fab_id", {"etp": 2})
    second = store.save("Épinal", "fab_id", {"etp": 3})
    assert first != second
    assert store.load(first).values["etp"] == 2 and store.load(first).version == 1
    assert store.load(second).values["etp"] == 3 and store.load(second).version == 2
    assert [s.version for s in store.list() if s.name == "Épinal"] == [2, 1]


def test_delete_removes_one_version_only(store):
    a = store.save("X", "hub")
    b = store.save("X", "hub")
    store.delete(a)
    assert [s.id for s in store.list()] == [b]
    with pytest.raises(ScenarioError, match="introuvable"):
        store.load(a)
    with pytest.raises(ScenarioError, match="introuvable"):
        store.delete(a)


@pytest.mark.parametrize("name", ["l'atelier \"test\"", "x'); DROP TABLE sim_scenarios; --", "Robert'); --",
                                  "%_\\ ; SELECT *"])
def test_quotes_and_sql_in_names_are_stored_as_plain_text(store, name):
    sid = store.save(name, "progressif", author="O'Brien", note="'; DELETE FROM sim_scenarios; --")
    assert store.load(sid).name == name and store.load(sid).author == "O'Brien"
    store.save("autre", "progressif")
    assert len(store.list()) == 2


def test_overlong_or_empty_names_are_refused_in_french_and_nothing_is_saved(store):
    with pytest.raises(ScenarioError, match="10\u202f000 caractères, 120 au maximum"):
        store.save("a" * 10_000, "hub")
    with pytest.raises(ScenarioError, match="obligatoire"):
        store.save("   ", "hub")
    with pytest.raises(ScenarioError, match="Note"):
        store.save("ok", "hub", note="n" * 5000)
    assert store.save("a" * MAX_NAME, "hub")
    assert len(store.list()) == 1


def test_bad_parameters_concept_or_town_are_refused(store):
    with pytest.raises(ScenarioError, match="auditeurs_croisiere"):
        store.save("x", "hub", {"auditeurs_croisiere": -5})
    with pytest.raises(ScenarioError, match="Concept inconnu"):
        store.save("x", "campus")
    with pytest.raises(ScenarioError, match="Code commune"):
        store.save("x", "hub", code_insee="'; --")
    assert store.list() == []


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "1.5", "", None, "1; DROP TABLE", "9" * 40])
def test_malformed_ids_get_a_french_message(store, bad):
    with pytest.raises(ScenarioError, match="invalide"):
        parse_scenario_id(bad)
    with pytest.raises(ScenarioError):
        store.load(bad)


def test_unknown_id_gets_a_french_message(store):
    with pytest.raises(ScenarioError, match="Scénario n° 424242 introuvable"):
        store.load("424242")


def test_concurrent_saves_from_several_threads_all_land(store):
    barrier = threading.Barrier(8)
    ids, errors = [], []

    def save(i):
        barrier.wait()
        try:
            ids.append(store.save("même nom", "clef_en_main", {"auditeurs_croisiere": 60 + i}, author=f"t{i}"))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    saved = [s for s in store.list() if s.name == "même nom"]
    assert sorted(s.version for s in saved) == list(range(1, 9))
    assert sorted(s.values["auditeurs_croisiere"] for s in saved) == [60 + i for i in range(8)]
    assert len(set(ids)) == 8
