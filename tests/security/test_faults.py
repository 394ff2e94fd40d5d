"""Faults: a damaged geodata/ (truncated, missing, broken, incomplete files) and a database that is down,
read-only or busy. The app keeps answering in French; nothing is reported saved that is not."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import geodata
from models.loaders import data_health
from models.stores import db
from models.stores import network as net
from models.stores.scenarios import ScenarioError, ScenarioStore
from tests.security.conftest import PG_URL, new_engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def damaged(tmp_path, monkeypatch):
    """A copy of geodata/ that a test damages; the loaders read it (caches cleared before and after)."""
    copy = tmp_path / "geodata"
    shutil.copytree(geodata.DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__", "README.md"))
    monkeypatch.setattr(geodata, "DIR", copy)
    monkeypatch.setattr(geodata, "COMMUNES_GEOJSON", copy / "communes.geojson")
    monkeypatch.setattr(geodata, "DEPARTEMENTS_GEOJSON", copy / "departements.geojson")
    for loader in geodata.LOADERS:
        loader.cache_clear()
    yield copy
    for loader in geodata.LOADERS:
        loader.cache_clear()


def _truncate(path: Path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage, file, detail", [
    (lambda d: _truncate(d / "communes.parquet"), "communes.parquet", "illisible"),
    (lambda d: (d / "lycees.parquet").unlink(), "lycees.parquet", "absent"),
    (lambda d: (d / "sources.json").write_text("{pas du json", encoding="utf-8"), "sources.json", "illisible"),
    (lambda d: pd.read_parquet(d / "communes.parquet").drop(columns=["population"])
     .to_parquet(d / "communes.parquet"), "communes.parquet", "colonne manquante : population"),
])
def test_damaged_geodata_is_diagnosed_in_french_naming_the_file_and_the_command(damaged, damage, file, detail):
    assert data_health.check() is None  # the intact copy passes
    for loader in geodata.LOADERS:
        loader.cache_clear()
    damage(damaged)
    problem = data_health.check()
    assert problem is not None and problem.file == file and detail in problem.message
    assert "python -m geodata.build" in problem.message and "Données indisponibles" in problem.message


def test_app_starts_on_a_truncated_file_and_every_page_shows_the_french_data_page(tmp_path):
    copy = tmp_path / "geodata"
    shutil.copytree(geodata.DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    _truncate(copy / "communes.parquet")
    script = ("import json, app; c = app.server.test_client(); "
              "print(json.dumps([c.get(u).status_code for u in ('/', '/ville/54395', '/couverture')] + "
              "[c.get('/_dash-layout').get_data(as_text=True)]))")
    env = {**os.environ, "ATLAS_GEODATA_DIR": str(copy)}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    *codes, layout = json.loads(out.stdout.strip().splitlines()[-1])
    assert codes == [200, 200, 200]
    assert "Donn\\u00e9es indisponibles" in layout or "Données indisponibles" in layout
    assert "communes.parquet" in layout and "python -m geodata.build" in layout
    assert "Traceback" not in out.stdout


def test_database_down_read_paths_work_writes_say_so_and_it_recovers_without_restart(tmp_path):
    folder = tmp_path / "pas-encore"
    eng = new_engine(f"sqlite:///{folder / 'atlas.db'}")  # the folder does not exist: cannot open
    assert db.status(eng) == "indisponible"
    current = net.current_network(eng)
    assert current.unavailable and "indisponible" in current.label and len(current.sites) > 0
    assert net.history(eng).empty
    with pytest.raises(net.NetworkEditError, match="Enregistrement indisponible.*ne répond pas"):
        net.add_site("08409", "Test", eng)
    store = ScenarioStore(eng)
    with pytest.raises(ScenarioError, match="Base de données indisponible"):
        store.list()
    with pytest.raises(ScenarioError, match="Enregistrement indisponible"):
        store.save("x", "clef_en_main", {})
    folder.mkdir()  # the database is back: same engine, no restart
    assert db.status(eng) is None
    assert store.load(store.save("x", "clef_en_main", {})).name == "x"
    assert not net.add_site("08409", "Test", eng).unavailable


def test_read_only_sqlite_is_told_apart_from_busy_and_refused_at_once(tmp_path):
    path = tmp_path / "ro.db"
    ScenarioStore(new_engine(f"sqlite:///{path}")).save("avant", "clef_en_main", {})
    ro = new_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert db.status(ro) == "lecture seule"
    store = ScenarioStore(ro)
    assert [s.name for s in store.list()] == ["avant"]  # reading works
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match="lecture seule"):
        store.save("après", "clef_en_main", {})
    assert time.perf_counter() - t0 < 2.0
    rw = new_engine(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        assert db.status(rw) == "occupée"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert db.status(rw) is None


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL non défini (PostgreSQL démarré par .ci/run)")
def test_postgresql_down_and_read_only_are_told_apart():
    down = new_engine("postgresql+psycopg://atlas:atlas@127.0.0.1:1/atlas_test?connect_timeout=2")
    assert db.status(down) == "indisponible"
    assert net.current_network(down).unavailable
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1) if PG_URL.startswith("postgresql://") else PG_URL
    new_engine(url)  # schema in place
    ro = new_engine(url + ("&" if "?" in url else "?") + "options=-c%20default_transaction_read_only%3Don")
    assert db.status(ro) == "lecture seule"
    with pytest.raises(ScenarioError, match="lecture seule"):
        ScenarioStore(ro).save("x", "clef_en_main", {})


def test_banner_says_recording_unavailable_and_read_only_apart_from_busy(monkeypatch):
    import app  # noqa: F401 - registers the banner callback
    from components import guard
    from tests.dash_client import callback

    client = app.server.test_client()
    for reason, words in (("lecture seule", "lecture seule"), ("occupée", "occupée"), ("indisponible", "ne répond")):
        monkeypatch.setattr(guard.db, "status", lambda r=reason: r)
        guard._probe["at"] = 0.0
        r = callback(client, "app-url.pathname", {"app-url.pathname": "/couverture"})
        banner = r.get_json()["response"]["db-banner"]
        assert banner["is_open"] is True and "Enregistrement indisponible" in banner["children"]
        assert words in banner["children"]
    monkeypatch.setattr(guard.db, "status", lambda: None)
    guard._probe["at"] = 0.0
    r = callback(client, "app-url.pathname", {"app-url.pathname": "/"})
    assert r.get_json()["response"]["db-banner"]["is_open"] is False


def test_database_down_keeps_the_simulator_url_state_and_says_why(monkeypatch, tmp_path):
    import app  # noqa: F401
    from models.stores import scenarios
    from tests.dash_client import page, texts

    dead = ScenarioStore(new_engine(f"sqlite:///{tmp_path / 'absent' / 'x.db'}"))
    monkeypatch.setattr(scenarios, "_default_store", dead)
    status, body = page(app.server.test_client(), "/simulateur", "?scenario=3&ville=54329&concept=hub")
    shown = texts(body)
    assert status == 200 and "Base de données indisponible" in shown
    assert "Lunéville" in shown and '"hub"' in body  # the town and the concept of the URL are kept
