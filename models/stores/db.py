"""Database engine shared by the scenario, weighting and network stores.

SQLite file ``instance/atlas.db`` by default (created on first use), PostgreSQL (or any SQLAlchemy URL) when
``DATABASE_URL`` is set (``postgresql+psycopg://user:pass@host/db``, psycopg 3). Each store declares its tables
on :data:`metadata`; :func:`ensure_schema` creates them once (each table when its store is first used: this
module imports no store, so ``python -m models.users list`` loads neither pandas nor the models), under a lock, so several workers starting together
do not race. Every write goes through :func:`write_transaction` (serialised: SQLite ``BEGIN IMMEDIATE``,
PostgreSQL advisory lock), so what a user is told has been saved is in the database.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
import weakref
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

ROOT = Path(__file__).resolve().parents[2]
metadata = MetaData()
log = logging.getLogger("atlas")
LOCK_BASE = 741_300  # PostgreSQL advisory lock keys of this app: LOCK_BASE + 0 (schema), + 1 (writes)
_ready: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine → names of the tables in place
_ready_lock = threading.Lock()


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    for old in ("postgres://", "postgresql://"):  # Heroku-style scheme / no driver named: psycopg 3
        if url.startswith(old):
            url = "postgresql+psycopg://" + url[len(old):]
    if url:
        return url
    (ROOT / "instance").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'instance' / 'atlas.db'}"


@lru_cache(maxsize=None)
def engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default :func:`database_url`), with every declared table created (once)."""
    url = url or database_url()
    if url.startswith("sqlite"):
        eng = create_engine(url, connect_args={"timeout": 5, "check_same_thread": False})

        @event.listens_for(eng, "connect")
        def _sqlite_pragmas(conn, _record):  # concurrent readers + one writer, no lost writes
            conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below), pysqlite does not
            cur = conn.cursor()
            try:
                cur.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:  # read-only file: reads still work
                pass
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

        path = sqlite_path(url)
        if path:
            @event.listens_for(eng, "do_connect")
            def _refuse_vanished(_dialect, _rec, _cargs, _cparams):  # sqlite would create an empty file instead
                if _identity.get(eng) and not os.path.exists(path):
                    raise sqlite3.OperationalError(f"unable to open database file: {VANISHED} ({path})")
                return None

        @event.listens_for(eng, "begin")
        def _sqlite_begin(conn):  # write transactions take the write lock first: validate + insert is atomic
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write_lock") else "BEGIN")
    else:
        args = {"connect_timeout": 5} if url.startswith("postgresql") and "connect_timeout" not in url else {}
        eng = create_engine(url, pool_pre_ping=True, connect_args=args)  # a server down is told within 5 s
    try:
        ensure_schema(eng)
    except (OperationalError, DBAPIError) as exc:  # database down: the read pages still work, writes say so
        log.warning("Base de données indisponible au démarrage : %s", exc)
    _remember_file(eng)
    return eng


