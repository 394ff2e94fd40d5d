"""The network of sites: the reference (``geodata.cnam_sites()``) plus the users' edits.

Edits (add a site in a commune, move a site to another commune, retire a site, reset to the reference) are
appended to the table ``network_edits`` with their author and time — never updated or deleted, so nothing is
lost and every past version can be replayed. The current network = the reference + the edits since the last
reset. Its *version* is the id of the last edit (0 = the reference), shown by every view that uses it.

Reference: the ministry's official implantations (MESR, état 2017: 19 Cnam sites in Grand Est, each at its own
coordinates) plus 2 sites only the press attests (Forbach, Strasbourg: lower ``fiabilite``, placed at the town
hall). :func:`reference_label` says so on every view; sites opened since 2017 are to be added by the users.
:func:`current_network` is the one function that gives "the sites of the current network".
"""
from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pandas as pd
from types import SimpleNamespace

from sqlalchemy import Column, DateTime, Integer, String, Table, func, insert, select
from sqlalchemy.exc import DBAPIError

from models.stores import db
from models.text import fr_format as F
from models.domain.territory import Territory
from models.domain.reference_sites import SITE_COLUMNS, reference_label, reference_network  # noqa: F401 (re-exported)

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
ADDED_SITE_NOTE = ("les sites ouverts depuis 2017 (programme « Au cœur des territoires ») ne sont dans aucune liste "
                   "officielle : ajoutez-les dans l'éditeur du réseau (page Couverture)")


class NetworkEditError(ValueError):
    """An edit that cannot be applied (French message for the user)."""


def ensure_tables(eng=None):
    """The engine (default: the shared one) with every table created (once, see :func:`models.stores.db.ensure_schema`)."""
    return db.ensure_schema(eng or db.engine())


_engine = ensure_tables


def _commune_names() -> pd.DataFrame:
    """``nom``, ``lon``, ``lat`` of every commune, indexed by ``code_insee`` (where an added site is placed)."""
    return Territory.from_geodata().index[["nom", "lon", "lat"]]


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
    unavailable: bool = False

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(self.sites["code_insee"]))

    @property
    def is_reference(self) -> bool:
        return self.edits.empty

    @property
    def label(self) -> str:
        """French label of the version, e.g. "réseau de référence" or "version 7 (3 modifications, …)"."""
        if self.unavailable:
            return ("réseau de référence — historique des modifications indisponible (base de données hors "
                    "service) : les modifications enregistrées reviendront quand la base répondra")
        if self.is_reference:
            return f"réseau de référence ({reference_label()})" + (f", version {self.version}" if self.version else "")
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
        name = names.at[code, "nom"]
        if code in set(sites["code_insee"]):
            raise NetworkEditError(f"{name} ({code}) accueille déjà un site du réseau.")
        row = {"site_id": site_id, "code_insee": code, "nom": f"Nouveau site — {name}", "commune": name,
               "type": "site ajouté", "fiabilite": "scénario", "origine": "ajout", "lon": names.at[code, "lon"],
               "lat": names.at[code, "lat"], "precision": "commune (mairie)", "source": "ajout",
               "source_label": "ajouté dans l'éditeur du réseau"}
        return pd.concat([sites, pd.DataFrame([row])], ignore_index=True)
    if site_id not in set(sites["site_id"]):
        raise NetworkEditError(f"Le site {site_id} n'est pas (ou plus) dans le réseau.")
    if action == "retire":
        return sites[sites["site_id"] != site_id].reset_index(drop=True)
    if action == "move":
        if code not in names.index:
            raise NetworkEditError(f"Code commune inconnu : {code}")
        name = names.at[code, "nom"]
        if code in set(sites.loc[sites["site_id"] != site_id, "code_insee"]):
            raise NetworkEditError(f"{name} ({code}) accueille déjà un site du réseau.")
        sites = sites.copy()
        i = sites.index[sites["site_id"] == site_id][0]
        sites.loc[i, ["code_insee", "commune", "origine", "lon", "lat", "precision"]] = [
            code, name, "déplacé", names.at[code, "lon"], names.at[code, "lat"], "commune (mairie)"]
        return sites
    raise NetworkEditError(f"Action inconnue : {action}")


def history(eng=None, conn=None, safe: bool = True) -> pd.DataFrame:
    """Every edit ever made, oldest first: id, action, action_fr, site_id, code_insee, author, created_at.

    ``safe`` (default): an empty table instead of an error when the database cannot be read (read pages work).
    """
    if safe:
        try:
            return history(eng, conn, safe=False)
        except DBAPIError:
            return pd.DataFrame(columns=[*[c.name for c in network_edits.columns], "action_fr"])
    if conn is None:
        with _engine(eng).connect() as c:
            return history(conn=c, safe=False)
    rows = conn.execute(select(network_edits).order_by(network_edits.c.id)).all()
    h = pd.DataFrame(rows, columns=[c.name for c in network_edits.columns])
    h["action_fr"] = h["action"].map(ACTIONS)
    return h


