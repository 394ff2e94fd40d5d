"""Editor accounts: who may change the shared state (network edits, deletions). Reading needs no account.

Passwords are hashed by ``werkzeug.security`` (scrypt, salted); only the hash is stored. Accounts are created
on the command line, never from the web:

    python -m models.users add NAME          # asks the password twice (or reads it from stdin with --stdin)
    python -m models.users list
    python -m models.users disable NAME       # also revokes its sessions
    python -m models.users sessions NAME      # its open sign-in sessions
    python -m models.users revoke NAME        # sign it out everywhere

Sessions are server-side records (:data:`sessions_table`): the browser's cookie holds only a random token, whose
SHA-256 is stored; a session ends at sign-out (revoked), after ``SESSION_HOURS`` (expired), when the account is
disabled or revoked, and every sign-in opens a new one (rotation). Sign-in is throttled per account and per client
from the failed attempts recorded in the database (:data:`attempts_table`), so all workers share the count.

With no account at all, :func:`has_accounts` is False: the app then allows editing from this machine only
(``make run`` binds 127.0.0.1), see :mod:`components.auth`.
"""
from __future__ import annotations

import getpass
import hashlib
import logging
import os
import re
import secrets
import sys
from datetime import datetime, timedelta, timezone

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from models.text.arguments import FrenchArgumentParser
from models.stores import db

NAME_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ0-9][A-Za-zÀ-ÖØ-öø-ÿ0-9 ._'-]{0,59}$")
MIN_PASSWORD = 10
# compared against when the name is unknown, so a wrong name costs as long as a wrong password
_DUMMY_HASH = generate_password_hash("atlas-dummy-password")

users_table = Table(
    "users", db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(60), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    extend_existing=True,  # ``python -m models.users`` runs this module twice (as __main__, then imported)
)


sessions_table = Table(
    "user_sessions", db.metadata,
    Column("token_hash", String(64), primary_key=True),   # SHA-256 of the cookie's token: the token is never stored
    Column("name", String(60), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("client", String(64), nullable=False, default=""),
    extend_existing=True,
)
attempts_table = Table(  # failed sign-ins (the throttle's memory, shared by every worker; also an audit trail)
    "signin_failures", db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(60), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    extend_existing=True,
)
SESSION_HOURS = float(os.environ.get("ATLAS_SESSION_HOURS", "12"))
THROTTLE_WINDOW = timedelta(minutes=1)
MAX_FAILURES_ACCOUNT = 5    # wrong passwords for one account within a minute, then refused for the rest of it
MAX_FAILURES_CLIENT = 20    # wrong sign-ins from one client address within a minute (any account)
log = logging.getLogger("atlas")


class UserError(ValueError):
    """An account that cannot be created or changed (French message)."""


def _eng(eng=None):
    return db.ensure_schema(eng or db.engine())


def check_name(name) -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise UserError("Nom de compte invalide : 1 à 60 lettres, chiffres, espaces, points, tirets ou apostrophes.")
    return name


def add_user(name: str, password: str, eng=None) -> int:
    """Create the account ``name``; returns its id. :class:`UserError` if the name is taken or the password short."""
    name = check_name(name)
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"Mot de passe trop court : {MIN_PASSWORD} caractères au moins.")
    try:
        with db.write_transaction(_eng(eng)) as conn:
            res = conn.execute(insert(users_table).values(name=name, password_hash=generate_password_hash(password),
                                                          active=True, created_at=datetime.now(timezone.utc)))
            return int(res.inserted_primary_key[0])
    except IntegrityError:
        raise UserError(f"Le compte « {name} » existe déjà.") from None


def set_active(name: str, active: bool, eng=None) -> None:
    with db.write_transaction(_eng(eng)) as conn:
        if conn.execute(update(users_table).where(users_table.c.name == name).values(active=active)).rowcount == 0:
            raise UserError(f"Compte « {name} » introuvable.")
    if not active:
        revoke_sessions(name, eng)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _hash(token) -> str:
    return hashlib.sha256(str(token or "").encode()).hexdigest()


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)  # SQLite gives naive datetimes back


def open_session(name: str, client: str = "", replaces: str | None = None, eng=None) -> str:
    """A new session for ``name`` (its token for the cookie); the session it ``replaces`` is revoked (rotation)."""
    token, now = secrets.token_urlsafe(32), _now()
    with db.write_transaction(_eng(eng)) as conn:
        if replaces:
            conn.execute(update(sessions_table).where(sessions_table.c.token_hash == _hash(replaces),
                                                      sessions_table.c.revoked_at.is_(None)).values(revoked_at=now))
        conn.execute(insert(sessions_table).values(token_hash=_hash(token), name=name, created_at=now,
                                                   expires_at=now + timedelta(hours=SESSION_HOURS), revoked_at=None,
                                                   client=str(client or "")[:64]))
    return token


def session_user(token, eng=None) -> str | None:
    """The account of a live session (not revoked, not expired, account active), else None."""
    if not token:
        return None
    with _eng(eng).connect() as conn:
        row = conn.execute(select(sessions_table.c.name, sessions_table.c.expires_at, sessions_table.c.revoked_at)
                           .where(sessions_table.c.token_hash == _hash(token))).first()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= _now():
        return None
    return get_active(row.name, eng)


def close_session(token, eng=None) -> None:
    """Sign-out: the session is revoked server-side (a copied cookie is worthless afterwards)."""
    if token:
        with db.write_transaction(_eng(eng)) as conn:
            conn.execute(update(sessions_table).where(sessions_table.c.token_hash == _hash(token),
                                                      sessions_table.c.revoked_at.is_(None)).values(revoked_at=_now()))


