"""Edit rights: reading is open, changing the shared state needs a signed-in editor (models/stores/users.py).

- sessions by Flask-Login over server-side records (models/stores/users.py): the cookie holds a random token, revoked at
  sign-out, expired after ``ATLAS_SESSION_HOURS``, replaced at each sign-in; cookies ``HttpOnly``, ``SameSite=Lax``
  and ``Secure`` whenever the request came over HTTPS (directly or through the proxy, see README) or with
  ``ATLAS_COOKIE_SECURE=1``;
- sign-in throttled per account and per client address (failed attempts in the database, shared by the workers),
  every failure logged in one line;
- CSRF: every POST from a browser must come from this site (``Origin``/``Referer`` checked), and a signed-in
  session's POSTs must carry the ``X-CSRFToken`` header that Dash copies from the ``_csrf_token`` cookie
  (double submit); the sign-in form carries the same token;
- with no account at all, editing is open from this machine only: loopback socket address, loopback Host, and no
  proxy header of any kind (a relay on the same host would otherwise make everybody local).

Pages call :func:`require_editor` in their write callbacks: it returns the editor's name, the author of the edit,
or raises the page's error with a French refusal.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import logging

from flask import Response, abort, has_request_context, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from models.stores import users

LOCAL_EDITOR = "poste local"
REFUSAL = ("Modification refusée : connectez-vous avec un compte éditeur (menu « Connexion ») pour modifier le "
           "réseau ou supprimer un enregistrement. La consultation reste libre.")
CSRF_COOKIE = "_csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_manager = LoginManager()


log = logging.getLogger("atlas")
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
                 "X-Forwarded-Server", "X-Real-IP", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP",
                 "X-Cluster-Client-IP", "Fastly-Client-IP", "X-Original-Forwarded-For", "Via", "Client-IP")


class Editor(UserMixin):
    """A signed-in editor; ``id`` (what Flask-Login keeps in the cookie) is the session's token, not the name."""

    def __init__(self, token: str, name: str):
        self.id = token
        self.name = name


@_manager.user_loader
def _load(token):
    try:
        found = users.session_user(token)
    except Exception:  # noqa: BLE001 - database down: treated as signed out, reading goes on
        return None
    return Editor(token, found) if found else None


