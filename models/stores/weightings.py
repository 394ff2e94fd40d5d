"""Named weightings of the ranking (page /classement), in the same database as the scenarios (models/stores/db.py).

A weighting = name, author, the weight and direction of EVERY criterion of :mod:`models.domain.scoring` and the
missing-value rule, so that it means the same thing after the defaults change. Saving under an existing name
adds a new *version*; nothing is overwritten. Names are bound parameters (quotes or SQL are just text), their
length is checked, and two saves at the same moment under the same name both land as consecutive versions.

>>> store = WeightingStore()                                   # doctest: +SKIP
>>> w = store.save("Priorité emploi", {"chomage_ze": 3}, author="DR")
>>> store.load(w.id).weights["chomage_ze"]                     # doctest: +SKIP
3.0
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, String, Table, Text, UniqueConstraint

from models.stores.db import engine as shared_engine
from models.stores.db import metadata
from models.domain.scoring import KEYS, MISSING_RULES, ScoringError, check_weights
from models.stores.versioned_store import VersionedStore, insert_next_version, soft_delete_columns

MAX_NAME, MAX_AUTHOR = 120, 80

weightings_table = Table(
    "ranking_weightings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAX_NAME), nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(MAX_AUTHOR), nullable=False, default=""),
    Column("weights", Text, nullable=False),      # JSON {criterion: weight}, every criterion
    Column("directions", Text, nullable=False),   # JSON {criterion: 1 | -1}
    Column("missing_rule", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    *soft_delete_columns(),
    UniqueConstraint("name", "version", name="uq_ranking_weighting_name_version"),
)


class WeightingError(ValueError):
    """A weighting that cannot be saved or found; the message is French, for the user."""


@dataclass(frozen=True)
class Weighting:
    id: int
    name: str
    version: int
    author: str
    weights: dict
    directions: dict
    missing_rule: str
    created_at: datetime

    @property
    def title(self) -> str:
        return f"{self.name} (v{self.version})"


def _row(row) -> Weighting:
    return Weighting(id=row.id, name=row.name, version=row.version, author=row.author,
                     weights=json.loads(row.weights), directions=json.loads(row.directions),
                     missing_rule=row.missing_rule, created_at=row.created_at)


class WeightingStore(VersionedStore):
    """Versioned store of named weightings on a SQLAlchemy engine (default: the shared one)."""

    table, error, what = weightings_table, WeightingError, "Pondération"
    not_found = "introuvable (supprimée ou jamais enregistrée)"
    max_name, max_author = MAX_NAME, MAX_AUTHOR

    def __init__(self, eng=None):
        super().__init__(eng if eng is not None else shared_engine())

    def _record(self, row) -> Weighting:
        return _row(row)

    def save(self, name: str, weights: dict | None = None, directions: dict | None = None,
             missing_rule: str = "renormalise", author: str = "") -> Weighting:
        """Validate and save a new version of weighting ``name``; returns it.

        Raises
        ------
        WeightingError
            Empty or too long name/author, control characters, bad weight or direction, unknown rule.
        """
        name = self.clean_name(name, "Nom de la pondération", required=True)
        author = self.clean_name(author, "Auteur", MAX_AUTHOR)
        if missing_rule not in MISSING_RULES:
            raise WeightingError(f"Règle des valeurs manquantes inconnue : « {str(missing_rule)[:20]} ».")
        try:
            w, d = check_weights(weights, directions)
        except ScoringError as exc:
            raise WeightingError(f"Pondération non enregistrée : {exc}") from None
        w_json = json.dumps({k: w[k] for k in KEYS})
        d_json = json.dumps({k: d[k] for k in KEYS})
        new_id = insert_next_version(self.engine, weightings_table, name, {
            "author": author, "weights": w_json, "directions": d_json, "missing_rule": missing_rule},
            WeightingError)
        return self.load(new_id)

    def load(self, weighting_id) -> Weighting:
        """The weighting ``weighting_id``; :class:`WeightingError` if unknown or invalid.

        Criteria added to the ranking after the save take their default weight and direction.
        """
        saved = _row(self._visible_row(weighting_id))
        known_w = {k: v for k, v in saved.weights.items() if k in KEYS}
        known_d = {k: v for k, v in saved.directions.items() if k in KEYS}
        w, d = check_weights(known_w, known_d)
        return Weighting(**{**saved.__dict__, "weights": w, "directions": d})


_default_store: WeightingStore | None = None


def default_store() -> WeightingStore:
    """The store on the shared engine, created on first use."""
    global _default_store
    if _default_store is None:
        _default_store = WeightingStore()
    return _default_store
