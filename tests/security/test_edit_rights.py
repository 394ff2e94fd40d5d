"""Edit rights: anonymous writes are refused in French, an editor's deletion is recorded under their account,
CSRF (origin + double-submit token) and cookie flags. Through the real Dash callbacks of the app."""
from __future__ import annotations

import json
import re

import pytest

from components import auth
from models.stores import network, scenarios
from tests.security.conftest import editor_account
from tests.dash_client import callback, page, texts

REMOTE = {"REMOTE_ADDR": "203.0.113.7"}
DELETE = "sim-delete.submit_n_clicks"


@pytest.fixture
def editor():
    yield from editor_account("Éditrice Test")


def _scenario() -> int:
    return scenarios.default_store().save("À supprimer", "clef_en_main", {}, author="test")


def _delete(client, sid, headers=None):
    r = callback(client, DELETE, {DELETE: 1, "sim-scen-pick.value": sid, "sim-scen-refresh.data": 0}, headers)
    body = json.dumps(r.get_json(), ensure_ascii=False) if r.is_json else r.get_data(as_text=True)
    return r.status_code, body


def _sign_in(client, name, password):
    status, body = page(client, "/connexion")
    token = re.search(r'"value": "([^"]+)"[^}]*"name": "csrf_token"', body).group(1)
    r = client.post("/auth/connexion", data={"nom": name, "mot_de_passe": password, "csrf_token": token})
    return r, token


def test_anonymous_writes_from_another_machine_are_refused_in_french(app_module):
    client = app_module.server.test_client()
    client.environ_base.update(REMOTE)
    sid = _scenario()
    status, body = _delete(client, sid)
    assert status == 200 and "Modification refusée" in body and "connectez-vous" in body
    assert scenarios.default_store().load(sid).id == sid  # still there
    before, site = len(network.history()), network.reference_network().site_id.iloc[0]
    for trigger in ("cov-add-btn.n_clicks", "cov-retire-btn.n_clicks", "cov-reset-confirm.submit_n_clicks"):
        r = callback(client, "cov-add-btn.n_clicks", {trigger: 1, "cov-site.value": site,
                     '{"name":"cov-add","type":"commune-search"}.value': "08409"}, changed=trigger)
        assert "Modification refusée" in json.dumps(r.get_json(), ensure_ascii=False)
    assert len(network.history()) == before


def test_no_account_editing_is_open_on_this_machine_only(app_module):
    local = app_module.server.test_client()
    status, body = page(local, "/connexion")
    assert "ce poste uniquement" in texts(body)
    sid = _scenario()
    assert "corbeille" in _delete(local, sid)[1]
    assert scenarios.default_store().audit()[-1].who == auth.LOCAL_EDITOR
    proxied = app_module.server.test_client()
    _, body = _delete(proxied, _scenario(), headers={"X-Forwarded-For": "198.51.100.1"})
    assert "Modification refusée" in body  # behind a proxy everybody looks local: refused


def test_editor_deletion_is_soft_audited_under_their_account_and_restorable(app_module, editor):
    client = app_module.server.test_client()
    sid = _scenario()
    assert "Modification refusée" in _delete(client, sid)[1]  # accounts exist: local anonymous refused too
    bad, _ = _sign_in(client, editor, "mauvais mot de passe")
    assert bad.status_code == 302 and "erreur=identifiants" in bad.headers["Location"]
    ok, _ = _sign_in(client, editor, "mot de passe de test")
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    cookie = ok.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookie if c.startswith("atlas_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    token = client.get_cookie(auth.CSRF_COOKIE).value
    status, body = _delete(client, sid)  # no X-CSRFToken header: refused (CSRF)
    assert status == 403 and "Accès refusé" in body
    status, body = _delete(client, sid, headers={"X-CSRFToken": token})
    assert status == 200 and "corbeille" in body
    store = scenarios.default_store()
    with pytest.raises(scenarios.ScenarioError, match="introuvable"):
        store.load(sid)
    last = store.audit()[-1]
    assert (last.who, last.action, last.record_id) == (editor, "suppression", sid)
    assert sid in [s.id for s in store.list(deleted=True)]
    store.restore(sid, editor)
    assert store.load(sid).id == sid and store.audit()[-1].action == "restauration"
    add = "cov-add-btn.n_clicks"
    values = {add: 1, '{"name":"cov-add","type":"commune-search"}.value': "08409", "cov-tabs.active_tab": "reseau"}
    r = callback(client, add, values, headers={"X-CSRFToken": token})
    assert "Site ajouté" in json.dumps(r.get_json(), ensure_ascii=False)
    last = network.history().iloc[-1]
    assert (last.action, last.code_insee, last.author) == ("add", "08409", editor)  # under the account
    network.reset_to_reference(editor)


def test_cross_site_posts_are_refused_in_french(app_module):
    client = app_module.server.test_client()
    r = client.post("/_dash-update-component", json={"output": "x.y", "inputs": []},
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "Accès refusé" in r.get_data(as_text=True)
    r = client.post("/auth/connexion", data={"nom": "x"}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_saving_a_named_weighting_needs_an_editor(app_module):
    """A weighting is shared state: from another machine, with no account, the save is refused and nothing lands."""
    from models.stores import weightings
    from models.domain.scoring import KEYS

    trigger = "cls-save.n_clicks"
    weights = [{"id": {"type": "cls-weight", "key": k}, "property": "value", "value": 1} for k in KEYS]
    dirs = [{"id": {"type": "cls-dir", "key": k}, "property": "value", "value": 1} for k in KEYS]
    values = {trigger: 1, "cls-save-name.value": "Refusée", '{"key":["ALL"],"type":"cls-weight"}.value': weights,
              '{"key":["ALL"],"type":"cls-dir"}.value': dirs, "cls-missing.value": "renormalise"}
    before = len(weightings.default_store().list())
    remote = app_module.server.test_client()
    remote.environ_base.update(REMOTE)
    r = callback(remote, trigger, values)
    assert "Modification refusée" in json.dumps(r.get_json(), ensure_ascii=False)
    assert len(weightings.default_store().list()) == before
    local = app_module.server.test_client()
    r = callback(local, trigger, values)
    assert "enregistrée" in json.dumps(r.get_json(), ensure_ascii=False)
    assert weightings.default_store().list()[0].author == auth.LOCAL_EDITOR
