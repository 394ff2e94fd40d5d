"""The committed geodata files, read through the cached loaders (no ../shared needed)."""
from __future__ import annotations

import time

import numpy as np

import geodata
from geodata import check


def test_communes_of_grand_est():
    com = geodata.communes()
    assert abs(len(com) - 5115) <= 5
    assert com.code_insee.is_unique and com.code_insee.str.fullmatch(r"\d[\dAB]\d{3}").all()
    assert 5.5e6 <= com.population.sum() <= 5.6e6
    assert set(com.departement) == {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"}
    assert com.densite.between(1, 7).all()


def test_missing_values_stay_missing_not_zero():
    com = geodata.commune_index()
    # jobseekers are published for ~180 communes only: a village has NaN, never 0
    assert com.demandeurs_emploi.notna().sum() < 200
    village = com[com.population < 200].iloc[0]
    assert np.isnan(village.demandeurs_emploi)
    assert (com.demandeurs_emploi.dropna() > 0).all()
    assert com.loc["88160", "demandeurs_emploi"] > 1000  # Épinal


def test_point_layers_join_to_communes():
    codes = set(geodata.communes().code_insee)
    for loader, n in ((geodata.acv, 25), (geodata.missions_locales, 43), (geodata.cnam_sites, 21),
                      (geodata.france_services, 267), (geodata.france_travail, 76)):
        df = loader()
        assert len(df) == n, loader.__name__
        assert set(df.code_insee) <= codes, loader.__name__
    assert (geodata.missions_locales().precision == "commune").all()
    assert set(geodata.cnam_sites().fiabilite) <= {"officielle (MESR)", "haute", "moyenne-haute", "moyenne", "faible"}


def test_lycees_one_row_per_establishment_with_sep_folded():
    lyc = geodata.lycees()
    assert lyc.uai.is_unique
    pro = lyc[lyc.voie_pro]
    assert 219 <= len(pro) <= 221
    assert not pro.nom.str.contains("Section d'enseignement professionnel", case=False).any()
    assert pro.sections_rattachees.str.len().gt(0).sum() >= 70  # most SEP units are listed under their lycée


def test_loaders_are_cached_and_fast():
    geodata.load_all()
    t0 = time.perf_counter()
    geodata.load_all()
    assert time.perf_counter() - t0 < 0.01  # second call: cached objects, no disk read
    assert geodata.communes() is geodata.communes()


def test_check_report_passes_with_required_keys():
    report = check.run_checks()
    for key in ("communes", "population", "acv", "lycees_pro", "missions_locales", "cnam_sites", "france_services",
                "france_travail", "ok"):
        assert key in report
    failed = [c for c in report["checks"] if not c["ok"]]
    assert report["ok"], failed
    assert report["coverage"]["population"] == 1.0 and report["coverage"]["demandeurs_emploi"] < 0.05


def test_browser_geojson_within_budget():
    report = check.run_checks()
    assert report["browser_geojson"]["raw_kb"] <= 2500 and report["browser_geojson"]["gzip_kb"] <= 600


def test_the_region_gives_its_datasets_and_network_through_its_territory():
    # the domain reads geodata/ only through the territory the loader built (Territory.data, current_sites)
    import pytest

    from models.domain.territory import Territory
    from models.loaders.region import region_territory
    from tests.territories import line_territory

    t = region_territory()
    assert t.data("bmo") is geodata.bmo() and t.data("ter_trajets") is geodata.ter_trajets()
    assert t.data("sources")["region"] == t.region_code == "44"
    with pytest.raises(KeyError, match="Donnée inconnue : 'communes_2017'"):
        t.data("communes_2017")
    from models.domain.territory import sites_key
    from models.stores.network import current_network

    assert sites_key(t.current_sites()) == sites_key(current_network().sites)      # the editors' network
    hand = line_territory([1000, 2000], sites=["99000"])
    with pytest.raises(KeyError, match="Donnée « bmo » absente"):
        hand.data("bmo")
    assert hand.current_sites() is hand.sites and isinstance(hand, Territory)