def revoke_sessions(name: str, eng=None) -> int:
    """Revoke every open session of ``name``; how many were open."""
    with db.write_transaction(_eng(eng)) as conn:
        return conn.execute(update(sessions_table).where(sessions_table.c.name == name,
                                                         sessions_table.c.revoked_at.is_(None))
                            .values(revoked_at=_now())).rowcount


def list_sessions(name: str, eng=None) -> list[dict]:
    """Open sessions of ``name`` (not revoked, not expired), newest first."""
    with _eng(eng).connect() as conn:
        rows = conn.execute(select(sessions_table).where(sessions_table.c.name == name,
                                                         sessions_table.c.revoked_at.is_(None))
                            .order_by(sessions_table.c.created_at.desc())).all()
    now = _now()
    return [{"ouverte": _aware(r.created_at), "expire": _aware(r.expires_at), "client": r.client,
             "jeton": r.token_hash[:8]} for r in rows if _aware(r.expires_at) > now]


def throttled(name, client: str, eng=None) -> bool:
    """True when ``name`` or ``client`` had too many failed sign-ins in the last minute (refuse without checking)."""
    since = _now() - THROTTLE_WINDOW
    name = str(name or "").strip()[:60]
    with _eng(eng).connect() as conn:
        by_name = conn.execute(select(func.count()).select_from(attempts_table).where(
            attempts_table.c.name == name, attempts_table.c.at > since)).scalar()
        by_client = conn.execute(select(func.count()).select_from(attempts_table).where(
            attempts_table.c.client == str(client or "")[:64], attempts_table.c.at > since)).scalar()
    return by_name >= MAX_FAILURES_ACCOUNT or by_client >= MAX_FAILURES_CLIENT


def record_failure(name, client: str, eng=None) -> None:
    """Remember a failed sign-in (throttle) and log it in one line; rows older than a day are pruned."""
    now = _now()
    log.warning("Connexion refusée : compte « %s », client %s", str(name or "")[:60], str(client or "")[:64])
    with db.write_transaction(_eng(eng)) as conn:
        conn.execute(insert(attempts_table).values(name=str(name or "").strip()[:60], client=str(client or "")[:64],
                                                   at=now))
        conn.execute(delete(attempts_table).where(attempts_table.c.at < now - timedelta(days=1)))


def authenticate(name, password, eng=None) -> str | None:
    """The account name if ``name``/``password`` match an active account, else None (same time either way)."""
    name = (name or "").strip()[:60]
    with _eng(eng).connect() as conn:
        row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
    ok = check_password_hash(row.password_hash if row else _DUMMY_HASH, str(password or "")[:200])
    return row.name if ok and row is not None and row.active else None


def get_active(name, eng=None) -> str | None:
    """``name`` if it is an active account (used to reload the signed-in user of a session)."""
    with _eng(eng).connect() as conn:
        row = conn.execute(select(users_table.c.name).where(users_table.c.name == str(name or "")[:60],
                                                           users_table.c.active.is_(True))).first()
    return row.name if row else None


def has_accounts(eng=None) -> bool:
    """True when at least one account exists; False also when the database cannot be read (fail closed below)."""
    try:
        with _eng(eng).connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(users_table)).scalar())
    except DBAPIError:
        return True  # unknown: behave as if accounts exist, so nobody edits without signing in


def list_users(eng=None) -> list[tuple[str, bool]]:
    with _eng(eng).connect() as conn:
        return [(r.name, r.active) for r in conn.execute(select(users_table).order_by(users_table.c.name))]


def main(argv=None) -> int:
    p = FrenchArgumentParser(prog="python -m models.users", description="Comptes des éditeurs de l'atlas.")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add", help="créer un compte")
    a.add_argument("name")
    a.add_argument("--stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    sub.add_parser("list", help="lister les comptes")
    d = sub.add_parser("disable", help="désactiver un compte (et fermer ses sessions)")
    d.add_argument("name")
    se = sub.add_parser("sessions", help="sessions ouvertes d'un compte")
    se.add_argument("name")
    rv = sub.add_parser("revoke", help="fermer toutes les sessions d'un compte")
    rv.add_argument("name")
    args = p.parse_args(argv)
    try:
        if args.cmd == "add":
            if args.stdin:
                pw = sys.stdin.readline().rstrip("\n")
            else:
                pw = getpass.getpass("Mot de passe : ")
                if pw != getpass.getpass("Mot de passe (encore) : "):
                    raise UserError("Les deux mots de passe diffèrent.")
            add_user(args.name, pw)
            print(f"Compte « {args.name.strip()} » créé.")
        elif args.cmd == "sessions":
            rows = list_sessions(args.name)
            for r in rows:
                print(f"{r['jeton']}…  ouverte le {r['ouverte']:%d/%m/%Y %H:%M} UTC, expire le "
                      f"{r['expire']:%d/%m/%Y %H:%M} UTC, client {r['client'] or '?'}")
            print(f"{len(rows)} session(s) ouverte(s) pour « {args.name} ».")
        elif args.cmd == "revoke":
            print(f"{revoke_sessions(args.name)} session(s) de « {args.name} » fermée(s).")
        elif args.cmd == "disable":
            set_active(args.name, False)
            print(f"Compte « {args.name} » désactivé.")
        else:
            for name, active in list_users():
                print(name + ("" if active else " (désactivé)"))
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
