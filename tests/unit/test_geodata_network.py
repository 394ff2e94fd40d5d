"""Cnam network of reference (MESR + press), national Cnam rows, higher education and TER stops."""
from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import geodata
from geodata import build_mesr as bm, build_transport as bt
from geodata.errors import BuildError

RAW = Path(__file__).resolve().parents[3] / "shared" / "raw"
needs_raw = pytest.mark.skipif(not RAW.exists(), reason="../shared/raw absent (the build's inputs)")
MESR_COMMUNES = {"55029": "Bar-le-Duc", "54099": "Briey", "51108": "Châlons-en-Champagne",
                 "08105": "Charleville-Mézières", "88160": "Épinal", "67218": "Illkirch-Graffenstaden",
                 "54323": "Longwy", "54329": "Lunéville", "57463": "Metz", "68224": "Mulhouse", "54395": "Nancy",
                 "51454": "Reims", "57606": "Saint-Avold", "57672": "Thionville", "54528": "Toul", "10387": "Troyes"}
CONTRACT = ["site_id", "code_insee", "nom", "commune", "departement", "type", "fiabilite", "lon", "lat", "uai",
            "adresse", "code_postal", "date_ouverture", "precision", "source", "source_label", "attestation"]


def test_cnam_network_is_the_official_list_plus_two_press_sites():
    c = geodata.cnam_sites()
    assert set(CONTRACT) <= set(c.columns) and c.site_id.is_unique
    mesr = c[c.source == "mesr"]
    assert len(c) == 21 and len(mesr) == 19
    # 19 implantations in 16 communes: Metz, Nancy and Reims have two each
    assert dict(zip(mesr.code_insee, mesr.commune)) == MESR_COMMUNES
    assert mesr.code_insee.value_counts().loc[["57463", "54395", "51454"]].eq(2).all()
    assert mesr.uai.str.fullmatch(r"\d{7}[A-Z]").all() and (mesr.site_id == "mesr-" + mesr.uai).all()
    assert (mesr.fiabilite == "officielle (MESR)").all() and (mesr.precision == "adresse du site").all()
    assert mesr.adresse.str.len().gt(5).all() and mesr.date_ouverture.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert c.code_insee.map(type).eq(str).all() and c[["lon", "lat", "source", "source_label"]].notna().all().all()


@pytest.mark.parametrize("code", ["10387", "51108", "08105", "57672"])
def test_troyes_chalons_charleville_thionville_host_an_official_site(code):
    c = geodata.cnam_sites()
    site = c[(c.code_insee == code) & (c.source == "mesr")]
    assert len(site) == 1
    hall = geodata.commune_index().loc[code]
    # placed at the site itself, not at the town hall (several hundred metres apart in these towns)
    assert (abs(site.lon.iloc[0] - hall.lon) + abs(site.lat.iloc[0] - hall.lat)) > 1e-3
    assert site.source_label.iloc[0] == "Implantations MESR, état 2017"


def test_forbach_and_strasbourg_stay_as_press_rows_at_the_town_hall():
    c = geodata.cnam_sites().set_index("site_id")
    press = c[c.source == "presse"]
    assert sorted(press.index) == ["GE-03", "GE-10"]
    assert list(press.loc[["GE-03", "GE-10"], "code_insee"]) == ["57227", "67482"]
    assert list(press.loc[["GE-03", "GE-10"], "fiabilite"]) == ["moyenne-haute", "faible"]
    assert (press.precision == "commune (mairie)").all() and press.uai.isna().all()
    assert press.loc["GE-03", "source_label"] == "Presse (Cnam Lorraine, 2011)"
    halls = geodata.commune_index().loc[press.code_insee, ["lon", "lat"]].to_numpy()
    assert np.allclose(press[["lon", "lat"]].to_numpy(), halls)


def test_press_rows_confirmed_by_mesr_become_one_official_row_with_the_attestation():
    c = geodata.cnam_sites()
    confirmed = c[c.site_id_presse.notna() & (c.source == "mesr")]
    assert sorted(confirmed.site_id_presse) == ["GE-01", "GE-02", "GE-04", "GE-05", "GE-06", "GE-07", "GE-08",
                                                "GE-09"]
    assert confirmed.attestation.str.len().gt(0).all()
    # the Reims row of the decree is matched by its address (Moulin de la Housse), not by chance
    assert confirmed.set_index("site_id_presse").loc["GE-07", "uai"] == "0511956Z"


def test_national_cnam_rows_include_the_regional_ones():
    fr, ge = geodata.cnam_sites_france(), geodata.cnam_sites()
    assert len(fr) == 146 and fr.uai.is_unique and fr[["lon", "lat"]].notna().all().all()
    assert set(fr[fr.code_region == "44"].uai) == set(ge.uai.dropna())
    assert fr.lat.between(-25, 52).all()  # metropolitan France and overseas, never a swapped lon/lat


