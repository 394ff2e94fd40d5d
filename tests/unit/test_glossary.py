"""The glossary of terms a mayor may not know (issue #18, part 6): whole words only, longest term first, one
plain-French definition each."""
from __future__ import annotations

import pytest

from models.text.glossary import TERMS, definition, find_terms


def test_terms_are_found_as_whole_words_only():
    text = "Bassin BMO ; ZEP et ZE ; Fab IDs ou Fab ID ; ETPs ; l'ACV, PVD."
    assert [t for _, _, t in find_terms(text)] == ["BMO", "ZE", "Fab ID", "ACV", "PVD"]
    start, end, word = find_terms(text)[0]
    assert text[start:end] == word == "BMO"


def test_the_longest_term_wins_and_case_is_as_written():
    assert [t for _, _, t in find_terms("Taux de la zone d'emploi")] == ["zone d'emploi"]
    assert find_terms("bmo, fab id, Zone d'emploi") == []  # written otherwise: not the same term
    assert find_terms("") == [] and find_terms(None) == []


def test_every_term_has_a_sentence_in_french_and_the_concepts_are_all_there():
    from models.domain.concept_fit import CONCEPTS
    from models.domain.simulator import concept, concept_ids

    for word, text in TERMS.items():
        assert text[0].isupper() and text.endswith(".") and len(text) > 40, word
        assert word not in ("Press", "Map") and " the " not in text
    assert set(CONCEPTS.values()) <= set(TERMS)
    assert {concept(c).label for c in concept_ids()} <= set(TERMS)
    with pytest.raises(KeyError):
        definition("XYZ")


def test_numbers_in_definitions_use_the_french_thousands_separator():
    assert "1\u202f000 m²" in TERMS["Hub de compétences"] and "20\u202f000 habitants" in TERMS["PVD"]
