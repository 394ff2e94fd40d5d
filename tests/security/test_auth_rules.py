"""The CSRF origin rule and the "this machine" rule of components/auth.py, request by request (issue #17).

A bare Flask app with the app's auth installed: no Dash, so each rule is seen alone.
"""
from __future__ import annotations

import pytest
from flask import Flask

from components import auth


@pytest.fixture(scope="module")
def client():
    import os

    os.environ.setdefault("ATLAS_SECRET_KEY", "test-key-auth-rules")
    app = Flask("auth_rules")
    auth.init_app(app)

    @app.route("/ecrire", methods=["GET", "POST"])
    def write():
        return "ok"

    return app.test_client()


@pytest.mark.parametrize("headers,status", [
    ({}, 200),                                                  # no header: not a browser's cross-site request
    ({"Origin": "http://localhost"}, 200),                      # this site (the test client's host)
    ({"Referer": "http://localhost/reseau"}, 200),
    ({"Origin": "null"}, 403),                                  # sandboxed frame, file://, data: — refused
    ({"Referer": "null"}, 403),
    ({"Origin": ""}, 200),                                      # an empty header counts as absent
    ({"Origin": "https://evil.example"}, 403),
    ({"Origin": "http://localhost.evil.example"}, 403),
    ({"Origin": "http://evil.example", "Referer": "http://localhost/"}, 403),  # Origin wins over Referer
])
def test_a_post_must_come_from_this_site(client, headers, status):
    """Kills: ``Origin: null`` accepted by the CSRF check (its comment says refused), or a foreign origin accepted."""
    assert client.post("/ecrire", headers=headers).status_code == status


def test_reading_is_never_refused_whatever_the_origin(client):
    assert client.get("/ecrire", headers={"Origin": "null"}).status_code == 200
    assert client.get("/ecrire", headers={"Origin": "https://evil.example"}).status_code == 200


@pytest.mark.parametrize("remote,host,headers,local", [
    ("127.0.0.1", "127.0.0.1:8050", {}, True),
    ("::1", "localhost", {}, True),
    ("127.0.0.1", "127.0.0.1:8050", {"X-Forwarded-For": "203.0.113.9"}, False),  # behind a proxy
    ("127.0.0.1", "127.0.0.1:8050", {"Forwarded": "for=203.0.113.9"}, False),
    ("10.0.0.5", "127.0.0.1:8050", {}, False),                                     # another machine
    ("127.0.0.1", "atlas.example.org", {}, False),                                # a public name
])
def test_this_machine_means_loopback_address_and_host_without_proxy(remote, host, headers, local):
    app = Flask("auth_local")
    with app.test_request_context("/", headers={"Host": host, **headers}, environ_base={"REMOTE_ADDR": remote}):
        assert auth._is_local_request() is local
