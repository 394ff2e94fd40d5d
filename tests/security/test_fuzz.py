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


# ------------------------------------------------------------------ mutated callback bodies (issue 19, part 5)
MUTATED_N = int(os.environ.get("ATLAS_FUZZ_MUTATED_N", "1500"))


def _deep(depth: int):
    v = 1
    for _ in range(depth):
        v = [v]
    return v


def _mutate(body: dict, deps: list, rng: random.Random) -> dict:
    """One structural mutation of a well-formed body: what a hostile or broken client sends."""
    b = json.loads(json.dumps(body))
    other = rng.choice(deps)
    kind = rng.randrange(16)
    lists = [k for k in ("inputs", "state") if b.get(k)]
    if kind == 0:
        b["output"] = rng.choice([other["output"], "x.y", "..a.b...c.d..", "", "..", ".", "a" * 500])
    elif kind == 1:
        b["outputs"] = rng.choice([[], [b["outputs"]] * 3, {"id": "x", "property": "y"}, "x", 1, None])
    elif kind == 2 and lists:
        k = rng.choice(lists)
        b[k] = rng.choice([b[k][:-1], b[k] + b[k][:1], list(reversed(b[k])), [], {"id": "x"}])
    elif kind == 3 and lists:
        it = rng.choice(b[rng.choice(lists)])
        if isinstance(it, dict):
            it[rng.choice(["id", "property"])] = rng.choice(["inconnu", 1, None, [], {"type": 1}, "a.b"])
    elif kind == 4 and lists:
        it = rng.choice(b[rng.choice(lists)])
        if isinstance(it, dict):
            it["value"] = _deep(rng.choice([50, 300, 5000]))
    elif kind == 5:
        b["changedPropIds"] = rng.choice([["inconnu.value"], [1], "x", None, [None], ["a" * 300]])
    elif kind == 6:
        b[rng.choice(["inputs", "state"])] = rng.choice([{"id": "x", "property": "y"}, "x", 3, None, [[]], [[1]]])
    elif kind == 7:
        b = {k: v for k, v in b.items() if k != rng.choice(list(b))}
    elif kind == 8:
        b["inputs"], b["state"] = other_body(other, rng)["inputs"], b.get("state", [])
    elif kind == 9 and lists:
        it = rng.choice(b[rng.choice(lists)])
        if isinstance(it, dict):
            it["value"] = rng.choice([{"a": {"b": {"c": [1e308] * 50}}}, [[[["x"]]]] * 20, "x" * 100_000,
                                      list(range(20_000)), -0.0, 2 ** 70, {"": None}])
    elif kind == 10:
        b["output"] = other["output"]  # a real output, the inputs of another callback
    elif kind == 11:
        b["extra"] = _deep(rng.choice([10, 900]))
    elif kind == 12:
        b["outputs"] = other_body(other, rng)["outputs"]
    elif kind == 13 and lists:
        k = rng.choice(lists)
        b[k] = [[it] if isinstance(it, dict) else it for it in b[k]]  # an ALL list where one item is expected
    elif kind == 14:
        b = rng.choice([[b], "x", 1, None, {"output": b.get("output")}])
    else:
        for k in lists:
            for it in b[k]:
                if isinstance(it, dict):
                    it["value"] = _hostile_value(rng)
    return b


def other_body(dep, rng):
    return _body(dep, rng)


def test_mutated_callback_bodies_never_get_a_500_and_log_one_line(client, caplog):
    import logging

    rng, counts, failures = random.Random(SEED + 3), {}, []
    deps = _callbacks(client)
    caplog.set_level(logging.INFO, logger="atlas")
    sent = 0
    while sent < MUTATED_N:
        i, dep = sent, rng.choice(deps)
        body = _mutate(_body(dep, rng), deps, rng)
        try:
            data = json.dumps(body)
        except (RecursionError, ValueError):  # deeper than json.dumps goes: the same body written by hand
            data = json.dumps(_body(dep, rng)).replace('"inputs": [', '"inputs": [' + "[" * 20_000 + "]" * 20_000 + ",", 1)
        sent += 1
        caplog.clear()
        r = client.post("/_dash-update-component", data=data, content_type="application/json")
        counts[r.status_code] = counts.get(r.status_code, 0) + 1
        text = r.get_data(as_text=True)
        traced = [rec for rec in caplog.records if rec.exc_info or "Traceback" in rec.getMessage()]
        if r.status_code >= 500 or ENGLISH.search(text.replace('"Exception"', "")) or traced:
            failures.append((i, dep["output"][:50], r.status_code, [t.getMessage()[:150] for t in traced], text[:80]))
        if r.status_code == 400 and "Requête invalide" not in text:
            failures.append((i, dep["output"][:50], 400, "page non française"))
    print(f"\nfuzz corps mutés (graine {SEED}) : {MUTATED_N} essayés, réponses {counts}, {len(failures)} en échec")
    assert not failures, failures[:10]
