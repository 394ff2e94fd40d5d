"""The layer contracts of .importlinter hold on the repository, and each one fails on a violating import.

Each violating case writes one import into a copy of models/ (in a temporary folder, with empty stand-ins for the
other root packages) and runs lint-imports on it with the repository's own .importlinter: the contract named must
be reported broken, the copy without the import must pass.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(folder / ".importlinter"), "--no-cache"], cwd=folder,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(folder),
                                                                             "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "models", folder / "models", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", folder)
    for package in ("components", "pages", "geodata"):   # stand-ins: the contracts only name them
        (folder / package).mkdir()
        (folder / package / "__init__.py").write_text("")
    return folder


def test_the_repository_keeps_every_contract():
    out = lint(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_the_copy_without_a_violation_passes(copy):
    out = lint(copy)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("module, line, contract", [
    ("models/domain/coverage.py", "from models.stores import db", "en couches"),          # domain → store
    ("models/text/fr_format.py", "from models.domain import territory", "en couches"),   # text → domain
    ("models/stores/db.py", "from models.cli import users", "en couches"),               # store → cli
    ("models/domain/demand.py", "from models.stores import network", "en couches"),      # the old network seam
    ("models/stores/network.py", "from models.loaders import region", "en couches"),     # store → loader
    ("models/domain/scoring.py", "import geodata", "ne lisent pas geodata"),              # a new geodata reader
    ("models/domain/demand.py", "import components", "ni Dash"),                          # models → UI
    ("models/stores/db.py", "from models.stores import scenarios", "db et comptes"),     # db → a store
    ("models/stores/users.py", "import pandas", "db et comptes"),                         # accounts → pandas
])
def test_a_violating_import_breaks_its_contract(copy, tmp_path, module, line, contract):
    broken = tmp_path / "repo"
    shutil.copytree(copy, broken)
    path = broken / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # violation\n", encoding="utf-8")
    out = lint(broken)
    assert out.returncode != 0, out.stdout
    report = out.stdout.split("Broken contracts", 1)[-1]
    assert contract in report and module.removesuffix(".py").replace("/", ".") in report, out.stdout
