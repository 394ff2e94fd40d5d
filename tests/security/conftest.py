"""Database fixtures of the security tests: every store test runs on SQLite and, when TEST_DATABASE_URL is set
(``.ci/run`` starts Debian's PostgreSQL and sets it), on PostgreSQL too."""
from __future__ import annotations

import os

import pytest

from models.stores import db

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def _fresh_url(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'atlas-test.db'}"
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL non défini : PostgreSQL non testé ici (.ci/run le démarre)")
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1) if PG_URL.startswith("postgresql://") else PG_URL
    eng = db.engine.__wrapped__(url)  # an engine of our own, not the cached one
    db.ensure_schema(eng)
    db.metadata.drop_all(eng)  # a clean database for each test
    eng.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """URL of an empty database (tables not created yet)."""
    url = _fresh_url(request.param, tmp_path)
    yield url
    db.engine.cache_clear()


def new_engine(url: str):
    """A separate engine, as a separate worker process would have (own pool, own schema check)."""
    return db.engine.__wrapped__(url)


@pytest.fixture(scope="module")
def app_module():
    """The app, imported once (its pages registered) for the tests that drive it through Flask's test client."""
    import app

    return app


def editor_account(name: str, password: str = "mot de passe de test"):
    """Body of an ``editor`` fixture: one account in the test database, removed afterwards with its sessions and
    sign-in attempts (other tests run with no account)."""
    from sqlalchemy import delete

    from models.stores import users

    users.add_user(name, password, None)
    yield name
    with users._eng().begin() as conn:
        for table in (users.users_table, users.sessions_table, users.attempts_table):
            conn.execute(delete(table))
