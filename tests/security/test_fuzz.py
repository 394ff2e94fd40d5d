"""Hostile input, seeded: generated URLs (pages and raw HTTP) and callback bodies, a few hundred per run.

Asserts for each: no 5xx, no blank page (the layout renders, with French text), no English in the body.
Seed: ATLAS_FUZZ_SEED (default 11); count per kind: ATLAS_FUZZ_N (default 150).
"""
from __future__ import annotations

import json
import os
import random
from urllib.parse import quote

import pytest

from tests.dash_client import ENGLISH, page, texts

SEED = int(os.environ.get("ATLAS_FUZZ_SEED", "11"))
N = int(os.environ.get("ATLAS_FUZZ_N", "150"))
PAGES = ["/", "/simulateur", "/couverture", "/classement", "/sources", "/connexion", "/ville/54395", "/ville/08409",
         "/ville/", "/ville/²", "/ville/../../app.py", "/inconnue", "/ville/54395/extra"]
PARAMS = ["minutes", "k", "poids", "variable", "ville", "concept", "scenario", "w", "add", "m", "methode", "budget",
          "seuil", "detour", "vitesse", "erreur", "presentation", "couche", "niveau", "a", "b", "q", "x"]
VALUES = ["inf", "-inf", "nan", "NaN", "1e400", "-1e400", "1e-400", "-1", "0", "99999999999999999999999", "²", "١٢٣",
          "<script>alert(1)</script>", "<a href=//x>x</a>", "' OR 1=1 --", "\x00", "%00", "../../etc/passwd", "",
          " ", "a" * 3000, "é" * 500, "1,5", "12abc", "0x1F", "true", "null", "[]", "{}", "54395", "2A004", "08409",
          "clef_en_main", "hub", "renormalise", "\u202e", "🙂", "%", "%%", "+", "&", "="]
RAW = ["/_dash-component-suites/../../app.py", "/_dash-component-suites/dash/../../../app.py",
       "/%2e%2e/%2e%2e/etc/passwd", "/assets/../app.py", "/assets/..%2fapp.py", "/geodata/../app.py",
       "/geodata/%2e%2e%2fapp.py", "/geodata/secret.json", "/_dash-layout?x=1", "/_dash-dependencies",
       "/_dash-component-suites/nope/x.js", "/assets/nope.css", "/ville/" + "9" * 2000, "/?" + "a=1&" * 800,
       "/_reload-hash", "/auth/connexion", "/auth/deconnexion", "/\\..\\app.py", "//evil.example/", "/%ff%fe"]


def _search(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(PARAMS)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):  # repeated parameters too
            parts.append(f"{name}={quote(rng.choice(VALUES), safe='')}")
    return "?" + "&".join(parts)


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def test_hostile_page_urls_render_a_french_page(client):
    rng, failures = random.Random(SEED), []
    for i in range(N):
        path, search = rng.choice(PAGES), _search(rng)
        status, body = page(client, path, search)
        shown = texts(body) if status == 200 else body
        if status >= 500 or len(shown.strip()) < 40 or ENGLISH.search(shown):
            failures.append((path + search[:120], status, (ENGLISH.findall(shown) or [shown[:120]])[:3]))
    print(f"\nfuzz pages (graine {SEED}) : {N} essayées, {len(failures)} en échec")
    assert not failures, failures[:10]


def test_hostile_raw_http_requests_get_french_answers_never_5xx(client):
    rng, failures, tried = random.Random(SEED + 1), [], 0
    requests = [("GET", u, None) for u in RAW]
    requests += [("POST", "/_dash-update-component", b) for b in
                 (b"{pas du json", b"[]", b"null", b'{"output": 1}', b'{"inputs": "x"}', b"x" * 100)]
    requests += [(rng.choice(["PUT", "DELETE", "PATCH"]), rng.choice(["/", "/_dash-update-component"]), None)
                 for _ in range(5)]
    for method, url, data in requests:
        tried += 1
        r = client.open(url, method=method, data=data, content_type="application/json" if data else None)
        body = r.get_data(as_text=True)
        is_app_page = r.status_code == 200 and "_dash-config" in body  # the app shell: rendered by the router
        if r.status_code >= 500 or (not is_app_page and r.mimetype == "text/html" and ENGLISH.search(body)):
            failures.append((method, url[:80], r.status_code, ENGLISH.findall(body)[:3]))
        if r.status_code in (400, 404, 405, 413, 414, 415) and "Atlas" not in body and r.mimetype == "text/html":
            failures.append((method, url[:80], r.status_code, "page d'erreur non française"))
    big = client.post("/_dash-update-component", data=b"0" * (9 * 1024 * 1024), content_type="application/json")
    tried += 1
    if big.status_code != 413 or "trop volumineuse" not in big.get_data(as_text=True):
        failures.append(("POST", "9 Mo", big.status_code))
    print(f"\nfuzz HTTP : {tried} essayées, {len(failures)} en échec")
    assert not failures, failures


HEAVY = ("cov-chosen", "cov-optimised")  # the optimiser is fuzzed through its own tests, not here


def _callbacks(client):
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if not d.get("clientside_function") and "_pages" not in d["output"]
            and not any(h in d["output"] for h in HEAVY)]


def _hostile_value(rng):
    return rng.choice([rng.choice(VALUES), None, 1e308, -1, 10 ** 30, [], {}, [rng.choice(VALUES)] * 3,
                       {"a": rng.choice(VALUES)}, True, "", rng.randint(-5, 10 ** 6)])


def _body(dep, rng):
    def item(spec):
        ident = spec["id"]
        if ident.startswith("{"):  # pattern-matching id: send a concrete one
            ident = json.loads(ident)
            ident = {k: ("x" if isinstance(v, list) else v) for k, v in ident.items()}
        return {"id": ident, "property": spec["property"], "value": _hostile_value(rng)}

    outputs = dep["output"].strip(".").split("...")
    outs = []
    for o in outputs:
        cid, _, prop = o.rpartition(".")
        outs.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop.split("@")[0]})
    inputs = [item(s) for s in dep["inputs"]]
    return {"output": dep["output"], "outputs": outs if len(outs) > 1 else outs[0], "inputs": inputs,
            "state": [item(s) for s in dep["state"]], "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]
            if inputs and isinstance(inputs[0]["id"], str) else []}


def test_hostile_callback_bodies_get_no_5xx_and_no_english(client):
    rng, failures = random.Random(SEED + 2), []
    deps = _callbacks(client)
    for i in range(N):
        dep = rng.choice(deps)
        r = client.post("/_dash-update-component", json=_body(dep, rng))
        body = r.get_data(as_text=True)
        if r.status_code >= 500 or ENGLISH.search(body.replace('"Exception"', "")):
            failures.append((dep["output"][:60], r.status_code, ENGLISH.findall(body)[:3] or body[:100]))
    print(f"\nfuzz callbacks (graine {SEED}) : {N} essayées sur {len(deps)} callbacks, {len(failures)} en échec")
    assert not failures, failures[:10]
