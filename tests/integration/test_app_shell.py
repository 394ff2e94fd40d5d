"""The shell: geometry routes, French error responses, no stack trace, navbar."""
from __future__ import annotations

import gzip
import json

import app as atlas
import geodata


def client():
    return atlas.server.test_client()


def test_navbar_links_to_every_page():
    layout = json.dumps(client().get("/_dash-layout").get_json())
    for label, href in atlas.NAV:
        assert label in layout and f'"href": "{href}"' in layout


def test_geojson_sent_gzipped_with_etag_and_cached():
    c = client()
    r = c.get("/geodata/communes.geojson", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert r.headers["Cache-Control"].startswith("public") and r.headers["ETag"]
    fc = json.loads(gzip.decompress(r.data))
    assert len(fc["features"]) == len(geodata.communes())
    assert {f["id"] for f in fc["features"]} == set(geodata.communes().code_insee)
    again = c.get("/geodata/communes.geojson", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    plain = c.get("/geodata/departements.geojson")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert len(json.loads(plain.data)["features"]) == 10


def test_unknown_geodata_file_is_404_in_french():
    r = client().get("/geodata/secret.json")
    assert r.status_code == 404 and "inconnu" in r.get_data(as_text=True)


def test_malformed_callback_request_gets_no_stack_trace():
    r = client().post("/_dash-update-component", data="{pas du json", content_type="application/json")
    body = r.get_data(as_text=True)
    assert r.status_code in (400, 500)
    assert "Traceback" not in body and "File \"" not in body


def test_server_error_page_is_french_without_trace():
    handler = next(iter(atlas.server.error_handler_spec[None][500].values()))
    with atlas.server.test_request_context("/"):
        r = handler(RuntimeError("boom secret detail"))
    body = r.get_data(as_text=True)
    assert r.status_code == 500 and "Erreur du serveur" in body
    assert "boom secret detail" not in body and "Traceback" not in body


def test_callback_exception_becomes_french_message(monkeypatch):
    from components import errors
    shown = {}
    monkeypatch.setattr(errors, "set_props", lambda cid, props: shown.update({cid: props}))
    errors.on_callback_error(ValueError("détail interne"))
    assert shown["app-error"]["is_open"] is True
    assert "erreur inattendue" in shown["app-error"]["children"] and "détail interne" not in shown["app-error"]["children"]
