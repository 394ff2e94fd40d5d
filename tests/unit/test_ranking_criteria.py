"""The ranking's repaired criteria (issue 16, part 4), on the real data with oracles read off the layers by hand.

- a count or yes/no criterion is on a fixed saturating scale: one missing service costs at most half a criterion
  (Saint-Dizier has no France Services);
- rail is the distance to the nearest station, wherever it stands (Saint-Avold's is in Valmont, 2.4 km);
- a mission locale serves the towns it is named after (« ML Saint-Louis Altkirch », head office at Altkirch);
- "mission locale proche" is one radius, in the town facts, read by the ranking and the concept fit alike.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import geodata
from models.domain import concept_fit as cf
from models.domain import scoring
from models.domain import town_facts as TF
from models.domain.scoring import KEYS, CriteriaTable
from models.domain.territory import Territory
from models.domain.town_facts import town_fact
from models.domain.travel import haversine_km
from tests.conftest import per_test_under_mutmut

SAINT_DIZIER, TROYES, SAINT_AVOLD, SAINT_LOUIS, NOGENT = "52448", "10387", "57606", "68297", "10268"
ONE_CRITERION = 100.0 / len(KEYS)  # points of a full criterion with the default weights (all 1): 100/14


@pytest.fixture(scope=per_test_under_mutmut)
def acv():
    return scoring.cached_table(tuple(scoring.ranking_candidates()))


def forget_cached_facts():
    """Drop the cached town facts, concept fits and ranking tables (they depend on the radius)."""
    t = Territory.from_geodata()
    for key in [k for k in t.memo if isinstance(k, tuple) and k and k[0] == "town_facts"]:
        del t.memo[key]
    cf._CACHE.clear()
    scoring._table_for.cache_clear()


# ---------------------------------------------------------------- one missing service, never a full criterion

def test_saint_dizier_has_france_travail_but_no_france_services():
    """The oracle of the next test, read off the two layers."""
    assert (geodata.france_services()["code_insee"] == SAINT_DIZIER).sum() == 0
    assert (geodata.france_travail()["code_insee"] == SAINT_DIZIER).sum() >= 1
    assert (geodata.france_services()["code_insee"] == TROYES).sum() >= 1
    assert (geodata.france_travail()["code_insee"] == TROYES).sum() >= 1


def test_saint_dizier_loses_a_sixth_of_a_criterion_for_its_missing_france_services(acv):
    """By hand: one network of two on x/(x+1) → 1/2 of the criterion, both → 2/3. With 14 criteria at weight 1,
    Saint-Dizier gets 100/14 × 1/2 = 3.57 points, Troyes 100/14 × 2/3 = 4.76: the missing France Services
    costs 100/14 × 1/6 = 1.19 points, where min–max cost the whole 100/14 = 7.14."""
    ranked = acv.rank().set_index("code_insee")
    assert ranked.loc[SAINT_DIZIER, "manquants"] == ""  # every criterion known: no re-normalisation
    assert ranked.loc[SAINT_DIZIER, "contrib_services_emploi"] == pytest.approx(100 / 14 / 2)
    assert ranked.loc[TROYES, "contrib_services_emploi"] == pytest.approx(100 / 14 * 2 / 3)
    # the same town with a France Services: its score rises by exactly that sixth, nothing else moves
    t = acv.table.copy()
    t.loc[SAINT_DIZIER, "services_emploi"] = 2.0
    with_fs = CriteriaTable(t).rank().set_index("code_insee")
    gain = with_fs.loc[SAINT_DIZIER, "score"] - ranked.loc[SAINT_DIZIER, "score"]
    assert gain == pytest.approx(100 / 14 / 6)
    assert gain < ONE_CRITERION / 2
    others = ranked.index != SAINT_DIZIER
    assert np.allclose(with_fs.loc[ranked.index[others], "score"], ranked.loc[others, "score"])


@pytest.mark.parametrize("key", [c.key for c in scoring.CRITERIA if c.scale == "saturation" and c.direction > 0])
def test_one_unit_more_or_less_of_a_count_never_moves_a_town_by_more_than_half_a_criterion(acv, key):
    base = acv.rank().set_index("code_insee")["score"]
    for code in acv.codes:
        for step in (-1, 1):
            t = acv.table.copy()
            x = t.loc[code, key]
            if x + step < 0:
                continue
            t.loc[code, key] = x + step
            moved = CriteriaTable(t).rank().set_index("code_insee")["score"]
            assert abs(moved[code] - base[code]) <= ONE_CRITERION / 2 + 1e-9, (key, code, step)
            # a fixed scale: the other towns do not move at all (min–max would shift them when x was the min/max)
            others = base.index != code
            assert np.allclose(moved[base.index[others]], base[others])


def test_saturating_scale_is_independent_of_the_other_candidates(acv):
    """The same town scores the same on a saturating criterion alone among the 25 ACV towns or among two."""
    key = "lycees_pro_ville"
    full = acv.rank({k: float(k == key) for k in KEYS}).set_index("code_insee")
    pair = CriteriaTable(acv.table.loc[[SAINT_DIZIER, TROYES]]).rank({k: float(k == key) for k in KEYS})
    pair = pair.set_index("code_insee")
    n_sd = (geodata.lycees().voie_pro & (geodata.lycees().code_insee == SAINT_DIZIER)).sum()
    assert full.loc[SAINT_DIZIER, "score"] == pytest.approx(100 * n_sd / (n_sd + 1))
    assert pair.loc[SAINT_DIZIER, "score"] == pytest.approx(full.loc[SAINT_DIZIER, "score"])


# ---------------------------------------------------------------- rail: distance to the nearest station

def test_saint_avold_station_in_valmont_counts(acv):
    stops = geodata.ter_arrets()
    trains = stops[stops["train"] | stops["tram_train"]]
    town = geodata.commune_index().loc[SAINT_AVOLD]
    d = haversine_km(town.lon, town.lat, trains.lon.to_numpy(), trains.lat.to_numpy())
    nearest = trains.iloc[int(np.argmin(d))]
    assert nearest["nom"] == "Saint-Avold" and nearest["code_insee"] != SAINT_AVOLD
    assert geodata.commune_index().loc[nearest["code_insee"], "nom"] == "Valmont"
    assert 2.3 < d.min() < 2.5
    row = acv.table.loc[SAINT_AVOLD]
    assert row["gare_km"] == pytest.approx(d.min(), abs=0.01) and row["gare_commune"] == "Valmont"
    ranked = acv.rank().set_index("code_insee")
    # 5 / (5 + 2.39) = 0.68 of the criterion, where "no station in the commune" gave 0
    assert ranked.loc[SAINT_AVOLD, "contrib_gare_km"] == pytest.approx(ONE_CRITERION * 5 / (5 + row["gare_km"]))
    assert ranked.loc[SAINT_AVOLD, "contrib_gare_km"] > ONE_CRITERION / 2


def test_a_station_farther_away_scores_less():
    t = scoring.cached_table(tuple(scoring.ranking_candidates())).table
    ranked = scoring.cached_table(tuple(scoring.ranking_candidates())).rank().set_index("code_insee")
    order = t["gare_km"].sort_values().index
    assert np.all(np.diff(ranked.loc[order, "contrib_gare_km"].to_numpy()) <= 1e-12)


# ---------------------------------------------------------------- missions locales matched to their towns

def test_saint_louis_has_its_mission_locale():
    ml = geodata.missions_locales()
    named = ml[ml["nom"].str.upper().str.contains("SAINT-LOUIS")]
    assert len(named) == 1 and named.iloc[0]["code_insee"] == "68004"  # registered at Altkirch
    assert not (ml["code_insee"] == SAINT_LOUIS).any()
    f = town_fact(SAINT_LOUIS)
    assert f.n_ml_commune == 0 and f.ml_km > TF.ML_PROCHE_KM  # the head office alone would say "none nearby"
    assert f.ml_nommee and f.ml_dans_ville and f.ml_proche and f.ml_servie_km == 0
    assert f.ml_servie_nom == named.iloc[0]["nom"]
    ranked = scoring.ranking(add=[SAINT_LOUIS]).set_index("code_insee")
    assert ranked.loc[SAINT_LOUIS, "mission_locale_km"] == 0
    known = len(KEYS) - len([m for m in ranked.loc[SAINT_LOUIS, "manquants"].split("; ") if m])
    assert ranked.loc[SAINT_LOUIS, "contrib_mission_locale_km"] == pytest.approx(100 / known)  # n = 1: all of it
    fab = {x.concept: x for x in cf.concept_fit(SAINT_LOUIS)}["fab_id"]
    assert any("porte le nom de la ville" in t and "Altkirch" in t for t in fab.has)


def test_the_other_saint_louis_and_a_common_noun_are_not_matched():
    assert not town_fact("57618").ml_nommee  # Saint-Louis (Moselle): the ML is in the Haut-Rhin
    assert not town_fact("67377").ml_nommee  # Plaine: « Pays de Saverne Plaine et Plateau » is a landscape
    assert town_fact("51507").ml_nommee      # Sainte-Menehould: « ML de Châlons-en-Champagne et Sainte Menehould »


# ---------------------------------------------------------------- one radius for "proche"

def test_the_mission_locale_radius_is_defined_once():
    root = Path(__file__).resolve().parents[2] / "models"
    pattern = re.compile(r"^\s*(ML_PROCHE_KM|MISSION_LOCALE_RADIUS_KM)\s*=", re.M)
    defining = sorted(p.name for p in root.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8")))
    assert defining == ["town_facts.py"]


@pytest.mark.parametrize("radius", [TF.ML_PROCHE_KM, 20.0])
def test_ranking_and_concept_fit_follow_the_one_radius(monkeypatch, radius):
    """Nogent-sur-Seine's nearest mission locale is at Romilly-sur-Seine, 17 km: not "proche" at 15 km, "proche"
    at 20 km. Whatever the radius of the town facts, the ranking and Fab ID's host condition agree with it; a
    module with its own radius fails one of the two cases."""
    town = geodata.commune_index().loc[NOGENT]
    ml = geodata.missions_locales()
    km = haversine_km(town.lon, town.lat, ml.lon.to_numpy(), ml.lat.to_numpy()).min()
    assert 15 < km < 20
    monkeypatch.setattr(TF, "ML_PROCHE_KM", radius)
    forget_cached_facts()
    try:
        proche = km <= radius
        assert bool(town_fact(NOGENT).ml_proche) == proche
        table = scoring.cached_table(tuple(scoring.ranking_candidates([NOGENT])))
        row = list(table.codes).index(NOGENT)
        n = table.normalised()[row, KEYS.index("mission_locale_km")]
        assert n == pytest.approx(radius / (radius + km))
        assert (n >= 0.5) == proche and bool(table.table.loc[NOGENT, "mission_locale_proche"]) == proche
        fab = {x.concept: x for x in cf.concept_fit(NOGENT)}["fab_id"]
        host_lack = any(t.startswith("pas de mission locale") for t in fab.lacks)
        assert host_lack == (not proche)
        if not proche:
            assert not fab.prerequisite_met
    finally:
        monkeypatch.undo()
        forget_cached_facts()


def test_nogent_sur_seine_is_the_same_on_the_ranking_and_the_concept_fit():
    """Default radius: not "proche" in the ranking's table and grid, and Fab ID's host condition fails."""
    from components.ranking_grid import static_rows

    codes = tuple(scoring.ranking_candidates([NOGENT]))
    row = static_rows(codes)[NOGENT]
    assert "pas proche" in row["mission_locale"] and "Romilly-sur-Seine" in row["mission_locale"]
    assert not town_fact(NOGENT).ml_proche
    fab = {x.concept: x for x in cf.concept_fit(NOGENT)}["fab_id"]
    assert not fab.prerequisite_met
    assert any(t.startswith("pas de mission locale à moins de 15") for t in fab.lacks)