# ------------------------------------------------------------------ the SQLite file itself: deleted or replaced
VANISHED = "fichier de la base supprimé"
_identity: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine → (st_dev, st_ino) of its file


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL (plain or ``file:…?uri=true``), None for memory databases and other dialects."""
    if not url.startswith("sqlite"):
        return None
    rest = url.split(":///", 1)[1] if ":///" in url else ""
    if rest.startswith("file:"):
        rest = rest[5:].split("?", 1)[0]
    return rest if rest and rest != ":memory:" else None


def _stat_identity(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _remember_file(eng: Engine) -> None:
    path = sqlite_path(str(eng.url))
    if path and (ident := _stat_identity(path)):
        _identity[eng] = ident


def check_file(eng: Engine) -> None:
    """Before a write on SQLite: the file the pool has open must still be the one on disk.

    Deleted (or moved) → refuse (a write would land in an unlinked inode and be lost at restart; no empty file is
    created in its place, so the accounts cannot vanish into the account-less mode). Replaced (a restore) → the pool
    is refreshed and the new file is used from now on. Raises :class:`OperationalError` (French reason).
    """
    path = sqlite_path(str(eng.url))
    known = _identity.get(eng)
    if not path or known is None:
        if path:
            _remember_file(eng)
        return
    now = _stat_identity(path)
    if now is None:
        log.error("Base SQLite %s introuvable : enregistrements refusés jusqu'à sa restauration", path)
        raise OperationalError("check_file", {}, sqlite3.OperationalError(f"{VANISHED} ({path})"))
    if now != known:
        log.warning("Base SQLite %s remplacée (restauration ?) : connexions renouvelées", path)
        eng.dispose()
        _identity[eng] = now


@contextmanager
def write_transaction(eng: Engine, key: int = 1):
    """One serialised write transaction: SQLite ``BEGIN IMMEDIATE``, PostgreSQL transaction advisory lock ``key``.

    Everything read inside sees every write committed before; the next writer waits until this one commits.
    """
    if eng.dialect.name == "sqlite":
        check_file(eng)
    with eng.connect() as conn:
        conn.execution_options(write_lock=True)
        with conn.begin():
            if eng.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_BASE + key})
            yield conn


def ensure_schema(eng: Engine) -> Engine:
    """Create every table declared so far (and the columns added since) once per engine, safely under several
    workers. A store declares its table when imported and calls this before each use, so a table declared later
    is created then."""
    declared = frozenset(metadata.tables)
    if declared <= _ready.get(eng, frozenset()):
        return eng
    with _ready_lock:
        if declared <= _ready.get(eng, frozenset()):
            return eng
        with write_transaction(eng, key=0) as conn:
            metadata.create_all(conn)
            _add_missing_columns(conn)
        _ready[eng] = declared
    return eng


def _add_missing_columns(conn) -> None:
    """Nullable columns added to a table after a database was created (e.g. soft deletion) are added in place."""
    insp = inspect(conn)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name not in have and col.nullable:
                kind = col.type.compile(dialect=conn.dialect)
                conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN {col.name} {kind}')


def status(eng: Engine | None = None) -> str | None:
    """None if a write can be made now, else a French reason: ``lecture seule``, ``occupée`` or ``indisponible``.

    Takes the write lock for a moment (waiting 0.3 s at most) and writes nothing.
    """
    try:
        eng = ensure_schema(eng or engine())
        if eng.dialect.name == "sqlite":
            check_file(eng)
        with eng.connect() as conn:
            if eng.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA busy_timeout=300")
                conn.commit()  # ends the transaction the PRAGMA opened
            conn.execution_options(write_lock=True)
            trans = conn.begin()
            try:
                if eng.dialect.name == "sqlite":  # rewriting the header's user_version needs write access
                    version = conn.exec_driver_sql("PRAGMA user_version").scalar()
                    conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
                elif conn.execute(text("SHOW transaction_read_only")).scalar() == "on":
                    return "lecture seule"
            finally:
                trans.rollback()
                if eng.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA busy_timeout=5000")
                    conn.commit()
    except Exception as exc:  # noqa: BLE001 - any failure is reported as a reason, never raised
        why = reason(exc)
        if why == "lecture seule" and eng is not None:  # connections opened read-only stay so: renew them,
            eng.dispose()                                # so that writes come back with write access
        return why
    return None


def reason(exc: BaseException) -> str:
    """French reason for a database failure: read-only, busy (locked) or unavailable."""
    text_ = str(exc).lower()
    if VANISHED in text_:
        return "fichier absent"
    if "disk is full" in text_ or "no space left" in text_ or "could not extend file" in text_ \
            or "disk full" in text_ or "diskfull" in text_:
        return "disque plein"
    if "readonly" in text_ or "read-only" in text_ or "read only" in text_:
        return "lecture seule"
    if "locked" in text_ or "busy" in text_ or "lock timeout" in text_:
        return "occupée"
    return "indisponible"


class StoreUnavailable(RuntimeError):
    """The database cannot take a write now; the message is French and says why (read-only, busy, down)."""

    def __init__(self, exc: BaseException | str):
        self.reason = exc if isinstance(exc, str) else reason(exc)
        detail = {"lecture seule": "la base de données est en lecture seule (droits du fichier ou du serveur)",
                  "occupée": "la base de données est occupée par d'autres enregistrements ; réessayez dans un instant",
                  "fichier absent": "le fichier de la base de données a disparu (supprimé ou déplacé) ; rien ne "
                                    "sera écrit ailleurs tant qu'il n'est pas restauré",
                  "disque plein": "le disque du serveur est plein",
                  }.get(self.reason, "la base de données ne répond pas")
        super().__init__(f"Enregistrement indisponible : {detail}. Rien n'a été enregistré ; "
                         "vos saisies restent à l'écran.")
