"""What the scenario and weighting stores share: French validation of names and ids, versioned inserts.

Saving under an existing name adds version n+1; a clash on (name, version) from a concurrent save, or a busy
database, is retried, so two saves at the same moment both land and nothing is overwritten.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

RETRIES = 50


def clean_text(value, field: str, max_len: int, error: type[Exception], required: bool = False,
               single_line: bool = False) -> str:
    """Stripped text; ``error`` (French message) when empty but required, too long or with control characters."""
    text = "" if value is None else str(value).strip()
    forbidden = ("\x00", "\r", "\n") if single_line else ("\x00",)
    if any(ch in text for ch in forbidden):
        raise error(f"{field} : caractères de contrôle interdits.")
    if required and not text:
        raise error(f"{field} : obligatoire.")
    if len(text) > max_len:
        count = f"{len(text):,}".replace(",", "\u202f")
        raise error(f"{field} : {count} caractères, {max_len} au maximum.")
    return text


def parse_id(value, what: str, error: type[Exception]) -> int:
    """A record id from a URL or a form; ``error`` (French) when it is not a positive integer."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or len(text) > 12 or int(text) <= 0:
        raise error(f"Identifiant de {what} invalide : « {text[:30]} » (un nombre entier positif est attendu).")
    return int(text)


def insert_next_version(engine: Engine, table: Table, name: str, values: dict, error: type[Exception]) -> int:
    """Insert ``values`` as the next version of ``name`` in ``table``; returns the new row id."""
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                current = conn.execute(select(func.max(table.c.version)).where(table.c.name == name)).scalar()
                result = conn.execute(insert(table).values(
                    name=name, version=(current or 0) + 1, created_at=datetime.now(timezone.utc), **values))
                return int(result.inserted_primary_key[0])
        except (IntegrityError, OperationalError):  # same version taken meanwhile / database busy
            time.sleep(0.005 * (attempt + 1))
    raise error("Enregistrement impossible : base de données occupée, réessayez.")
