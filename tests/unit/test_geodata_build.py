"""The build: clear errors on broken inputs, and byte-identical rebuild of the committed files."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import geodata
from geodata import build_indicators as bi, build_mesr as bm, build_points as bp
from geodata.errors import BuildError

RAW = Path(__file__).resolve().parents[3] / "shared" / "raw"
needs_raw = pytest.mark.skipif(not RAW.exists(), reason="../shared/raw absent (the build's inputs)")


@pytest.fixture
def raw_copy(tmp_path):
    """A writable copy of the small raw folders the tests break."""
    for sub in ("cnam", "indicators/densite", "acv"):
        shutil.copytree(RAW / sub, tmp_path / sub)
    return tmp_path


@needs_raw
def test_unknown_commune_code_names_file_and_row(raw_copy):
    path = raw_copy / "cnam/cnam_centres_reseau_avant_2019.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[3, "code_insee"] = "99999"
    path.chmod(0o644)
    df.to_csv(path, index=False)
    with pytest.raises(BuildError) as err:
        bm.cnam_sites(raw_copy, geodata.communes())
    msg = str(err.value)
    assert "cnam_centres_reseau_avant_2019.csv" in msg and "ligne 5" in msg and "99999" in msg


@needs_raw
def test_missing_column_names_file_and_column(raw_copy):
    path = raw_copy / "indicators/densite/grille_densite_7_niveaux_2024_grand_est.csv"
    df = pd.read_csv(path, dtype=str).drop(columns=["DENS"])
    path.chmod(0o644)
    df.to_csv(path, index=False)
    with pytest.raises(BuildError, match=r"grille_densite_7_niveaux_2024_grand_est\.csv : colonne\(s\) manquante\(s\) : DENS"):
        bi.densite(raw_copy)


@needs_raw
def test_non_numeric_cell_names_row(raw_copy):
    path = raw_copy / "acv/action_coeur_de_ville_communes.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    target = df.index[df.insee_reg == "44"][2]
    df.loc[target, "longitude"] = "six virgule deux"
    path.chmod(0o644)
    df.to_csv(path, index=False)
    with pytest.raises(BuildError) as err:
        bp.acv(raw_copy, geodata.communes(), "44")
    assert f"ligne {target + 2}" in str(err.value) and "six virgule deux" in str(err.value)


@needs_raw
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(BuildError, match="fichier introuvable"):
        bi.zonages(tmp_path)


@needs_raw
def test_rebuild_reproduces_committed_files(tmp_path):
    from geodata.build import build
    cache = Path(geodata.DIR).parent / "cache"
    manifest = build(RAW, "44", tmp_path, cache)
    committed = json.loads((geodata.DIR / "sources.json").read_text())
    for name, d in manifest["datasets"].items():
        assert d["sha256"] == committed["datasets"][name]["sha256"], name
        assert hashlib.sha256((tmp_path / d["file"]).read_bytes()).hexdigest() == d["sha256"]
