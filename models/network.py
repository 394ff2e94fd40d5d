"""The network of sites: the reference (``geodata.cnam_sites()``) plus the users' edits.

Edits (add a site in a commune, move a site to another commune, retire a site, reset to the reference) are
appended to the table ``network_edits`` with their author and time — never updated or deleted, so nothing is
lost and every past version can be replayed. The current network = the reference + the edits since the last
reset. Its *version* is the id of the last edit (0 = the reference), shown by every view that uses it.

Weak source: the reference sites were assembled by hand from press articles and public documents, with a
reliability column (``fiabilite``); the UI says so.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pandas as pd
from types import SimpleNamespace

from sqlalchemy import Column, DateTime, Integer, String, Table, insert, select
from sqlalchemy.exc import DBAPIError

from models import db

ACTIONS = {"add": "ajout", "move": "déplacement", "retire": "retrait", "reset": "retour à la référence"}

network_edits = Table(
    "network_edits", db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(10), nullable=False),
    Column("site_id", String(40)),
    Column("code_insee", String(5)),
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("comment", String(300)),
)
SITE_COLUMNS = ["site_id", "code_insee", "nom", "commune", "type", "fiabilite", "origine"]


class NetworkEditError(ValueError):
    """An edit that cannot be applied (French message for the user)."""


def ensure_tables(eng=None):
    """The engine (default: the shared one) with every table created (once, see :func:`models.db.ensure_schema`)."""
    return db.ensure_schema(eng or db.engine())


_engine = ensure_tables


def reference_network() -> pd.DataFrame:
    """The reference sites: site_id, code_insee, nom, commune, type, fiabilite, origine ("référence")."""
    import geodata

    s = geodata.cnam_sites()
    out = s[[c for c in SITE_COLUMNS if c in s.columns]].copy()
    out["code_insee"] = out["code_insee"].astype(str)
    out["origine"] = "référence"
    return out.reset_index(drop=True)


def _commune_names() -> pd.Series:
    import geodata

    c = geodata.communes()
    return pd.Series(c["nom"].to_numpy(), index=c["code_insee"].astype(str).to_numpy())


@dataclass
class Network:
    """A network version.

    Attributes
    ----------
    sites : DataFrame
        site_id, code_insee, nom, commune, type, fiabilite, origine ("référence", "ajout", "déplacé").
    version : int
        Id of the last edit taken into account (0: the reference, never edited).
    edits : DataFrame
        The edits applied since the last reset (id, action, site_id, code_insee, author, created_at).
    skipped : list of int
        Ids of edits that could no longer apply on replay (e.g. a site retired twice by two users at once).
    """

    sites: pd.DataFrame
    version: int = 0
    edits: pd.DataFrame = field(default_factory=pd.DataFrame)
    last_author: str | None = None
    last_time: datetime | None = None
    skipped: list[int] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(self.sites["code_insee"]))

    @property
    def is_reference(self) -> bool:
        return self.edits.empty

    @property
    def label(self) -> str:
        """French label of the version, e.g. "réseau de référence" or "version 7 (3 modifications, …)"."""
        if self.is_reference:
            return "réseau de référence (sites Cnam recensés)" + (f", version {self.version}" if self.version else "")
        when = self.last_time.strftime("%d/%m/%Y %H:%M") if self.last_time else "?"
        n = len(self.edits)
        return (f"version {self.version} : référence + {n} modification{'s' if n > 1 else ''} "
                f"(dernière par {self.last_author}, {when} UTC)")


def _apply(sites: pd.DataFrame, edit, names: pd.Series) -> pd.DataFrame:
    """``sites`` after ``edit`` (a row with action, site_id, code_insee); ``NetworkEditError`` if impossible."""
    action, site_id, code = edit.action, edit.site_id, edit.code_insee
    if action == "add":
        if code not in names.index:
            raise NetworkEditError(f"Code commune inconnu : {code}")
        if code in set(sites["code_insee"]):
            raise NetworkEditError(f"{names[code]} ({code}) accueille déjà un site du réseau.")
        row = {"site_id": site_id, "code_insee": code, "nom": f"Nouveau site — {names[code]}",
               "commune": names[code], "type": "site ajouté", "fiabilite": "scénario", "origine": "ajout"}
        return pd.concat([sites, pd.DataFrame([row])], ignore_index=True)
    if site_id not in set(sites["site_id"]):
        raise NetworkEditError(f"Le site {site_id} n'est pas (ou plus) dans le réseau.")
    if action == "retire":
        return sites[sites["site_id"] != site_id].reset_index(drop=True)
    if action == "move":
        if code not in names.index:
            raise NetworkEditError(f"Code commune inconnu : {code}")
        if code in set(sites.loc[sites["site_id"] != site_id, "code_insee"]):
            raise NetworkEditError(f"{names[code]} ({code}) accueille déjà un site du réseau.")
        sites = sites.copy()
        i = sites.index[sites["site_id"] == site_id][0]
        sites.loc[i, ["code_insee", "commune", "origine"]] = [code, names[code], "déplacé"]
        return sites
    raise NetworkEditError(f"Action inconnue : {action}")


def history(eng=None, conn=None) -> pd.DataFrame:
    """Every edit ever made, oldest first: id, action, action_fr, site_id, code_insee, author, created_at."""
    if conn is None:
        with _engine(eng).connect() as c:
            return history(conn=c)
    rows = conn.execute(select(network_edits).order_by(network_edits.c.id)).all()
    h = pd.DataFrame(rows, columns=[c.name for c in network_edits.columns])
    h["action_fr"] = h["action"].map(ACTIONS)
    return h


def network_version(version: int | None = None, eng=None, conn=None) -> Network:
    """The network after the edits up to ``version`` (default: all — the current network)."""
    h = history(eng, conn)
    if version is not None:
        h = h[h["id"] <= int(version)]
    resets = h.index[h["action"] == "reset"]
    since = h.loc[resets[-1] + 1:] if len(resets) else h
    sites, names, applied, skipped = reference_network(), _commune_names(), [], []
    for e in since.itertuples():
        try:
            sites = _apply(sites, e, names)
            applied.append(e.Index)
        except NetworkEditError:
            skipped.append(int(e.id))
    last = h.iloc[-1] if len(h) else None
    return Network(sites=sites, version=int(last["id"]) if last is not None else 0, edits=since.loc[applied],
                   last_author=None if last is None else last["author"],
                   last_time=None if last is None else last["created_at"], skipped=skipped)


def current_network(eng=None) -> Network:
    """The current network (reference + edits since the last reset)."""
    return network_version(None, eng)


def _check_author(author) -> str:
    author = (author or "").strip()
    if not author:
        raise NetworkEditError("Indiquez votre nom (auteur de la modification).")
    if len(author) > 80:
        raise NetworkEditError("Nom d'auteur trop long (80 caractères au plus).")
    return author


def record_edit(action: str, author: str, site_id: str | None = None, code_insee: str | None = None,
                comment: str | None = None, eng=None) -> Network:
    """Validate an edit against the current network and append it, in one serialised transaction.

    The network is read and the edit inserted under the database's write lock (:func:`models.db.write_transaction`),
    so two users adding a site in the same commune at once: one is told "ajouté", the other gets the French
    refusal, and every edit reported as done is in the network.

    Raises
    ------
    NetworkEditError
        Unknown commune or site, commune already hosting a site, missing author (French message).
    models.db.StoreUnavailable
        The database cannot take the write (read-only, busy, down); nothing was written.
    """
    author = _check_author(author)
    if action not in ACTIONS:
        raise NetworkEditError(f"Action inconnue : {action}")
    code_insee = None if code_insee is None else str(code_insee).strip()[:5]
    site_id = None if site_id is None else str(site_id).strip()[:40]
    if action == "add":
        site_id = f"U-{uuid.uuid4().hex[:8]}"
    try:
        with db.write_transaction(_engine(eng)) as conn:
            current = network_version(conn=conn)
            if action != "reset":
                _apply(current.sites, SimpleNamespace(action=action, site_id=site_id, code_insee=code_insee),
                       _commune_names())
            conn.execute(insert(network_edits).values(
                action=action, site_id=site_id, code_insee=code_insee, author=author,
                created_at=datetime.now(timezone.utc), comment=(comment or None) and comment[:300]))
    except DBAPIError as exc:
        raise db.StoreUnavailable(exc) from None
    return current_network(eng)


def add_site(code_insee: str, author: str, eng=None) -> Network:
    """Add a site in commune ``code_insee``."""
    return record_edit("add", author, code_insee=code_insee, eng=eng)


def move_site(site_id: str, code_insee: str, author: str, eng=None) -> Network:
    """Move site ``site_id`` to commune ``code_insee``."""
    return record_edit("move", author, site_id=site_id, code_insee=code_insee, eng=eng)


def retire_site(site_id: str, author: str, eng=None) -> Network:
    """Retire site ``site_id`` from the network."""
    return record_edit("retire", author, site_id=site_id, eng=eng)


def reset_to_reference(author: str, eng=None) -> Network:
    """Go back to the reference network (the edits stay in the history)."""
    return record_edit("reset", author, eng=eng)
