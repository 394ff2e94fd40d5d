"""Signing in comes back to the page and state the user was on (``next``, a path of this site only: no open
redirect); once signed in the navbar names the editor and offers "Déconnexion"; no admin command on any screen.
Through the real Flask routes and the app's layout, with one editor account in the test database."""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from components import auth
from tests.security.conftest import editor_account
from tests.dash_client import page, texts

BACK = "/simulateur?ville=55545&concept=hub"
OUTSIDE = ["//evil.com", "https://evil.com", "https://evil.com/simulateur", "http:/evil.com", "/\\evil.com",
           "\\\\evil.com", "/\t/evil.com", "/\n/evil.com", " //evil.com", "javascript:alert(1)", "evil.com",
           "/auth/deconnexion", "/connexion?next=//evil.com", "", None, 42]


@pytest.fixture
def editor():
    yield from editor_account("Claire Retour")


def _token(client, search: str = "") -> str:
    _, body = page(client, "/connexion", search)
    return re.search(r'"value": "([^"]+)"[^}]*"name": "csrf_token"', body).group(1)


def _sign_in(client, password: str, nxt) -> object:
    token = _token(client)
    data = {"nom": "Claire Retour", "mot_de_passe": password, "csrf_token": token}
    if nxt is not None:
        data["next"] = nxt
    return client.post("/auth/connexion", data=data)


def _navbar(client) -> str:
    return json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)


@pytest.mark.parametrize("target", [BACK, "/ville/55545?comparer=57463", "/classement?w=pop.2", "/",
                                    "/couverture?k=3&ajouts=55545.88413"])
def test_local_paths_are_kept_whole(target):
    assert auth.local_path(target) == target


@pytest.mark.parametrize("target", OUTSIDE)
def test_other_hosts_and_tricks_are_refused(target):
    assert auth.local_path(target) == "/"


def test_sign_in_returns_to_the_simulator_state(app_module, editor):
    client = app_module.server.test_client()
    r = _sign_in(client, "mot de passe de test", BACK)
    assert r.status_code == 302 and r.headers["Location"] == BACK


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "/\\evil.com"])
def test_sign_in_never_sends_to_another_site(app_module, editor, target):
    client = app_module.server.test_client()
    r = _sign_in(client, "mot de passe de test", target)
    assert r.status_code == 302 and r.headers["Location"] == "/"


def test_a_wrong_password_keeps_where_to_come_back(app_module, editor):
    client = app_module.server.test_client()
    r = _sign_in(client, "mauvais", BACK)
    assert r.status_code == 302
    assert r.headers["Location"] == "/connexion?erreur=identifiants&next=" + quote(BACK, safe="")
    status, body = page(client, "/connexion", "?erreur=identifiants&next=" + quote(BACK, safe=""))
    assert status == 200 and "Nom ou mot de passe incorrect" in texts(body)
    form_next = re.search(r'"name": "next"[^}]*|"value": "[^"]*"[^}]*"name": "next"', body).group(0)
    assert BACK in form_next  # the form posts it again


def test_the_navbar_names_the_editor_and_offers_to_sign_out_back_to_the_page(app_module, editor):
    client = app_module.server.test_client()
    client.environ_base.update({"REMOTE_ADDR": "203.0.113.7"})  # another machine: no "poste local" editing
    before = _navbar(client)
    assert '"Connexion"' in before and "Déconnexion" not in before and "Claire Retour" not in before
    _sign_in(client, "mot de passe de test", BACK)
    after = _navbar(client)
    assert "Claire Retour" in after and '"Déconnexion"' in after
    assert '"Connexion"' not in after  # not offered to sign in again
    assert '"/auth/deconnexion"' in after
    r = client.post("/auth/deconnexion", data={"csrf_token": client.get_cookie(auth.CSRF_COOKIE).value,
                                               "next": BACK}, headers={"X-CSRFToken":
                                                                       client.get_cookie(auth.CSRF_COOKIE).value})
    assert r.status_code == 302 and r.headers["Location"] == BACK
    assert "Claire Retour" not in _navbar(client) and '"Connexion"' in _navbar(client)


def test_no_admin_command_on_any_users_screen(app_module):
    local = app_module.server.test_client()  # no account: the "poste local" wording
    remote = app_module.server.test_client()
    remote.environ_base.update({"REMOTE_ADDR": "203.0.113.7"})
    for client in (local, remote):
        for path in ("/connexion", "/couverture"):
            status, body = page(client, path)
            assert status == 200 and "python -m" not in body and "models.stores.users" not in body, path
        assert "python -m" not in _navbar(client)
    assert "administrateur" in texts(page(local, "/connexion")[1])
