"""Words for a mayor on /ville (issue #18, part 6): verdicts without contradictions, the nearest Cnam site's town
a link, source labels in plain French."""
from __future__ import annotations

import pytest

import geodata
from components.town_blocks import fit_summary
from models.domain.concept_fit import concept_fit
from tests.dash_client import page, texts


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def test_a_concept_card_never_says_weak_fit_next_to_most_assets():
    for code in geodata.acv().code_insee:
        for fit in concept_fit(code):
            words = fit_summary(fit)
            assert "adéquation" not in words
            if not fit.prerequisite_met:
                assert words.startswith("ne convient pas : une condition d'accueil manque"), words
            elif len(fit.has) >= 0.8 * fit.n_known:
                assert "convient peu" not in words, (code, words)


def test_verdun_profile_links_its_nearest_cnam_town_and_reads_the_basin_in_french(client):
    status, body = page(client, "/ville/55545", "")
    assert status == 200
    assert 'ville-cnam-proche-lien' in body and '/ville/54099' in body  # Val de Briey's profile
    shown = texts(body)
    assert "Meuse du Nord" in shown and "Meuse Du Nord" not in shown and "MEUSE DU NORD" not in shown
    assert "adéquation" not in shown
