"""Data health that cannot be fooled (issue 19, part 4): files that still *read* but are damaged — a text column,
NaN coordinates, a duplicated code, a GeoJSON with fewer contours than communes, one bad line in
models/parameters.toml, a truncated travel calibration — are named in French at start-up and in geodata.check;
the server starts and answers every page with the "données indisponibles" page, never with a fact computed from
the damaged data."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import geodata
from models.loaders import data_health
from models.domain import demand, simulator, travel
from tests.security.test_faults import damaged  # noqa: F401 - fixture: a damaged copy of geodata/

ROOT = Path(__file__).resolve().parents[2]
NANCY = "54395"


def _edit(path: Path, change):
    df = pd.read_parquet(path)
    change(df)
    df.to_parquet(path)


def _set(column, code, value):
    def change(df):
        df[column] = df[column].astype(object) if isinstance(value, str) else df[column]
        df.loc[df.code_insee == code, column] = value
    return change


def _duplicate_first_row(path: Path):
    df = pd.read_parquet(path)
    pd.concat([df, df.iloc[:1]]).to_parquet(path)


def _drop_features(path: Path, n: int):
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:-n]
    path.write_text(json.dumps(doc), encoding="utf-8")


def _text_rate(folder: Path):
    path = folder / "chomage_ze.parquet"
    df = pd.read_parquet(path)
    df["taux"] = df["taux"].map(lambda v: f"{v:.1f} %")
    df.to_parquet(path)


GEODATA_DAMAGES = [
    ("texte dans un taux", _text_rate, "chomage_ze.parquet", "colonne taux : type"),
    ("NaN coordinates of Nancy", lambda d: _edit(d / "communes.parquet", _set("lon", NANCY, float("nan"))),
     "communes.parquet", "colonne lon : 1 valeur(s) manquante(s)"),
    ("latitude hors région", lambda d: _edit(d / "lycees.parquet", lambda df: df.__setitem__("lat", df.lat * 0)),
     "lycees.parquet", "colonne lat"),
    ("population négative", lambda d: _edit(d / "communes.parquet", _set("population", NANCY, -5)),
     "communes.parquet", "colonne population"),
    ("code en double", lambda d: _duplicate_first_row(d / "communes.parquet"), "communes.parquet", "en double"),
    ("GeoJSON tronqué proprement", lambda d: _drop_features(d / "communes.geojson", 2000), "communes.geojson",
     "3115 contours pour 5115 communes"),
    ("GeoJSON tronqué", lambda d: (d / "communes.geojson").write_bytes((d / "communes.geojson").read_bytes()[:9000]),
     "communes.geojson", "illisible"),
    ("site Cnam sans coordonnées", lambda d: _edit(d / "cnam_sites.parquet",
                                                  lambda df: df.__setitem__("lat", df.lat.where(df.index > 0))),
     "cnam_sites.parquet", "colonne lat"),
    ("commune inconnue", lambda d: _edit(d / "missions_locales.parquet",
                                         lambda df: df.__setitem__("code_insee", df.code_insee.where(df.index > 0, "99999"))),
     "missions_locales.parquet", "code(s) commune inconnu(s)"),
]


@pytest.mark.parametrize("what, damage, file, detail", GEODATA_DAMAGES, ids=[d[0] for d in GEODATA_DAMAGES])
def test_damage_that_still_reads_is_named_with_the_file(damaged, what, damage, file, detail):  # noqa: F811
    assert data_health.check() is None  # the intact copy passes
    for loader in geodata.LOADERS:
        loader.cache_clear()
    damage(damaged)
    problem = data_health.check()
    assert problem is not None, what
    assert problem.file == file and detail in problem.message, problem.message
    assert "Données indisponibles" in problem.message and "geodata/" + file in problem.message


@pytest.fixture
def model_files(tmp_path, monkeypatch):
    """Copies of models/parameters.toml and models/travel_calibration.json that a test damages."""
    params, cal = tmp_path / "parameters.toml", tmp_path / "travel_calibration.json"
    shutil.copy(simulator.PARAMETERS_FILE, params)
    shutil.copy(travel.CALIBRATION_PATH, cal)
    monkeypatch.setattr(simulator, "PARAMETERS_FILE", params)
    monkeypatch.setattr(travel, "CALIBRATION_PATH", cal)
    caches = (simulator.load_catalogue, demand.assumptions, travel.calibration, travel.calibrated_curve)
    for c in caches:
        c.cache_clear()
    yield params, cal
    for c in caches:
        c.cache_clear()


def _replace(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


MODEL_DAMAGES = [
    ("une ligne cassée", 0, lambda p: _replace(p, "cout_etp = { defaut = 52000", "cout_etp = { defaut = 52 000"),
     "models/parameters.toml", "invalide"),
    ("un texte pour un nombre", 0, lambda p: _replace(p, "defaut = 52000", 'defaut = "beaucoup"'),
     "models/parameters.toml", "invalide"),
    ("calibration tronquée", 1, lambda p: p.write_bytes(p.read_bytes()[:300]),
     "models/travel_calibration.json", "illisible"),
    ("pente négative", 1, lambda p: _replace(p, "1.10091", "-1.10091"), "models/travel_calibration.json",
     "hors de leurs plages"),
    ("coefficient manquant", 1, lambda p: _replace(p, '"access_min"', '"acces"'), "models/travel_calibration.json",
     "coefficient manquant"),
]


@pytest.mark.parametrize("what, which, damage, file, detail", MODEL_DAMAGES, ids=[d[0] for d in MODEL_DAMAGES])
def test_damaged_parameters_and_calibration_are_named(model_files, what, which, damage, file, detail):
    assert data_health.check() is None
    damage(model_files[which])
    for c in (simulator.load_catalogue, demand.assumptions, travel.calibration, travel.calibrated_curve):
        c.cache_clear()
    problem = data_health.check()
    assert problem is not None, what
    assert problem.file == file and detail in problem.message, problem.message
    assert f"le fichier {file}" in problem.message and "Données indisponibles" in problem.message


def test_geodata_check_fails_and_names_the_damaged_file(damaged, capsys):  # noqa: F811
    from geodata import check

    _edit(damaged / "communes.parquet", _set("lat", NANCY, float("nan")))
    for loader in geodata.LOADERS:
        loader.cache_clear()
    assert check.main([]) == 1
    out = capsys.readouterr().out
    assert "ÉCHEC" in out and "geodata/communes.parquet" in out and "colonne lat" in out


# --------------------------------------------------------------------------------- the server starts anyway
SCRIPT = """
import json, sys
from pathlib import Path
from models.domain import simulator, travel
if {params!r}: simulator.PARAMETERS_FILE = Path({params!r})
if {cal!r}: travel.CALIBRATION_PATH = Path({cal!r})
import app
from tests.dash_client import page
c = app.server.test_client()
out = []
for path, search in (("/", ""), ("/ville/54395", ""), ("/simulateur", "?ville=54395&concept=hub"), ("/couverture", "")):
    shell = c.get(path + search)
    layout = c.get("/_dash-layout").get_data(as_text=True)
    status, body = page(c, path, search)  # what the browser asks next (the pages router)
    out.append([shell.status_code, layout, status, body])
