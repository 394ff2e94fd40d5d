"""Saved simulator scenarios (SQLAlchemy; SQLite under ``instance/`` by default, ``DATABASE_URL`` otherwise).

A scenario = name, author, note, concept, town (``code_insee``, optional) and ALL the parameter values (so it
means the same thing after the defaults of ``parameters.toml`` change). Saving under an existing name adds a new *version*; nothing is ever overwritten.
Names, authors and notes are bound parameters (quotes or SQL are just text) and their length is checked.

>>> store = ScenarioStore()                      # doctest: +SKIP
>>> sid = store.save("Lunéville v1", "hub", {"auditeurs_croisiere": 140}, author="DR", code_insee="54329")
>>> store.load(sid).values["auditeurs_croisiere"]   # doctest: +SKIP
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, String, Table, Text, UniqueConstraint

from models.stores.db import engine as shared_engine
from models.stores.db import metadata
from models.domain.simulator import ParameterError, make_parameters
from models.text.inputs import CODE_INSEE
from models.stores.versioned_store import VersionedStore, clean_text, insert_next_version, parse_id, soft_delete_columns

MAX_NAME, MAX_AUTHOR, MAX_NOTE = 120, 80, 2000

scenarios_table = Table(
    "sim_scenarios", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(MAX_AUTHOR), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("concept", String(40), nullable=False),
    Column("code_insee", String(5), nullable=True),
    Column("parameters", Text, nullable=False),  # JSON {name: value}, every parameter of the concept
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_key", String(64), nullable=True),  # idempotency key of the save (a retry is recognised)
    *soft_delete_columns(),
    UniqueConstraint("name", "version", name="uq_sim_scenario_name_version"),
)


class ScenarioError(ValueError):
    """A scenario that cannot be saved, found or deleted; the message is French, for the user."""


@dataclass(frozen=True)
class Scenario:
    id: int
    name: str
    version: int
    author: str
    note: str
    concept: str
    code_insee: str | None
    values: dict
    created_at: datetime

    def overrides(self) -> dict:
        """Values that differ from the concept's current defaults (parameters no longer defined are dropped)."""
        from models.domain.simulator import concept

        specs = concept(self.concept).specs
        return {k: v for k, v in self.values.items() if k in specs and v != specs[k].default}

    @property
    def title(self) -> str:
        return f"{self.name} (v{self.version})"


def parse_scenario_id(value) -> int:
    """A scenario id from a URL or a form; :class:`ScenarioError` (French) when it is not a positive integer."""
    return parse_id(value, "scénario", ScenarioError)


def _row_to_scenario(row) -> Scenario:
    return Scenario(id=row.id, name=row.name, version=row.version, author=row.author, note=row.note,
                    concept=row.concept, code_insee=row.code_insee, values=json.loads(row.parameters),
                    created_at=row.created_at)


class ScenarioStore(VersionedStore):
    """Versioned scenario store on a SQLAlchemy engine (default: the shared :func:`models.stores.db.engine`)."""

    table, error, what = scenarios_table, ScenarioError, "Scénario"
    not_found = "introuvable (supprimé ou jamais enregistré)"
    max_name, max_author = MAX_NAME, MAX_AUTHOR

    def __init__(self, eng=None):
        super().__init__(eng if eng is not None else shared_engine())

    def _record(self, row) -> Scenario:
        return _row_to_scenario(row)

    def save(self, name: str, concept: str, overrides: dict | None = None, author: str = "", note: str = "",
             code_insee: str | None = None, request_key: str | None = None) -> int:
        """Save a new version of scenario ``name``; returns its id.

        ``request_key``: the same key twice (a retried request) saves once and returns the first id.

        The parameter values are validated with :func:`models.domain.simulator.make_parameters` first. Two saves
        at the same moment under the same name both land (as consecutive versions): a clash on
        (name, version) is retried.
        """
        name = self.clean_name(name, "Nom du scénario", required=True)
        author = self.clean_name(author, "Auteur", MAX_AUTHOR)
        note = clean_text(note, "Note", MAX_NOTE, ScenarioError, single_line=False)
        if code_insee in ("", None):
            code_insee = None
        elif not CODE_INSEE.match(str(code_insee)):
            raise ScenarioError(f"Code commune invalide : « {str(code_insee)[:20]} ».")
        try:
            params = make_parameters(concept, overrides or {})
        except ParameterError as exc:
            raise ScenarioError(f"Scénario non enregistré : {exc}") from None
        payload = json.dumps(params.values, sort_keys=True)
        return insert_next_version(self.engine, scenarios_table, name, {
            "author": author, "note": note, "concept": concept, "code_insee": code_insee, "parameters": payload},
            ScenarioError, request_key=None if request_key is None else str(request_key)[:64])


_default_store: ScenarioStore | None = None


def default_store() -> ScenarioStore:
    """The store on the shared engine, created on first use."""
    global _default_store
    if _default_store is None:
        _default_store = ScenarioStore()
    return _default_store
