"""Editor accounts: hashed passwords (werkzeug scrypt), unique names, CLI, French messages."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from models.stores import db, users


@pytest.fixture
def eng(tmp_path):
    return db.engine.__wrapped__(f"sqlite:///{tmp_path / 'users.db'}")


def test_password_is_stored_hashed_and_checked(eng):
    users.add_user("Claire Martin", "un mot de passe long", eng)
    with eng.connect() as conn:
        stored = conn.execute(select(users.users_table.c.password_hash)).scalar()
    assert "un mot de passe long" not in stored and stored.startswith("scrypt:")
    assert users.authenticate("Claire Martin", "un mot de passe long", eng) == "Claire Martin"
    assert users.authenticate("Claire Martin", "un mot de passe lonG", eng) is None
    assert users.authenticate("Inconnu", "un mot de passe long", eng) is None


def test_names_are_unique_and_passwords_long_enough_in_french(eng):
    users.add_user("DR Grand Est", "0123456789", eng)
    with pytest.raises(users.UserError, match="existe déjà"):
        users.add_user("DR Grand Est", "autre mot de passe", eng)
    with pytest.raises(users.UserError, match="trop court"):
        users.add_user("Autre", "court", eng)
    with pytest.raises(users.UserError, match="invalide"):
        users.add_user("<script>", "0123456789", eng)


def test_disabled_account_cannot_sign_in_and_has_accounts(eng):
    assert users.has_accounts(eng) is False
    users.add_user("Paul", "0123456789ab", eng)
    assert users.has_accounts(eng) is True
    users.set_active("Paul", False, eng)
    assert users.authenticate("Paul", "0123456789ab", eng) is None and users.get_active("Paul", eng) is None


def test_cli_add_reads_the_password_from_stdin(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.engine.cache_clear()
    monkeypatch.setattr("sys.stdin", io.StringIO("mot de passe du CLI\n"))
    assert users.main(["add", "Nadia", "--stdin"]) == 0
    assert "créé" in capsys.readouterr().out
    assert users.authenticate("Nadia", "mot de passe du CLI") == "Nadia"
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    assert users.main(["add", "Nadia", "--stdin"]) == 2
    db.engine.cache_clear()


def test_trash_cli_lists_and_restores_a_deleted_scenario(monkeypatch, tmp_path, capsys):
    from models.stores import scenarios, weightings
    from models.cli import trash

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'trash.db'}")
    db.engine.cache_clear()
    monkeypatch.setattr(scenarios, "_default_store", None)
    monkeypatch.setattr(weightings, "_default_store", None)
    store = scenarios.default_store()
    sid = store.save("Corbeille", "hub", {})
    store.delete(sid, "Claire")
    assert trash.main(["list"]) == 0 and f"scenario {sid} · Corbeille (v1)" in capsys.readouterr().out
    assert trash.main(["restore", "scenario", str(sid), "--par", "Paul"]) == 0
    assert store.load(sid).name == "Corbeille"
    assert trash.main(["restore", "scenario", str(sid), "--par", "Paul"]) == 2  # not in the bin any more
    assert trash.main(["audit"]) == 0
    out = capsys.readouterr().out
    assert "Claire : suppression sim_scenarios" in out and "Paul : restauration sim_scenarios" in out
    db.engine.cache_clear()


def test_cli_runs_as_a_module(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}"}
    root = Path(__file__).resolve().parents[2]
    run = [sys.executable, "-m", "models.users"]
    out = subprocess.run(run + ["add", "Léa", "--stdin"], input="mot de passe long\n", text=True, cwd=root,
                         env=env, capture_output=True, timeout=120)
    assert out.returncode == 0 and "créé" in out.stdout, out.stderr
    listed = subprocess.run(run + ["list"], text=True, cwd=root, env=env, capture_output=True, timeout=120)
    assert listed.stdout.strip() == "Léa"
