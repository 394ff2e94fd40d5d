"""kill -9 during saves: every save a writer was told is done (its id printed after the commit) is in the
database afterwards, and the database is intact. SQLite and, with TEST_DATABASE_URL, PostgreSQL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from models.stores.scenarios import ScenarioStore
from models.stores.weightings import WeightingStore
from tests.security.conftest import new_engine

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from models.stores import db, network
from models.stores.scenarios import ScenarioStore
eng = db.engine(sys.argv[1])
store = ScenarioStore(eng)
codes = [c for c in __import__("geodata").communes().code_insee][:400]
for i in range(100000):
    sid = store.save(f"kill-{i % 7}", "hub", {"auditeurs_croisiere": 60 + i % 200}, author="kill")
    print("S", sid, flush=True)
    try:
        network.add_site(codes[i % len(codes)], "kill", eng)
        print("N", codes[i % len(codes)], flush=True)
    except network.NetworkEditError:
        pass
"""


def test_confirmed_saves_survive_a_kill_9_of_the_writer(db_url):
    eng = new_engine(db_url)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    confirmed, sites, t0 = [], [], time.time()
    while time.time() - t0 < 120 and len(confirmed) < 40:
        line = proc.stdout.readline()
        if not line:
            break
        kind, value = line.split()
        (confirmed if kind == "S" else sites).append(value)
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of the next save
    proc.wait(timeout=30)
    assert len(confirmed) >= 40, "the writer did not get going"
    store = ScenarioStore(eng)
    present = {s.id for s in store.list()}
    print(f"\n[{eng.dialect.name}] kill -9 : {len(confirmed)} enregistrements confirmés, "
          f"{len(set(map(int, confirmed)) & present)} présents ; {len(sites)} sites confirmés")
    assert set(map(int, confirmed)) <= present
    from models.stores import network
    assert set(sites) <= set(network.current_network(eng).codes)
    if eng.dialect.name == "sqlite":
        with eng.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert WeightingStore(eng).save("après", {}).version == 1  # the database still takes writes
    eng.dispose()
