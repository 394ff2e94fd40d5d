"""Concept fit rules on the real geodata (models/concept_fit.py)."""
import numpy as np
import pytest

import geodata
from models import concept_fit as cf
from models import fr_format as F
from models.partners import UnknownCommune
from models.territory_reference import region_values
from models.travel import haversine_km

TOWNS = ["88160", "52448", "67462", "08001"]  # Épinal, Saint-Dizier, Sélestat, a village (Acy-Romance)


def vocational_within(code, km):
    row = geodata.commune_index().loc[code]
    lyc = geodata.lycees()[geodata.lycees().voie_pro]
    d = haversine_km(row.lon, row.lat, lyc.lon, lyc.lat)
    return lyc[(d <= km) | (lyc.code_insee == code)]


def by_id(code):
    return {f.concept: f for f in cf.concept_fit(code)}


@pytest.mark.parametrize("code", TOWNS)
def test_three_concepts_with_score_equal_to_share_of_known_criteria_met(code):
    fits = cf.concept_fit(code)
    assert [f.concept for f in fits] == ["clef_en_main", "fab_id", "progressif"]
    for f in fits:
        assert f.n_known > 0
        assert f.score == pytest.approx(len(f.has) / f.n_known, abs=1e-3)
        assert f.level in {"forte", "moyenne", "faible"}
        if not f.prerequisite_met:
            assert f.level == "faible"


@pytest.mark.parametrize("code", TOWNS)
def test_clef_en_main_prerequisite_is_a_vocational_lycee_within_10_km(code):
    near = vocational_within(code, cf.LYCEE_ADOSSEMENT_KM)
    assert by_id(code)["clef_en_main"].prerequisite_met == (len(near) > 0)


def test_epinal_counts_its_vocational_lycees_in_plain_words():
    n = int((geodata.lycees().voie_pro & (geodata.lycees().code_insee == "88160")).sum())
    assert n >= 1
    has = by_id("88160")["clef_en_main"].has
    assert any(t.startswith(f"{n} lycée") and "dans la commune" in t for t in has)


@pytest.mark.parametrize("code", TOWNS)
def test_fab_id_compares_zone_unemployment_with_the_region(code):
    row = geodata.commune_index().loc[code]
    fab = by_id(code)["fab_id"]
    texts = [t for t in fab.has + fab.lacks if t.startswith("chômage de la zone d'emploi")]
    assert len(texts) == 1
    assert F.pct(row.chomage_ze) in texts[0] and F.pct(region_values()["chomage_ze"].value) in texts[0]
    assert (texts[0] in fab.has) == (row.chomage_ze > region_values()["chomage_ze"].value)


def test_missing_poverty_rate_is_unknown_not_a_lack():
    code = next(c for c in TOWNS if np.isnan(geodata.commune_index().loc[c, "taux_pauvrete"]))
    fab = by_id(code)["fab_id"]
    assert any("pauvreté" in t for t in fab.unknown)
    assert not any("pauvreté" in t for t in fab.has + fab.lacks)


@pytest.mark.parametrize("code", TOWNS)
def test_suggestion_is_the_best_concept_with_its_prerequisite(code):
    fits = cf.concept_fit(code)
    concept, reason = cf.suggest_concept(code)
    chosen = next(f for f in fits if f.concept == concept)
    assert chosen.prerequisite_met
    assert chosen.score == max(f.score for f in fits if f.prerequisite_met)
    assert reason.startswith(chosen.label)


def test_small_village_is_pointed_to_its_bassin_de_vie_centre():
    row = geodata.commune_index().loc["08001"]
    assert row.population < cf.PETITE_COMMUNE_POP and row.bv_code != "08001"
    assert row.bv_nom in cf.suggest_concept("08001")[1]


def test_progressif_is_lacking_where_a_cnam_site_is_in_the_commune():
    code = geodata.cnam_sites().code_insee.iloc[0]
    prog = by_id(code)["progressif"]
    assert any("site du Cnam dans la commune" in t for t in prog.lacks)


def test_table_matches_single_calls_and_keeps_order():
    codes = ["67462", "88160", "08001", "52448"]
    table = cf.concept_fit_table(codes)
    assert list(table.code_insee) == codes
    for _, row in table.iterrows():
        fits = by_id(row.code_insee)
        assert row.score_fab_id == fits["fab_id"].score
        assert (row.concept_suggere, row.raison) == cf.suggest_concept(row.code_insee)


def test_demand_threshold_follows_the_regional_rate():
    assert cf.demand_threshold("clef_en_main") == pytest.approx(80 / (cf.taux_regional_pct() / 100))


@pytest.mark.parametrize("bad", ["99999", "abc", "75056", "", None, "8816"])
def test_bad_codes_raise_a_french_error(bad):
    with pytest.raises(UnknownCommune) as err:
        cf.concept_fit(bad)
    assert "commune" in str(err.value)


def test_cli_exit_2_on_bad_code(capsys):
    assert cf.main(["abc"]) == 2
    assert "Erreur" in capsys.readouterr().err
