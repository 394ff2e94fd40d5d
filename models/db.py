"""Database engine shared by the scenario, weighting and network stores.

SQLite file ``instance/atlas.db`` by default (created on first use), PostgreSQL (or any SQLAlchemy URL) when
``DATABASE_URL`` is set. Each store declares its tables on :data:`metadata`; :func:`engine` creates them.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
metadata = MetaData()


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith("postgres://"):  # Heroku-style scheme
        url = "postgresql://" + url[len("postgres://"):]
    if url:
        return url
    (ROOT / "instance").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'instance' / 'atlas.db'}"


@lru_cache(maxsize=None)
def engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default :func:`database_url`), with every declared table created."""
    url = url or database_url()
    if url.startswith("sqlite"):
        eng = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(eng, "connect")
        def _sqlite_pragmas(conn, _record):  # concurrent readers + one writer, no lost writes
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    else:
        eng = create_engine(url, pool_pre_ping=True)
    metadata.create_all(eng)
    return eng
