"""The rules a user reads, each checked against an independent oracle (issue #17).

Oracles are computed here from the committed geodata with our own great-circle formula and counts, or by hand on
the small territories of ``tests/territories.py``, never with the function under test. Each test names the
change it catches (a mutation that survived the suite before).
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import geodata
from models.domain import concept_fit, planning as planner, scoring, simulator, town_facts
from models.domain.scoring import KEYS, CriteriaTable
from tests.territories import line_territory

MARGIN_KM = 0.3  # a point this close to a radius is not used as a witness (rounding of coordinates)


def km_to(lon, lat, pts: pd.DataFrame) -> np.ndarray:
    """Great-circle km from (lon, lat) to every point of ``pts`` (mean Earth radius), written out here."""
    lon1, lat1 = math.radians(lon), math.radians(lat)
    lon2, lat2 = np.radians(pts["lon"].to_numpy(float)), np.radians(pts["lat"].to_numpy(float))
    a = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return geodata.communes().set_index("code_insee", drop=False)


@pytest.fixture(scope="module")
def ml_distance(communes) -> pd.DataFrame:
    """For every commune of 5,000+ inhabitants: missions locales in the commune, km to the nearest one."""
    ml = geodata.missions_locales()
    in_town = ml["code_insee"].astype(str).value_counts()
    big = communes[communes["population"] >= 5000]
    km = [float(km_to(r.lon, r.lat, ml).min()) for r in big.itertuples()]
    return pd.DataFrame({"n_ml": [int(in_town.get(c, 0)) for c in big.index], "km": km}, index=big.index)


def witnesses(ml_distance: pd.DataFrame, radius: float, n: int = 2) -> tuple[list[str], list[str]]:
    """Communes without a mission locale whose nearest one is just inside / just outside ``radius``."""
    away = ml_distance[ml_distance["n_ml"] == 0]
    inside = away[away["km"] <= radius - MARGIN_KM].sort_values("km", ascending=False).index[:n]
    outside = away[away["km"] > radius + MARGIN_KM].sort_values("km").index[:n]
    assert len(inside) == n and len(outside) == n, "pas de commune témoin autour du rayon"
    return list(inside), list(outside)


def ranking_ml_radius() -> float:
    """The ranking's "mission locale nearby" radius, read where the code defines it."""
    r = getattr(scoring, "MISSION_LOCALE_RADIUS_KM", None)
    return float(r if r is not None else town_facts.ML_PROCHE_KM)


# ------------------------------------------------------------------ ranking criteria

def test_ranking_mission_locale_is_full_in_town_at_least_half_within_the_radius_under_half_beyond(ml_distance):
    """Kills: the ranking's mission-locale radius 15 → 50 km (or any radius other than the one it states), a
    distance taken from another point than the nearest head office, a scale that is not 1 in town and ½ at the radius."""
    radius = ranking_ml_radius()
    # "nearby" for a public that often has no car: a 50 km radius would make almost every town "near"
    assert 10 <= radius <= 25
    assert re.search(rf"\b{radius:g}\s?km au plus", scoring.BY_KEY["mission_locale_km"].explanation())
    inside, outside = witnesses(ml_distance, radius, n=6)
    in_town = ml_distance[ml_distance["n_ml"] > 0].index[:2].tolist()
    t = scoring.criteria_table(inside + outside + in_town)
    named = set(t.index[t["mission_locale_nommee"]])  # a town an ML names counts as served (distance 0)
    inside, outside = [c for c in inside if c not in named][:2], [c for c in outside if c not in named][:2]
    assert len(inside) == 2 and len(outside) == 2
    n = dict(zip(t.index, scoring.CriteriaTable(t).normalised()[:, KEYS.index("mission_locale_km")]))
    assert [n[c] >= 0.5 for c in inside + outside] == [True, True, False, False]
    assert t.loc[inside + outside, "mission_locale_proche"].tolist() == [True, True, False, False]
    assert [n[c] for c in in_town] == [1.0, 1.0] and t.loc[in_town, "mission_locale_km"].tolist() == [0.0, 0.0]
    assert t.loc[inside + outside, "mission_locale_km"].to_numpy() == pytest.approx(
        ml_distance.loc[inside + outside, "km"].to_numpy(), abs=0.01)
    for c in inside + outside:  # the scale, by hand: radius / (radius + km)
        assert n[c] == pytest.approx(radius / (radius + ml_distance.loc[c, "km"]), abs=1e-3)


def test_ranking_counts_each_france_services_once(communes):
    """Kills: the France Services count doubled (or France Travail counted for it) in the ranking."""
    t = scoring.criteria_table(scoring.ranking_candidates())
    fs = geodata.france_services()["code_insee"].astype(str).value_counts()
    ft = geodata.france_travail()["code_insee"].astype(str).value_counts()
    n_fs = np.array([fs.get(c, 0) for c in t.index], float)
    n_ft = np.array([ft.get(c, 0) for c in t.index], float)
    assert n_fs.sum() > 0 and (n_fs > 1).any()  # the check has towns to bite on
    assert t["nb_france_services"].tolist() == n_fs.tolist()
    assert t["nb_france_travail"].tolist() == n_ft.tolist()
    assert t["services_emploi"].tolist() == ((n_fs > 0).astype(float) + (n_ft > 0)).tolist()


