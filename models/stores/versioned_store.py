"""What the scenario and weighting stores share: French validation of names and ids, versioned inserts.

Saving under an existing name adds version n+1 in one serialised transaction, so two saves at the same moment both
land and nothing is overwritten. Deletion is soft: the row is hidden (``deleted_at``/``deleted_by``), can be
restored, and both are written to :data:`audit_log`.
"""
from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, String, Table, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from models.stores import db
from models.text import fr_format as F

RETRIES = 20
audit_log = Table(  # who deleted or restored what, and when (scenarios, weightings)
    "audit_log", db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("who", String(80), nullable=False),
    Column("action", String(20), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("record_id", Integer, nullable=False),
)


def soft_delete_columns() -> list[Column]:
    """The two columns of a soft-deletable table: when and by whom it was hidden (NULL: visible)."""
    return [Column("deleted_at", DateTime(timezone=True), nullable=True),
            Column("deleted_by", String(80), nullable=True)]


CONTROL = re.compile(r"[\x00-\x1f\x7f]")             # names, authors: one line, no control character
CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # notes: line breaks (\n, \r) and tabs allowed


def clean_text(value, field: str, max_len: int, error: type[Exception], required: bool = False,
               single_line: bool = True) -> str:
    """Stripped text; ``error`` (French message) when empty but required, too long or with control characters
    (``single_line=False``: line breaks and tabs allowed, for notes)."""
    text = "" if value is None else str(value).strip()
    if (CONTROL if single_line else CONTROL_MULTILINE).search(text):
        raise error(f"{field} : caractères de contrôle interdits.")
    if required and not text:
        raise error(f"{field} : obligatoire.")
    if len(text) > max_len:
        raise error(f"{field} : {F.num(len(text))} caractères, {max_len} au maximum.")
    return text


def parse_id(value, what: str, error: type[Exception]) -> int:
    """A record id from a URL or a form; ``error`` (French) when it is not a positive integer."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) <= 0:
        raise error(f"Identifiant de {what} invalide : « {text[:30]} » (un nombre entier positif est attendu).")
    return int(text)


def insert_next_version(engine: Engine, table: Table, name: str, values: dict, error: type[Exception],
                        request_key: str | None = None) -> int:
    """Insert ``values`` as the next version of ``name`` in ``table`` (one serialised transaction); the new id.

    ``request_key`` (tables with a ``request_key`` column): a save retried with the same key (its answer was lost,
    the browser sent it again) is recognised and its first id returned: nothing is duplicated.

    Raises ``error`` with the French :class:`models.stores.db.StoreUnavailable` text when the database is read-only or
    down (at once) or stays busy after a few retries; nothing is written then.
    """
    for attempt in range(RETRIES):
        try:
            with db.write_transaction(db.ensure_schema(engine)) as conn:
                keyed = request_key is not None and "request_key" in table.c
                if keyed:
                    done = conn.execute(select(table.c.id).where(table.c.request_key == request_key)).scalar()
                    if done is not None:
                        return int(done)
                current = conn.execute(select(func.max(table.c.version)).where(table.c.name == name)).scalar()
                extra = {"request_key": request_key} if keyed else {}
                result = conn.execute(insert(table).values(
                    name=name, version=(current or 0) + 1, created_at=datetime.now(timezone.utc), **values, **extra))
                return int(result.inserted_primary_key[0])
        except IntegrityError:  # same version taken meanwhile (a writer outside this app's lock)
            time.sleep(0.005 * (attempt + 1))
        except DBAPIError as exc:
            if db.reason(exc) != "occupée" or attempt >= 1:  # busy: SQLite already waited busy_timeout
                raise error(str(db.StoreUnavailable(exc))) from None
            time.sleep(0.05 * (attempt + 1))
    raise error(str(db.StoreUnavailable("occupée")))


def set_deleted(engine: Engine, table: Table, record_id: int, who: str, deleted: bool, what: str,
                error: type[Exception]) -> None:
    """Soft-delete (hide) or restore one record, with an audit row (who, when, what); French ``error`` if absent."""
    now = datetime.now(timezone.utc)
    try:
        with db.write_transaction(db.ensure_schema(engine)) as conn:
            row = conn.execute(select(table.c.id, table.c.deleted_at).where(table.c.id == record_id)).first()
            if row is None or (row.deleted_at is not None) == deleted:
                state = ("introuvable" if row is None else "introuvable (déjà dans la corbeille)" if deleted
                         else "pas dans la corbeille")
                raise error(f"{what} n° {record_id} : {state}, rien n'a été modifié.")
            conn.execute(update(table).where(table.c.id == record_id).values(
                deleted_at=now if deleted else None, deleted_by=who if deleted else None))
            conn.execute(insert(audit_log).values(at=now, who=who, action="suppression" if deleted else "restauration",
                                                  table_name=table.name, record_id=record_id))
    except DBAPIError as exc:
        raise error(str(db.StoreUnavailable(exc))) from None


def read_rows(engine: Engine, query, error: type[Exception]) -> list:
    """Rows of ``query``; ``error`` (French: database unavailable, nothing lost) when the database cannot be read."""
    try:
        with db.ensure_schema(engine).connect() as conn:
            return conn.execute(query).all()
    except DBAPIError:
        raise error("Base de données indisponible : les enregistrements ne peuvent pas être lus pour l'instant "
                    "(rien n'est perdu). La page fonctionne avec les valeurs affichées.") from None


def audit(engine: Engine, table: Table | None = None) -> list:
    """The audit rows (oldest first), optionally of one table."""
    q = select(audit_log).order_by(audit_log.c.id)
    if table is not None:
        q = q.where(audit_log.c.table_name == table.name)
    with db.ensure_schema(engine).connect() as conn:
        return conn.execute(q).all()


class VersionedStore:
    """A versioned, soft-deletable store of named records (the scenarios, the weightings): one implementation of
    listing, loading, deleting, restoring and auditing, and one rule for names (:meth:`clean_name`).

    Subclasses set :attr:`table`, :attr:`error` (their French exception), :attr:`what` ("Scénario"), :attr:`not_found`
    (the end of "… n° 3 introuvable …") and :meth:`_record` (a row → their record).
    """

    table: Table
    error: type[Exception]
    what: str
    not_found: str
    max_name, max_author = 120, 80

    def __init__(self, eng: Engine):
        self.engine = eng

    def _record(self, row):
        raise NotImplementedError

    def parse_id(self, value) -> int:
        """A record id from a URL or a form; :attr:`error` (French) when it is not a positive integer."""
        return parse_id(value, self.what.lower(), self.error)

    def clean_name(self, value, field: str, max_len: int | None = None, required: bool = False) -> str:
        """A name or an author: one line, stripped, no control character, at most ``max_len`` characters."""
        return clean_text(value, field, self.max_name if max_len is None else max_len, self.error, required=required)

    def list(self, deleted: bool = False) -> list:
        """Every saved version, newest first (``deleted=True``: the deleted ones instead, to restore them)."""
        t = self.table
        shown = t.c.deleted_at.is_not(None) if deleted else t.c.deleted_at.is_(None)
        rows = read_rows(self.engine, select(t).where(shown).order_by(t.c.created_at.desc(), t.c.id.desc()),
                         self.error)
        return [self._record(r) for r in rows]

    def _visible_row(self, record_id):
        rid = self.parse_id(record_id)
        rows = read_rows(self.engine, select(self.table).where(self.table.c.id == rid), self.error)
        row = rows[0] if rows else None
        if row is None or row.deleted_at is not None:
            raise self.error(f"{self.what} n° {rid} {self.not_found}.")
        return row

    def load(self, record_id):
        """The record ``record_id`` (int or digit string); :attr:`error` if unknown, deleted or invalid."""
        return self._record(self._visible_row(record_id))

    def delete(self, record_id, who: str = "") -> None:
        """Hide one version (soft deletion, audited, restorable); :attr:`error` if absent or already hidden."""
        set_deleted(self.engine, self.table, self.parse_id(record_id), who or "?", True, self.what, self.error)

    def restore(self, record_id, who: str = "") -> None:
        """Show a deleted version again (audited)."""
        set_deleted(self.engine, self.table, self.parse_id(record_id), who or "?", False, self.what, self.error)

    def audit(self) -> list:
        """Deletions and restorations of this store's records: rows (id, at, who, action, table_name, record_id)."""
        return audit(self.engine, self.table)
