"""Editor accounts: who may change the shared state (network edits, deletions). Reading needs no account.

Passwords are hashed by ``werkzeug.security`` (scrypt, salted); only the hash is stored. Accounts are created
on the command line, never from the web:

    python -m models.users add NAME          # asks the password twice (or reads it from stdin with --stdin)
    python -m models.users list
    python -m models.users disable NAME

With no account at all, :func:`has_accounts` is False: the app then allows editing from this machine only
(``make run`` binds 127.0.0.1), see :mod:`components.auth`.
"""
from __future__ import annotations

import getpass
import re
import sys
from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from models.cli import FrenchArgumentParser
from models import db

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
    d = sub.add_parser("disable", help="désactiver un compte")
    d.add_argument("name")
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