def test_unscored_towns_rank_after_every_scored_town():
    """Kills: towns with no score sharing the last scored town's rank (rank = scored towns + 1)."""
    x = np.full((5, len(KEYS)), 1.0)
    x[:, 0] = [10.0, 5.0, 5.0, np.nan, np.nan]   # only criterion 0 weighted; towns 3 and 4 lack it
    table = pd.DataFrame(x, columns=KEYS, index=pd.Index([f"0000{i}" for i in range(5)], name="code_insee"))
    table.insert(0, "nom", [f"Ville {i}" for i in range(5)])
    ranked = CriteriaTable(table).rank({k: (1.0 if k == KEYS[0] else 0.0) for k in KEYS}).set_index("code_insee")
    # by hand: 10 → 100 (rank 1); 5 and 5 → 0, tied at rank 2; no value → no score, rank 3 scored + 1 = 4
    assert ranked.loc["00000", "score"] == pytest.approx(100.0)
    assert ranked["rang"].to_dict() == {"00000": 1, "00001": 2, "00002": 2, "00003": 4, "00004": 4}
    assert ranked.loc[["00003", "00004"], "score"].isna().all()


def test_lycees_within_20_km_are_counted_within_20_km(communes):
    """Kills: "lycées professionnels à 20 km" counted within 10 km (or any other radius)."""
    assert town_facts.LYCEES_RADIUS_KM == 20  # the fact is named and labelled "à 20 km"
    lyc = geodata.lycees()
    lyc = lyc[lyc["voie_pro"].astype(bool)]
    codes, expected, differs = [], [], 0
    for code in scoring.ranking_candidates():
        r = communes.loc[code]
        d = km_to(r.lon, r.lat, lyc)
        if np.any(np.abs(d - 20) < 0.05):
            continue  # a lycée on the circle: not a fair witness
        codes.append(code)
        expected.append(int((d <= 20).sum()))
        differs += int((d <= 20).sum() != (d <= 10).sum())
    assert len(codes) >= 20 and differs >= 10  # the radius matters for most towns
    facts = town_facts.town_facts(codes)
    assert facts["lycees_pro_20km"].astype(int).tolist() == expected
    assert scoring.criteria_table(codes)["lycees_pro_20km"].astype(int).tolist() == expected


# ------------------------------------------------------------------ town facts on a small territory

def test_small_commune_is_one_under_5000_that_is_not_its_bassin_de_vie_centre():
    """Kills: the "small commune" rule written with ``|`` instead of ``&`` (or the threshold moved)."""
    # line territory: bassins de vie {0, 1, 2} (centre 0) and {3, 4, 5} (centre 3)
    pops = [3000, 8000, 4999, 6000, 5000, 1000]
    t = line_territory(pops)
    f = town_facts.town_facts(list(t.codes), territory=t, sites=t.sites)
    # by hand: 0 small centre, 1 big, 2 small non-centre, 3 big centre, 4 not small (5000), 5 small non-centre
    assert [p if isinstance(p, str) else None for p in f["pole"]] == [None, None, "BV 0", None, None, "BV 1"]


# ------------------------------------------------------------------ concept fit (host conditions and assets)

def test_fab_id_host_condition_is_a_mission_locale_within_its_radius(ml_distance):
    """Kills: Fab ID's host radius 15 → 5 km (or any radius other than the one it states)."""
    radius = float(getattr(concept_fit, "ML_PROCHE_KM", None) or town_facts.ML_PROCHE_KM)
    assert 10 <= radius <= 25  # "nearby"; a 5 km radius would exclude most suburbs of the towns that have one
    inside, outside = witnesses(ml_distance, radius)
    for code in inside:
        fab = concept_fit.concept_fit(code)[1]
        assert any(h.startswith("mission locale à") for h in fab.has), (code, fab.has)
    for code in outside:
        fab = concept_fit.concept_fit(code)[1]
        assert not fab.prerequisite_met and fab.level == "faible"
        assert any(x.startswith("pas de mission locale à moins de") for x in fab.lacks), (code, fab.lacks)


def test_fab_id_poverty_is_an_asset_above_the_regional_rate_only(communes):
    """Kills: the poverty comparison of the concept fit inverted."""
    reg = concept_fit.region_values()["taux_pauvrete"].value
    assert 10 <= reg <= 20  # INSEE Filosofi 2021: Grand Est ≈ 15 %
    known = communes[communes["taux_pauvrete"].notna() & (communes["population"] >= 5000)]
    poor = known.sort_values("taux_pauvrete", ascending=False).index[:2]
    rich = known.sort_values("taux_pauvrete").index[:2]
    assert known.loc[poor, "taux_pauvrete"].min() > reg + 5 and known.loc[rich, "taux_pauvrete"].max() < reg - 5
    for code, where in [*((c, "has") for c in poor), *((c, "lacks") for c in rich)]:
        fab = concept_fit.concept_fit(code)[1]
        lines = [x for x in getattr(fab, where) if x.startswith("taux de pauvreté")]
        assert len(lines) == 1, (code, where, fab.has, fab.lacks)


# ------------------------------------------------------------------ planner: public cost of a site

@pytest.mark.parametrize("concept", simulator.concept_ids())
def test_public_cost_of_a_site_is_the_funding_of_years_0_to_3(concept):
    """Kills: the per-site public cost taken on years 0–2 (or 0–4) instead of 0–3."""
    years = simulator.simulate(simulator.default_parameters(concept)).years
    by_year = {y["year"]: y["public_funding"] for y in years}
    expected = by_year[0] + by_year[1] + by_year[2] + by_year[3]
    assert planner.concept_economics(concept)["public_funding_0_3"] == pytest.approx(expected)


def test_year_3_funding_matters_for_some_concept():
    """The test above can fail: at least one concept still gets public money in year 3 and none in year 4."""
    funding = {c: {y["year"]: y["public_funding"] for y in simulator.simulate(simulator.default_parameters(c)).years}
               for c in simulator.concept_ids()}
    assert any(f[3] > 0 for f in funding.values())
