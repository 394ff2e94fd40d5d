"""geodata/build_travel.py: the routed samples table is rebuilt identically, and broken inputs name their row."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

import geodata
from geodata import build_travel as bt
from geodata.errors import BuildError

RAW = Path(__file__).resolve().parents[3] / "shared" / "raw"
needs_raw = pytest.mark.skipif(not RAW.exists(), reason="../shared/raw absent (the build's inputs)")


@pytest.fixture
def raw_copy(tmp_path):
    shutil.copytree(RAW / "travel", tmp_path / "travel")
    return tmp_path


def test_name_key_ignores_accents_hyphens_and_case():
    assert bt.name_key("Saint-Pierre-Bois") == bt.name_key("SAINT PIERRE BOIS") == "SAINT PIERRE BOIS"
    assert bt.name_key("Sélestat") == bt.name_key("SELESTAT")


def test_committed_table_has_the_three_samples():
    df = pd.read_parquet(geodata.DIR / "trajets_routes.parquet")
    assert list(df.columns) == bt.COLUMNS
    assert df.groupby("sample", sort=False).size().to_dict() == {
        bt.BAS_RHIN: 4850, bt.GRAPHHOPPER: 552, bt.VILLES: 14520}
    assert (df.minutes > 0).all() and df[["from_lon", "from_lat", "to_lon", "to_lat"]].notna().all().all()
    br = df[df["sample"] == bt.BAS_RHIN]
    com = geodata.communes().set_index("code_insee")
    assert br.origin_code.str.startswith("67").all() and br.origin_code.nunique() == 485
    assert (br.from_lon.to_numpy() == com.loc[br.origin_code, "lon"].to_numpy()).all()  # our commune points


@needs_raw
def test_rebuild_is_byte_identical(tmp_path):
    df = bt.routed_samples(RAW, geodata.communes())
    df.to_parquet(tmp_path / "t.parquet", index=False, compression="zstd")
    entry = geodata.sources()["datasets"]["trajets_routes"]
    assert hashlib.sha256((tmp_path / "t.parquet").read_bytes()).hexdigest() == entry["sha256"]
    assert entry["rows"] == len(df) and "contributeurs d'OpenStreetMap" in entry["licence"]


@needs_raw
def test_unknown_bas_rhin_commune_names_file_and_row(raw_copy):
    path = raw_copy / "travel/routing_bas_rhin_communes_to_10_hospitals.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "ATLANTIS" + lines[3][lines[3].index(","):]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"routing_bas_rhin_communes_to_10_hospitals.csv, ligne 4 : commune 'ATLANTIS'"):
        bt.routed_samples(raw_copy, geodata.communes())


@needs_raw
def test_non_numeric_time_names_file_and_row(raw_copy):
    path = raw_copy / "travel/osrm_french_cities_121_pairs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    lines[5] = ",".join(cells[:2] + ["vite"] + cells[3:])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"ligne 6 : valeur non numérique 'vite' dans la colonne duration_s"):
        bt.routed_samples(raw_copy, geodata.communes())