def network_version(version: int | None = None, eng=None, conn=None) -> Network:
    """The network after the edits up to ``version`` (default: all — the current network)."""
    h = history(eng, conn, safe=False)
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


_held: ContextVar[Network | None] = ContextVar("held_network", default=None)


@contextmanager
def one_network_read():
    """Inside the block every ``current_network()`` answers the network read on entering it: a page is built on
    one version of the network even when an editor saves meanwhile, and the database is read once, not once per
    fact (a town page asked about fifteen times)."""
    token = _held.set(current_network())
    try:
        yield _held.get()
    finally:
        _held.reset(token)


def current_network(eng=None) -> Network:
    """The current network (reference + edits since the last reset).

    Kept incrementally per database (:func:`_advance`): a call reads only the edits appended since the previous
    one, so its cost does not grow with the history. When the database cannot be read, the reference network with
    ``unavailable=True`` (its label says so), so the read pages keep working. Inside :func:`one_network_read`, the
    network read on entering it.
    """
    held = _held.get()
    if held is not None and eng is None:
        return held
    try:
        eng = _engine(eng)
        with eng.connect() as conn:
            return _advance(conn, str(eng.url)).network()
    except DBAPIError:
        return Network(sites=reference_network(), unavailable=True)


class _Replay:
    """The current network of one database, advanced edit by edit (edits are append-only, ids increasing)."""

    COLUMNS = [c.name for c in network_edits.columns]

    def __init__(self):
        self.last_id, self.last_created, self.last_author, self.last_time = 0, None, None, None
        self.sites, self.applied, self.skipped, self._net = reference_network(), [], [], None

    def feed(self, rows, names) -> None:
        for r in rows:
            if r.action == "reset":
                self.sites, self.applied, self.skipped = reference_network(), [], []
            else:
                try:
                    self.sites = _apply(self.sites, r, names)
                    self.applied.append(tuple(r))
                except NetworkEditError:
                    self.skipped.append(int(r.id))
            self.last_id, self.last_created = int(r.id), r.created_at
            self.last_author, self.last_time = r.author, r.created_at
            self._net = None

    def network(self) -> Network:
        if self._net is None:
            edits = pd.DataFrame(self.applied, columns=self.COLUMNS)
            edits["action_fr"] = edits["action"].map(ACTIONS)
            self._net = Network(sites=self.sites, version=self.last_id, edits=edits, last_author=self.last_author,
                                last_time=self.last_time, skipped=list(self.skipped))
        return self._net


_REPLAYS: dict[str, _Replay] = {}
_REPLAY_LOCK = threading.Lock()


def _advance(conn, key: str) -> _Replay:
    """The replay of database ``key`` brought up to date through ``conn`` (only the new edits are read). If the
    history no longer continues the one replayed (table emptied, database replaced), it starts again from zero."""
    with _REPLAY_LOCK:
        rep = _REPLAYS.get(key)
        if rep is not None and rep.last_id:
            still = conn.execute(select(network_edits.c.created_at).where(network_edits.c.id == rep.last_id)).first()
            if still is None or still.created_at != rep.last_created:
                rep = None
        if rep is None:
            if len(_REPLAYS) > 16:
                _REPLAYS.clear()
            rep = _REPLAYS[key] = _Replay()
        rows = conn.execute(select(network_edits).where(network_edits.c.id > rep.last_id)
                            .order_by(network_edits.c.id)).all()
        if rows:
            rep.feed(rows, _commune_names())
        return rep


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

    The network is read and the edit inserted under the database's write lock (:func:`models.stores.db.write_transaction`),
    so two users adding a site in the same commune at once: one is told "ajouté", the other gets the French
    refusal, and every edit reported as done is in the network.

    Raises
    ------
    NetworkEditError
        Unknown commune or site, commune already hosting a site, missing author (French message).
        Also when the database cannot take the write (read-only, busy, down): nothing was written.
    """
    author = _check_author(author)
    if action not in ACTIONS:
        raise NetworkEditError(f"Action inconnue : {action}")
    code_insee = None if code_insee is None else str(code_insee).strip()[:5]
    site_id = None if site_id is None else str(site_id).strip()[:40]
    if action == "add":
        site_id = f"U-{uuid.uuid4().hex[:8]}"
    try:
        eng = _engine(eng)
        with db.write_transaction(eng) as conn:  # under the write lock: only the edits since the last read
            current = _advance(conn, str(eng.url)).network()
            if action != "reset":
                _apply(current.sites, SimpleNamespace(action=action, site_id=site_id, code_insee=code_insee),
                       _commune_names())
            conn.execute(insert(network_edits).values(
                action=action, site_id=site_id, code_insee=code_insee, author=author,
                created_at=datetime.now(timezone.utc), comment=(comment or None) and comment[:300]))
    except DBAPIError as exc:
        raise NetworkEditError(str(db.StoreUnavailable(exc))) from None
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