def test_higher_education_excludes_the_cnam_and_is_categorised_from_the_source():
    es = geodata.enseignement_superieur()
    assert len(es) == 199 and es.uai.is_unique
    assert not (es.etablissement.str.contains(bm.CNAM, case=False) | es.nom.str.contains(bm.CNAM, case=False)).any()
    assert set(es.code_insee) <= set(geodata.communes().code_insee)
    assert set(es.categorie) <= {"université", "IUT", "école d'ingénieurs", "INSPE", "CFA universitaire",
                                 "autre école", "service universitaire", "autre"}
    nancy = es[es.code_insee == "54395"]
    assert {"université", "IUT", "école d'ingénieurs", "INSPE"} <= set(nancy.categorie)
    assert not es[es.categorie == "service universitaire"].formation.any()
    assert (es[es.nature == "Institut universitaire de technologie"].categorie == "IUT").all()


def test_categorie_rule_on_source_fields():
    row = pd.Series({"nature": "Communauté d'universités et établissements",
                     "type_source": "Universités et INP hors écoles d'ingenieurs"})
    assert bm._categorie(row) == "autre"  # the word "universités" alone does not make a university
    assert bm._categorie(row.replace({row.nature: "Antenne délocalisée d'IUT"})) == "IUT"


def test_ter_stations_and_coach_stops():
    ter = geodata.ter_arrets()
    assert ter.stop_id.is_unique and ter[["train", "car", "tram_train"]].dtypes.eq(bool).all()
    assert (ter.train | ter.car | ter.tram_train).all()
    inside = ter[ter.code_insee.notna()]
    assert int(inside.train.sum()) == 331 and int(inside.car.sum()) == 766 and int(inside.tram_train.sum()) == 19
    epinal = inside[inside.code_insee == "88160"]
    assert epinal.train.any() and "Épinal" in set(epinal.nom)
    # stops just across the border are kept, with no commune of the region
    kehl = ter[ter.nom == "Kehl"]
    assert len(kehl) == 1 and kehl.code_insee.isna().all() and kehl.train.all()
    assert ter.modes[ter.tram_train].str.contains("tram-train").all()


def test_sources_record_feed_validity_and_licences():
    ds = geodata.sources()["datasets"]
    assert ds["ter_arrets"]["validite"] == {"debut": "2024-12-20", "fin": "2025-03-20", "version": "2024-12-20"}
    licence = ds["ter_arrets"]["licence"]
    assert licence.startswith("ODbL 1.0") and "SNCF — données ouvertes" in licence
    for name in ("cnam_sites", "cnam_sites_france", "enseignement_superieur"):
        assert "Licence Ouverte / Etalab 2.0" in ds[name]["licence"], name
        assert "état 2017" in ds[name]["gaps"].lower(), name
    assert "aucun horaire" in ds["ter_arrets"]["gaps"].lower()


@pytest.fixture
def raw_copy(tmp_path):
    for sub in ("cnam", "transport"):
        shutil.copytree(RAW / sub, tmp_path / sub)
        for p in (tmp_path / sub).iterdir():
            p.chmod(0o644)
    return tmp_path


@needs_raw
def test_malformed_mesr_coordinates_name_file_and_row(raw_copy):
    path = raw_copy / bm.MESR_FILE
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    target = df.index[df["Code de l'implantation"] == "0100040P"][0]  # Troyes
    df.loc[target, "Géolocalisation"] = "48,27 ; 4,08"
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    with pytest.raises(BuildError) as err:
        bm.cnam_sites(raw_copy, geodata.communes())
    msg = str(err.value)
    assert bm.MESR_FILE.split("/")[1] in msg and f"ligne {target + 2}" in msg and "0100040P" in msg


@needs_raw
def test_mesr_row_without_coordinates_in_the_region_is_an_error(raw_copy):
    path = raw_copy / bm.MESR_FILE
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    target = df.index[df["Code de l'implantation"] == "0570155J"][0]  # Thionville
    df.loc[target, "Géolocalisation"] = ""
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    with pytest.raises(BuildError, match=rf"ligne {target + 2} : implantation 0570155J sans géolocalisation"):
        bm.cnam_sites(raw_copy, geodata.communes())


@needs_raw
def test_unexpected_stop_id_names_its_row(raw_copy):
    path = raw_copy / bt.STOPS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("StopPoint:"))
    lines[n] = lines[n].replace("StopPoint:OCE", "StopPoint:XYZ", 1)
    path.write_text("".join(lines), encoding="utf-8")
    shapes = gpd.GeoDataFrame(geodata.commune_shapes())
    with pytest.raises(BuildError, match=rf"sncf_ter_gtfs_stops\.txt, ligne {n + 1} : identifiant d'arrêt inattendu"):
        bt.ter_arrets(raw_copy, shapes)


def test_check_fails_when_an_official_site_is_missing_or_has_no_coordinates(monkeypatch):
    from geodata import check
    full = geodata.cnam_sites()
    broken = full[full.site_id != "mesr-0100040P"].copy()  # Troyes dropped
    broken.loc[broken.site_id == "GE-03", "lon"] = np.nan
    monkeypatch.setattr(geodata, "cnam_sites", lambda: broken)
    failed = {c["name"] for c in check.run_checks()["checks"] if not c["ok"]}
    assert {"cnam_sites : implantations MESR", "cnam_sites : source et coordonnées"} <= failed
    assert check.main([]) == 1
