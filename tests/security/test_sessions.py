"""Sessions and sign-in (issue 19, part 3): server-side sessions revoked at sign-out, expiry and rotation; list and
revoke per account on the command line; sign-in throttled per account and per client (shared by the workers through
the database), failures logged; the account-less mode local only by socket address with no proxy header of any
kind; Secure cookie and HSTS over HTTPS; /_csp-report size-capped, rate-limited, readable by editors only."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, update

from components import auth, security
from models.stores import scenarios, users
from tests.security.conftest import editor_account
from tests.dash_client import callback
from tests.security.test_edit_rights import DELETE, _delete, _scenario, _sign_in

NAME, PASSWORD = "Éditeur Sessions", "mot de passe des sessions"


@pytest.fixture
def editor():
    yield from editor_account(NAME, PASSWORD)


def _signed_in(app_module, remote="203.0.113.20"):
    client = app_module.server.test_client()
    client.environ_base.update({"REMOTE_ADDR": remote})
    ok, _ = _sign_in(client, NAME, PASSWORD)
    assert ok.status_code == 302 and ok.headers["Location"] == "/", ok.headers.get("Location")
    return client, client.get_cookie("atlas_session").value, client.get_cookie(auth.CSRF_COOKIE).value


def _copy(app_module, cookie, csrf, remote="198.51.100.9"):
    thief = app_module.server.test_client()
    thief.environ_base.update({"REMOTE_ADDR": remote})
    thief.set_cookie("atlas_session", cookie)
    thief.set_cookie(auth.CSRF_COOKIE, csrf)
    return thief


def test_a_copied_cookie_is_worthless_after_sign_out(app_module, editor):
    client, cookie, csrf = _signed_in(app_module)
    thief = _copy(app_module, cookie, csrf)
    assert "corbeille" in _delete(thief, _scenario(), headers={"X-CSRFToken": csrf})[1]  # works while signed in
    client.post("/auth/deconnexion", headers={"X-CSRFToken": csrf})
    sid = _scenario()
    status, body = _delete(thief, sid, headers={"X-CSRFToken": csrf})
    assert "Modification refusée" in body
    assert scenarios.default_store().load(sid).id == sid
    assert users.list_sessions(NAME) == []


def test_sign_in_rotates_and_expiry_and_revoke_end_sessions(app_module, editor, capsys):
    first, cookie1, csrf1 = _signed_in(app_module)
    ok = first.post("/auth/connexion", data={"nom": NAME, "mot_de_passe": PASSWORD, "csrf_token": csrf1})
    # signing in again in the same browser: a new session, the old one revoked
    assert ok.status_code == 302
    cookie2 = first.get_cookie("atlas_session").value
    assert cookie2 != cookie1
    old = _copy(app_module, cookie1, csrf1)
    assert "Modification refusée" in _delete(old, _scenario(), headers={"X-CSRFToken": csrf1})[1]
    assert len(users.list_sessions(NAME)) == 1
    other, cookie3, csrf3 = _signed_in(app_module, remote="203.0.113.21")
    assert users.main(["sessions", NAME]) == 0 and "2 session(s) ouverte(s)" in capsys.readouterr().out
    with users._eng().begin() as conn:  # the clock moves past the expiry of every session
        conn.execute(update(users.sessions_table).values(expires_at=users._now() - timedelta(seconds=1)))
    assert "Modification refusée" in _delete(other, _scenario(), headers={"X-CSRFToken": csrf3})[1]
    client, cookie4, csrf4 = _signed_in(app_module)
    assert users.main(["revoke", NAME]) == 0 and "fermée(s)" in capsys.readouterr().out
    assert users.list_sessions(NAME) == []
    assert "Modification refusée" in _delete(client, _scenario(), headers={"X-CSRFToken": csrf4})[1]


def test_sign_in_is_throttled_per_account_logged_and_others_unaffected(app_module, editor, caplog):
    users.add_user("Autre Éditrice", "autre mot de passe", None)
    attacker = app_module.server.test_client()
    attacker.environ_base.update({"REMOTE_ADDR": "198.51.100.66"})
    answers = []
    for _ in range(users.MAX_FAILURES_ACCOUNT + 2):
        r, _ = _sign_in(attacker, NAME, "mauvais mot de passe")
        answers.append(r.headers["Location"])
    assert answers[:users.MAX_FAILURES_ACCOUNT] == ["/connexion?erreur=identifiants"] * users.MAX_FAILURES_ACCOUNT
    assert answers[-1] == "/connexion?erreur=trop"
    r, _ = _sign_in(attacker, NAME, PASSWORD)  # the right password within the minute: refused too
    assert r.headers["Location"] == "/connexion?erreur=trop"
    failures = [rec for rec in caplog.records if "Connexion refusée" in rec.getMessage()]
    assert len(failures) >= users.MAX_FAILURES_ACCOUNT and all("198.51.100.66" in f.getMessage() for f in failures)
    assert all(not f.exc_info for f in failures)
    other = app_module.server.test_client()
    other.environ_base.update({"REMOTE_ADDR": "203.0.113.30"})
    ok, _ = _sign_in(other, "Autre Éditrice", "autre mot de passe")  # another account, another client: fine
    assert ok.headers["Location"] == "/"


def test_sign_in_is_throttled_per_client_across_accounts(app_module, editor):
    sprayer = app_module.server.test_client()
    sprayer.environ_base.update({"REMOTE_ADDR": "198.51.100.77"})
    for i in range(users.MAX_FAILURES_CLIENT):
        r, _ = _sign_in(sprayer, f"compte {i}", "mauvais mot de passe")
        assert r.headers["Location"] == "/connexion?erreur=identifiants"
    r, _ = _sign_in(sprayer, NAME, PASSWORD)
    assert r.headers["Location"] == "/connexion?erreur=trop"
    client, _, _ = _signed_in(app_module, remote="203.0.113.40")  # the account itself, from elsewhere: fine


@pytest.mark.parametrize("header", ["X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Proto", "Via", "True-Client-IP",
                                    "Forwarded", "X-Forwarded-For"])
def test_account_less_mode_refuses_any_proxy_header(app_module, header):
    with users._eng().begin() as conn:
        conn.execute(delete(users.users_table))
    local = app_module.server.test_client()
    _, body = _delete(local, _scenario(), headers={header: "127.0.0.1"})
    assert "Modification refusée" in body


def test_secure_cookie_and_hsts_over_https_not_over_http(app_module, editor):
    client = app_module.server.test_client()
    r = client.get("/", base_url="https://localhost")
    assert r.headers.get("Strict-Transport-Security", "").startswith("max-age=")
    assert "Strict-Transport-Security" not in client.get("/").headers
    ok, _ = _sign_in(client, NAME, PASSWORD)
    assert ok.status_code == 302
    https = app_module.server.test_client()
    from tests.dash_client import page
    import re
    status, body = page(https, "/connexion")
    token = re.search(r'"value": "([^"]+)"[^}]*"name": "csrf_token"', body).group(1)
    r = https.post("/auth/connexion", data={"nom": NAME, "mot_de_passe": PASSWORD, "csrf_token": token},
                   base_url="https://localhost")
    cookie = next(c for c in r.headers.getlist("Set-Cookie") if c.startswith("atlas_session="))
    assert "Secure" in cookie
    cookie_http = next(c for c in ok.headers.getlist("Set-Cookie") if c.startswith("atlas_session="))
    assert "Secure" not in cookie_http


def test_csp_report_is_capped_rate_limited_and_readable_by_editors_only(app_module, monkeypatch):
    client = app_module.server.test_client()
    client.environ_base.update({"REMOTE_ADDR": "198.51.100.5"})
    report = {"csp-report": {"blocked-uri": "https://x.example", "violated-directive": "script-src"}}
    assert client.post("/_csp-report", json=report).status_code == 204
    big = client.post("/_csp-report", data=b"x" * (security.MAX_REPORT + 1), content_type="application/json")
    assert big.status_code == 413
    monkeypatch.setattr(security, "_report_times", __import__("collections").deque())
    codes = [client.post("/_csp-report", json=report).status_code for _ in range(security.MAX_REPORTS_PER_MINUTE + 5)]
    assert codes.count(204) == security.MAX_REPORTS_PER_MINUTE and codes[-1] == 429
    assert client.get("/_csp-report").status_code == 404  # anonymous, remote
    proxied = app_module.server.test_client()
    assert proxied.get("/_csp-report", headers={"X-Real-IP": "127.0.0.1"}).status_code == 404
