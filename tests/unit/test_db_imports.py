"""models/stores/db.py imports no store: listing editor accounts loads neither pandas nor the simulator or the ranking,
and each store's table is still created when that store is first used."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, tmp_path) -> dict:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.db'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_listing_accounts_imports_neither_pandas_nor_the_models(tmp_path):
    loaded = run("import sys, json\nfrom models.stores import users\nusers.main(['list'])\n"
                 "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('pandas', 'models.')))))", tmp_path)
    assert "pandas" not in loaded
    assert not {"models.domain.simulator", "models.domain.scoring", "models.stores.network", "models.stores.scenarios"} & set(loaded)


def test_a_store_imported_after_the_accounts_still_gets_its_table(tmp_path):
    tables = run("import json\nfrom sqlalchemy import inspect\nfrom models.stores import db, users\nusers.main(['list'])\n"
                 "from models.stores import weightings\nstore = weightings.WeightingStore(db.engine())\nstore.list()\n"
                 "print(json.dumps(inspect(db.engine()).get_table_names()))", tmp_path)
    assert {"users", "ranking_weightings", "audit_log"} <= set(tables), tables
