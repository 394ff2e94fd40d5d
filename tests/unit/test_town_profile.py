"""Town profile figures equal the geodata values (models/domain/town_profile.py)."""
import math

import numpy as np
import pandas as pd
import pytest

import geodata
from models.domain import town_profile as tp
from models.cli import town_profile as town_profile_cli
from models.domain.partners import UnknownCommune
from models.domain.travel import haversine_km

TOWNS = ["88160", "52448", "67462", "08001"]  # Épinal, Saint-Dizier, Sélestat, Acy-Romance (446 hab.)


def com(code):
    return geodata.commune_index().loc[code]


def same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and a == pytest.approx(b)


@pytest.mark.parametrize("code", TOWNS)
def test_header_facts_are_the_geodata_row(code):
    p, c = tp.profile(code), com(code)
    assert (p.nom, p.departement, p.epci_nom, p.ze_nom, p.bv_nom, p.population, p.is_acv) == (
        c.nom, c.departement, c.epci_nom, c.ze_nom, c.bv_nom, c.population, c.is_acv)


@pytest.mark.parametrize("code", TOWNS)
def test_direct_figures_equal_geodata(code):
    p, c = tp.profile(code), com(code)
    for key in ("population", "chomage_ze", "demandeurs_emploi", "chomeurs_1564", "actifs_1564", "emplois",
                "etab_total", "revenu_median", "taux_pauvrete"):
        assert same(c[key], p.figure(key).value), key
    assert same(c.chomeurs_1564 / c.actifs_1564 * 100, p.figure("taux_chomage_rp").value)
    assert same(c.etab_industrie / c.etab_total * 100, p.figure("part_etab_industrie").value)
    assert p.figure("chomage_ze").date == c.chomage_ze_trimestre


def test_missing_values_stay_missing_with_a_reason():
    c = com("08001")
    assert np.isnan(c.demandeurs_emploi) and np.isnan(c.taux_pauvrete)
    p = tp.profile("08001")
    for key in ("demandeurs_emploi", "taux_pauvrete"):
        assert p.figure(key).value is None and "non publié" in p.figure(key).note


@pytest.mark.parametrize("code", TOWNS)
def test_every_figure_has_a_source_and_a_date(code):
    known = set(geodata.sources()["datasets"])
    for f in tp.profile(code).figures:
        assert f.source and f.date and f.dataset in known, f.key


def test_departement_and_region_ratios_are_ratios_of_sums():
    c = geodata.communes()
    dep = c[c.departement == "52"]
    f = tp.profile("52448").figure("taux_chomage_rp")
    assert f.departement == pytest.approx(dep.chomeurs_1564.sum() / dep.actifs_1564.sum() * 100)
    assert f.region == pytest.approx(c.chomeurs_1564.sum() / c.actifs_1564.sum() * 100)
    assert tp.profile("52448").figure("population").region == c.population.sum()


def test_jobseekers_of_departement_and_region_are_the_published_totals():
    s = geodata.demandeurs_series()
    last = s[s.mois == s.mois.max()]
    f = tp.profile("88160").figure("demandeurs_emploi")
    assert f.departement == last[(last.niveau == "departement") & (last.code_geo == "88")].demandeurs.iloc[0]
    assert f.region == last[last.niveau == "region"].demandeurs.iloc[0]


def test_medians_are_labelled_as_weighted_means_of_communes():
    f = tp.profile("67462").figure("revenu_median")
    assert "pondérée par la population" in f.method and "pas une médiane" in f.method


def test_trend_is_the_zone_series_since_2015():
    p, c = tp.profile("88160"), com("88160")
    s = geodata.chomage_ze_series()
    z = s[(s.ze_code == c.ze_code) & (s.trimestre >= tp.TREND_FROM)]
    assert list(p.chomage_trend.trimestre) == list(z.trimestre)
    assert list(p.chomage_trend.zone) == list(z.taux)
    assert p.chomage_trend.zone.iloc[-1] == c.chomage_ze


def test_bmo_top_keeps_secret_cells_missing_not_zero():
    p = tp.profile("52448")
    b = geodata.bmo()
    b = b[(b.bmo_code == com("52448").bmo_code) & b.projets.notna()]
    assert list(p.bmo_top.projets) == sorted(b.projets, reverse=True)[:tp.BMO_TOP]
    secret = p.bmo_top[p.bmo_top.secret_difficiles]
    assert len(secret) > 0 and secret.projets_difficiles.isna().all() and secret.part_difficiles.isna().all()
    assert p.bmo_secret_rows == int(geodata.bmo().query("bmo_code == @com('52448').bmo_code").secret_projets.sum())


@pytest.mark.parametrize("code", TOWNS)
def test_vocational_lycees_within_20_km_are_all_listed(code):
    c = com(code)
    lyc = geodata.lycees()[geodata.lycees().voie_pro]
    d = haversine_km(c.lon, c.lat, lyc.lon, lyc.lat)
    expected = set(lyc.uai[(d <= tp.PARTNER_RADIUS_KM) | (lyc.code_insee == code)])
    listed = tp.profile(code).partners["lycees_pro"]
    assert expected <= set(listed.uai)
    assert len(listed) >= 1 and listed.distance_km.is_monotonic_increasing


def test_nearest_cnam_sites_and_estimated_minutes():
    p = tp.profile("67462")
    cnam = p.partners["cnam_sites"]
    assert len(cnam) >= 3
    c = com("67462")
    all_d = haversine_km(c.lon, c.lat, geodata.cnam_sites().lon, geodata.cnam_sites().lat)
    assert cnam.distance_km.iloc[0] == pytest.approx(all_d.min())
    assert (cnam.minutes > cnam.distance_km).all()  # estimates include the detour factor


def test_catchment_grows_with_time_and_contains_the_town():
    p = tp.profile("08001")
    assert p.population <= p.catchment[15] <= p.catchment[30] <= p.catchment[45] <= geodata.communes().population.sum()


@pytest.mark.parametrize("bad", ["99999", "abc", "75056", "", "2A004"])
def test_unknown_commune(bad):
    with pytest.raises(UnknownCommune):
        tp.profile(bad)


def test_indicator_rows_one_per_indicator_with_source_and_date():
    p = tp.profile("88160")
    rows = tp.indicator_rows(p)
    assert isinstance(rows, pd.DataFrame)
    assert len(rows) == len(p.figures) + len(p.catchment)
    assert rows.cle.is_unique
    assert rows.source.str.len().gt(0).all() and rows.date.str.len().gt(0).all()


def test_cli(capsys):
    assert town_profile_cli.main(["88160"]) == 0
    assert "Épinal" in capsys.readouterr().out
    assert town_profile_cli.main(["abc"]) == 2


def test_town_fact_is_named_by_its_checked_code():
    from models.domain.town_facts import town_fact

    assert town_fact(" 55545 ").name == "55545" and town_fact(" 55545 ")["nom"] == "Verdun"
