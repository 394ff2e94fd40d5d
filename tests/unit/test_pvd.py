"""Petites villes de demain: the committed table, its matching to the communes, the town fact.

Oracles read by hand in ``../shared/raw/pvd/petites_villes_de_demain_2021-01-22.csv`` (line numbers of the file):
24 ``68004,Altkirch,Grand Est,68,Haut-Rhin,NA,5737,,200066041,CC Sundgau``; 115 ``67021,Barr,…,7238,…,CC du Pays
de Barr``; 1226 ``10323,Romilly-sur-Seine,…,14451,…``; 141 lines with ``,Grand Est,`` (``grep -c``); Verdun (55545)
and Saint-Avold (57606), Action Cœur de Ville towns, are not in the file.
"""
from __future__ import annotations

import pytest

import geodata
from geodata import build_pvd, check
from models.domain.town_facts import town_facts

DEPS = ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]


def test_141_petites_villes_de_demain_in_grand_est_one_row_each():
    pvd = geodata.pvd()
    assert len(pvd) == 141 and pvd.code_insee.is_unique
    assert set(pvd.departement) <= set(DEPS)
    assert set(pvd.code_insee) <= set(geodata.communes().code_insee)


def test_towns_read_by_hand_in_the_csv():
    pvd = geodata.pvd().set_index("code_insee")
    assert pvd.at["68004", "nom"] == "Altkirch" and pvd.at["68004", "population_source"] == 5737
    assert pvd.at["68004", "epci_nom"] == "CC Sundgau" and pvd.at["68004", "epci_siren"] == "200066041"
    assert pvd.at["67021", "nom"] == "Barr" and pvd.at["67021", "population_source"] == 7238
    assert pvd.at["10323", "nom"] == "Romilly-sur-Seine" and pvd.at["10323", "departement"] == "10"
    assert "55545" not in pvd.index and "57606" not in pvd.index   # Verdun, Saint-Avold: ACV, not PVD
    assert pvd.loc["67066", "nom_source"] == "La Broque" and pvd.loc["67066", "nom"] == "Broque"  # article only


def test_every_pvd_point_is_its_town_hall():
    pvd = geodata.pvd().set_index("code_insee")
    com = geodata.commune_index().loc[pvd.index]
    assert (pvd.lon == com.lon).all() and (pvd.lat == com.lat).all()


def test_is_pvd_is_a_fact_of_every_town():
    f = town_facts(["68004", "67021", "55545", "67482"])
    assert f.is_pvd.tolist() == [True, True, False, False]   # Altkirch, Barr; Verdun, Strasbourg
    assert (f.loc[["55545"], "is_acv"]).all()


def test_manifest_and_check_report_the_vintage_the_count_and_no_unmatched_row():
    meta = geodata.sources()["datasets"]["pvd"]
    assert meta["date"] == "2021-01" and meta["rows"] == 141
    match = meta["appariement"]
    assert match["lignes_region"] == 141 and match["appariees"] == 141 and match["non_apparies"] == []
    assert {r["code_insee"] for r in match["noms_differents"]} == {"52331", "52405", "67066", "88029", "88487"}
    checks = []
    report: dict = {}
    check.pvd_checks(lambda name, ok, detail: checks.append((name, ok, detail)), report, geodata.communes())
    assert checks and all(ok for _, ok, _ in checks), checks
    assert report["pvd_non_apparies"] == []


def test_a_row_without_a_matching_commune_is_listed_never_dropped_silently(tmp_path):
    """A small file in the source's format: Altkirch (real), a Bas-Rhin row whose code is no commune (67999), a row
    of another region: the unknown one is listed with its line, Altkirch matched, the other region ignored."""
    (tmp_path / "pvd").mkdir()
    (tmp_path / build_pvd.FILE).write_text(
        ",".join(build_pvd.COLUMNS) + "\n"
        "68004,Altkirch,Grand Est,68,Haut-Rhin,NA,5737,,200066041,CC Sundgau\n"
        "67999,Commune fictive,Grand Est,67,Bas-Rhin,NA,1000,,NA,NA\n"
        "23001,Ahun,Nouvelle-Aquitaine,23,Creuse,NA,1432,,200067189,CC Creuse Sud Ouest\n", encoding="utf-8")
    table, report = build_pvd.pvd(tmp_path, geodata.communes(), DEPS)
    assert table.code_insee.tolist() == ["68004"] and report["lignes_region"] == 2 and report["appariees"] == 1
    assert report["non_apparies"] == [{"code_insee": "67999", "nom": "Commune fictive", "departement": "67",
                                       "ligne": 3}]


def test_a_missing_column_stops_the_build(tmp_path):
    from geodata.errors import BuildError

    (tmp_path / "pvd").mkdir()
    (tmp_path / build_pvd.FILE).write_text("insee_com,lib_com\n68004,Altkirch\n", encoding="utf-8")
    with pytest.raises(BuildError, match="colonne"):
        build_pvd.pvd(tmp_path, geodata.communes(), DEPS)