class _SessionInterface(SecureCookieSessionInterface):
    """``Secure`` session cookie whenever the request came over HTTPS (not only when configured)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def _secret_key() -> str:
    """ATLAS_SECRET_KEY, else a random key kept in instance/secret_key (shared by the workers of one machine)."""
    key = os.environ.get("ATLAS_SECRET_KEY", "").strip()
    if key:
        return key
    path = Path(__file__).resolve().parent.parent / "instance" / "secret_key"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():  # written whole then linked in place: workers starting together all read the same key
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def init_app(server) -> None:
    """Sessions, cookie flags, the CSRF checks and the sign-in / sign-out routes on the Flask ``server``."""
    server.secret_key = _secret_key()
    secure = os.environ.get("ATLAS_COOKIE_SECURE") == "1"
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
                         REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
                         REMEMBER_COOKIE_SECURE=secure, SESSION_COOKIE_NAME="atlas_session")
    server.session_interface = _SessionInterface()
    _manager.init_app(server)
    server.before_request(_check_csrf)
    server.after_request(_set_csrf_cookie)
    server.add_url_rule("/auth/connexion", "auth_login", _login, methods=["POST"])
    server.add_url_rule("/auth/deconnexion", "auth_logout", _logout, methods=["POST"])


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _same_origin() -> bool:
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None  # no header: not a browser's cross-site request; "null": refused
    return urlsplit(source).netloc == request.host


def _check_csrf():
    if request.method in SAFE_METHODS:
        return None
    if not _same_origin():
        abort(403)
    if current_user.is_authenticated and request.endpoint != "auth_login":
        sent = request.headers.get("X-CSRFToken") or request.form.get("csrf_token", "")
        if not hmac.compare_digest(str(sent), session.get("csrf", "\0")):
            abort(403)
    return None


def _set_csrf_cookie(resp: Response) -> Response:
    if request.cookies.get(CSRF_COOKIE) != session.get("csrf") and (current_user.is_authenticated
                                                                    or "csrf" in session):
        resp.set_cookie(CSRF_COOKIE, csrf_token(), samesite="Strict", httponly=False,  # read by Dash's renderer
                        secure=request.is_secure)
    return resp


NO_RETURN = ("/auth/", "/connexion")  # never sent back to the sign-in form or to a POST-only route


def local_path(target) -> str:
    r"""Where to send the user back after signing in or out: ``target`` if it is a path of this site (with its
    query: ``/simulateur?ville=55545&concept=hub``), else ``"/"``. No other host (``//evil.com``,
    ``https://evil.com``, ``/\evil.com``), no control character or space, no scheme: no open redirect.

    >>> local_path("/simulateur?ville=55545&concept=hub")
    '/simulateur?ville=55545&concept=hub'
    >>> [local_path(t) for t in ("//evil.com", "https://evil.com/", "/\evil.com", "/\t/evil.com", "javascript:x")]
    ['/', '/', '/', '/', '/']
    """
    if not isinstance(target, str) or not target or len(target) > 1000:
        return "/"
    parts = urlsplit(target)
    ok = (target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc
          and "\\" not in target and all(c.isprintable() and not c.isspace() for c in target)
          and not any(parts.path == p.rstrip("/") or parts.path.startswith(p) for p in NO_RETURN))
    return target if ok else "/"


def _login():
    back = local_path(request.form.get("next"))
    if not hmac.compare_digest(request.form.get("csrf_token", ""), session.get("csrf", "\0")):
        return redirect(_with_error(back, "session"))
    given, client = str(request.form.get("nom") or "")[:60], request.remote_addr or ""
    try:
        if users.throttled(given, client):
            log.warning("Connexion refusée (trop de tentatives) : compte « %s », client %s", given, client)
            return redirect(_with_error(back, "trop"))
        name = users.authenticate(given, request.form.get("mot_de_passe"))
        if not name:
            users.record_failure(given, client)
            return redirect(_with_error(back, "identifiants"))
        previous = current_user.id if current_user.is_authenticated else None
        token = users.open_session(name, client, replaces=previous)  # rotation: the old session is revoked
    except SQLAlchemyError as exc:  # database down or read-only: say so, never a 500
        log.warning("Connexion impossible, base indisponible : %s", str(exc).splitlines()[0][:200])
        return redirect(_with_error(back, "base"))
    session.clear()  # a new session on sign-in (no fixation)
    login_user(Editor(token, name))
    csrf_token()
    return redirect(back)


def _with_error(back: str, error: str) -> str:
    query = {"erreur": error, **({"next": back} if back != "/" else {})}
    return "/connexion?" + urlencode(query)


def _logout():
    if current_user.is_authenticated:
        try:
            users.close_session(current_user.id)  # server-side: a copied cookie is worthless afterwards
        except SQLAlchemyError as exc:
            log.error("Session non révoquée (base indisponible) : %s", str(exc).splitlines()[0][:200])
    logout_user()
    session.clear()
    resp = redirect(local_path(request.form.get("next")))
    resp.delete_cookie(CSRF_COOKIE)
    return resp


def _is_local_request() -> bool:
    if any(h in request.headers for h in PROXY_HEADERS):
        return False  # behind a proxy or a relay everybody looks local
    try:
        addr_ok = ipaddress.ip_address(request.remote_addr or "0.0.0.0").is_loopback
    except ValueError:
        return False
    host = request.host.rsplit(":", 1)[0].strip("[]")
    return addr_ok and host in ("127.0.0.1", "localhost", "::1")


def current_editor() -> str | None:
    """The signed-in editor's name; ``"poste local"`` when no account exists and the request is local; else None."""
    if not has_request_context():  # e.g. a layout built by a test or a script: nobody is signed in
        return None
    if current_user and current_user.is_authenticated:
        return current_user.name
    if not users.has_accounts() and _is_local_request():
        return LOCAL_EDITOR
    return None


def require_editor(error: type[Exception] = PermissionError) -> str:
    """The editor's name (author of the edit), or ``error`` with the French refusal."""
    name = current_editor()
    if name is None:
        raise error(REFUSAL)
    return name


def status_text() -> str:
    """One French line: who is editing, or why editing is closed, for the pages' edit panels."""
    name = current_editor()
    if name == LOCAL_EDITOR:
        return ("Aucun compte éditeur n'est configuré : la modification est ouverte sur ce poste uniquement "
                "(127.0.0.1). Pour modifier depuis un autre poste, demandez un compte éditeur à l'administrateur "
                "de l'atlas.")
    if name:
        return f"Connecté en tant que {name} : vos modifications sont enregistrées sous ce nom."
    return "Consultation libre. Pour modifier, connectez-vous avec un compte éditeur (page Connexion)."
