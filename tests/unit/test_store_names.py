"""One name rule for both versioned stores (scenarios and weightings): a name or an author is one line without any
control character (before, scenario names accepted line breaks and weighting names did not); a scenario's note may
keep its line breaks and tabs, nothing else."""
import pytest

from models.stores.db import engine
from models.stores.scenarios import ScenarioError, ScenarioStore
from models.stores.weightings import WeightingError, WeightingStore

BAD = ["a\nb", "a\rb", "a\x00b", "a\x1bb", "a\x7fb", "a\tb", "a\x0bb"]


@pytest.fixture
def stores(tmp_path):
    eng = engine(f"sqlite:///{tmp_path / 'names.db'}")
    return ScenarioStore(eng), WeightingStore(eng)


def save(store, name="Nom", author=""):
    if isinstance(store, ScenarioStore):
        return store.save(name, "hub", author=author)
    return store.save(name, {"population": 1}, author=author).id


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("field", ["name", "author"])
def test_both_stores_refuse_control_characters_in_names_and_authors(stores, bad, which, field):
    store = stores[which]
    with pytest.raises((ScenarioError, WeightingError), match="caractères de contrôle interdits"):
        save(store, **{field: bad})
    assert store.list() == []


@pytest.mark.parametrize("which", [0, 1])
def test_ordinary_names_are_kept_in_both_stores(stores, which):
    store = stores[which]
    rid = save(store, "  Épinal « Nord » — l'équipe  ", "Claire")
    assert store.load(rid).name == "Épinal « Nord » — l'équipe"


def test_a_note_keeps_its_line_breaks_but_no_other_control_character(stores):
    scenarios = stores[0]
    sid = scenarios.save("Note", "hub", note="ligne 1\nligne 2\r\n\tfin")
    assert scenarios.load(sid).note == "ligne 1\nligne 2\r\n\tfin"
    with pytest.raises(ScenarioError, match="contrôle"):
        scenarios.save("Note", "hub", note="a\x1bb")
