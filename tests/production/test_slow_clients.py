"""Issue 19, part 1: the production stack (``make serve`` → deploy/serve.py: nginx in front of gunicorn) holds
slow-header (slowloris), idle-socket and silent-body attacks while a monitor keeps getting ``/`` within a bound;
the set-up before it (gunicorn alone, sync workers) did not.

Real processes on loopback: nginx (Debian's, ``make nginx-deps``) and gunicorn with gunicorn.conf.py.
"""
from __future__ import annotations

import re

import pytest
import requests

from deploy.serve import find_nginx
from tests.production.stack import hold_attacks, running

BOUND = 3.0  # seconds: the monitor's `/` must answer 200 within this (it answers in ~0.1 s unloaded)
PLAN = {"slow-header": 40, "idle": 20, "silent-body": 10}  # 70 connections, under nginx's 100 per client
SECONDS = 22  # past nginx's 10 s header/body timeouts, so every attack connection is seen closed and reopened

pytestmark = pytest.mark.skipif(find_nginx() is None, reason="nginx absent : `make nginx-deps` l'installe "
                                "(paquet Debian nginx-light, root ou sudo), la pile de production n'est pas testée")


@pytest.fixture(scope="module")
def stack_url():
    with running("stack") as url:
        yield url


def test_stack_answers_during_slow_client_attacks(stack_url):
    mon, attacks = hold_attacks(stack_url, PLAN, SECONDS, BOUND)
    assert len(mon.results) >= SECONDS, "the monitor asked too few times to conclude"
    slow = [round(dt, 2) for ok, dt in mon.results if not ok]
    assert mon.failures == 0, f"{mon.failures}/{len(mon.results)} monitor requests failed or exceeded {BOUND} s: {slow}"
    for kind, attack in attacks.items():
        # the attack was really held: every connection opened, and nginx (not the client) ended each one after its
        # 10 s timeout (client_header_timeout / client_body_timeout / keepalive of a silent connection)
        assert attack.opened >= PLAN[kind], kind
        assert attack.closed_after, f"{kind}: nginx never closed a connection"
        assert all(9.0 <= t <= 16.0 for t in attack.closed_after), (kind, sorted(attack.closed_after))


def test_body_limit_headers_and_assets(stack_url):
    big = requests.post(stack_url + "/_dash-update-component", data=b"x" * (9 * 1024 * 1024),
                        headers={"Content-Type": "application/json"}, timeout=30)
    assert big.status_code == 413
    assert "Requête refusée" in big.text and 'lang="fr"' in big.text

    page = requests.get(stack_url + "/", timeout=10)
    assert page.status_code == 200 and "Atlas" in page.text
    raw = page.raw.headers
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy"):
        assert len(raw.getlist(name)) == 1, (name, raw.getlist(name))  # once: the app's copy hidden by nginx
    assert not re.search(r"\d", page.headers["Server"]), page.headers["Server"]  # no version

    css = requests.get(stack_url + "/assets/print.css", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert css.status_code == 200 and "@media print" in css.text
    assert css.headers.get("Expires") and css.headers.get("ETag")  # nginx's static file answer, not Flask's
    assert css.headers.get("Content-Encoding") == "gzip"
    assert css.headers.get("X-Content-Type-Options") == "nosniff"


def test_bare_sync_gunicorn_was_starved():
    """The finding of issue 19 reproduced on the set-up before it: the same attacks make the monitor fail."""
    with running("gunicorn-sync") as url:
        mon, _ = hold_attacks(url, PLAN, 15, BOUND)
    assert mon.failures >= 3, f"sync gunicorn held ({mon.failures}/{len(mon.results)} failures): the attack is too weak"