print(json.dumps(out))
"""


def _serve(tmp_path, damage_geodata=None, damage_params=None, damage_cal=None):
    copy = tmp_path / "geodata"
    shutil.copytree(geodata.DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    params = cal = ""
    if damage_geodata:
        damage_geodata(copy)
    if damage_params:
        params = str(tmp_path / "parameters.toml")
        shutil.copy(simulator.PARAMETERS_FILE, params)
        damage_params(Path(params))
    if damage_cal:
        cal = str(tmp_path / "travel_calibration.json")
        shutil.copy(travel.CALIBRATION_PATH, cal)
        damage_cal(Path(cal))
    env = {**os.environ, "ATLAS_GEODATA_DIR": str(copy)}
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(params=params, cal=cal)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1]), out.stderr


@pytest.mark.parametrize("case", ["nan_nancy", "text_rate", "params_line", "cal_truncated", "geojson_short"])
def test_server_starts_and_every_page_names_the_damaged_file_never_a_false_fact(tmp_path, case):
    damage, file = {
        "nan_nancy": (dict(damage_geodata=lambda d: _edit(d / "communes.parquet",
                                                           _set("lon", NANCY, float("nan")))), "communes.parquet"),
        "text_rate": (dict(damage_geodata=_text_rate), "chomage_ze.parquet"),
        "params_line": (dict(damage_params=lambda p: _replace(p, "defaut = 52000", "defaut = 52 000")),
                        "models/parameters.toml"),
        "cal_truncated": (dict(damage_cal=lambda p: p.write_bytes(p.read_bytes()[:300])),
                          "models/travel_calibration.json"),
        "geojson_short": (dict(damage_geodata=lambda d: _drop_features(d / "communes.geojson", 10)),
                          "communes.geojson"),
    }[case]
    pages, log = _serve(tmp_path, **damage)
    for shell, layout, status, body in pages:
        assert shell == 200 and status == 400  # the router callback does not exist then: refused (400), not 500
        layout = json.loads(layout) and json.dumps(json.loads(layout), ensure_ascii=False)
        assert "Données indisponibles" in layout and file in layout, layout[:500]
        # no fact at all: neither Charleville's Cnam site for Nancy nor any town profile or figure
        for text in (layout, body):
            assert "Charleville" not in text and "Nancy" not in text and "Traceback" not in text
    assert file in log  # and the log names it too


def test_intact_data_serves_nancy_with_its_own_cnam_site(tmp_path):
    """Oracle of the NaN case: with intact data, Nancy's profile is served (and names Nancy)."""
    pages, _ = _serve(tmp_path)
    shell, layout, status, body = pages[1]
    assert shell == 200 and status == 200 and "Nancy" in body and "Données indisponibles" not in layout + body
