"""Writes that never lie (issue 19, part 2): the SQLite file deleted or replaced while the app runs. A deleted file
refuses every write in French (before: saves were "confirmed" into the unlinked file and lost at restart, and the
accounts vanished into the account-less mode); a replaced file (a restore) is picked up and written to; disk full
is named as such."""
from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from components import guard
from models.stores import db, users
from models.stores import network as net
from models.stores.scenarios import ScenarioError, ScenarioStore
from tests.security.conftest import new_engine


def _files(path):
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _names_on_disk(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sim_scenarios ORDER BY id")]
    finally:
        conn.close()


def test_deleted_database_file_refuses_writes_keeps_accounts_and_creates_nothing(tmp_path):
    path = tmp_path / "atlas.db"
    eng = new_engine(f"sqlite:///{path}")
    store = ScenarioStore(eng)
    store.save("avant", "clef_en_main", {})
    users.add_user("Compte Test", "mot de passe long", eng)
    for f in _files(path):
        if f.exists():
            f.unlink()
    for attempt in range(3):  # every save is refused, none is "confirmed"
        with pytest.raises(ScenarioError, match="fichier de la base de données a disparu"):
            store.save(f"perdu {attempt}", "clef_en_main", {})
    with pytest.raises(net.NetworkEditError, match="a disparu"):
        net.add_site("08409", "Test", eng)
    with pytest.raises(Exception, match="disparu|unable to open|supprimé"):
        users.add_user("Autre", "mot de passe long", eng)
    assert users.has_accounts(eng) is True  # never the account-less mode
    assert db.status(eng) == "fichier absent"
    assert "a disparu" in guard.BANNER_TEXT["fichier absent"]
    assert not path.exists()  # no empty database created in its place


def test_replaced_database_file_is_picked_up_and_written_to(tmp_path):
    path = tmp_path / "atlas.db"
    eng = new_engine(f"sqlite:///{path}")
    store = ScenarioStore(eng)
    store.save("sauvegardé", "clef_en_main", {})
    with eng.connect() as conn:  # a consistent backup (what a restore brings back)
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = tmp_path / "backup.db"
    shutil.copy(path, backup)
    store.save("après la sauvegarde", "clef_en_main", {})
    restored = tmp_path / "restored.db"
    shutil.copy(backup, restored)
    for f in _files(path)[1:]:
        if f.exists():
            f.unlink()
    os.replace(restored, path)  # the restore replaces the file while the app runs
    store.save("après la restauration", "clef_en_main", {})
    eng.dispose()
    assert _names_on_disk(path) == ["sauvegardé", "après la restauration"]  # written to the file that stays


def test_disk_full_is_named_as_such():
    exc = sqlite3.OperationalError("database or disk is full")
    assert db.reason(exc) == "disque plein"
    assert "disque du serveur est plein" in str(db.StoreUnavailable(exc))
    assert "disque du serveur est plein" in guard.BANNER_TEXT["disque plein"]
    pg = "could not extend file \"base/16384/2619\": No space left on device"
    assert db.reason(RuntimeError(pg)) == "disque plein"
