"""Security headers on every kind of response, a CSP that allows exactly Dash's inline scripts, no server
version; user text escaped where Plotly renders it."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest

EXPECTED = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def _responses(client):
    asset = "/assets/10_atlas.css"
    yield "GET /", client.get("/")
    yield "GET /ville/54395", client.get("/ville/54395")
    yield "GET layout", client.get("/_dash-layout")
    yield "GET dependencies", client.get("/_dash-dependencies")
    yield "GET asset", client.get(asset)
    yield "GET geojson", client.get("/geodata/departements.geojson")
    yield "GET 404", client.get("/_dash-component-suites/../../app.py")
    yield "PUT 405", client.put("/")
    yield "POST 400", client.post("/_dash-update-component", data="{pas du json", content_type="application/json")
    yield "POST 413", client.post("/_dash-update-component", data=b"0" * (9 << 20), content_type="application/json")


def test_every_response_carries_the_security_headers_and_no_server_version(client):
    for name, r in _responses(client):
        for key, value in EXPECTED.items():
            assert r.headers.get(key) == value, (name, key, r.headers.get(key))
        csp = r.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, name
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], name
        server = r.headers.get("Server", "")
        assert not re.search(r"Werkzeug|Python|gunicorn|\d+\.\d+", server), (name, server)


def test_csp_allows_exactly_the_inline_scripts_dash_writes_in_the_page(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    html = re.sub(r"<!--\[if IE\]>.*?<!\[endif\]-->", "", r.get_data(as_text=True), flags=re.S)  # IE only
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert inline, "Dash writes at least its renderer start-up inline"
    for code in inline:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    for src in re.findall(r'<script[^>]*\bsrc="([^"]+)"', html):
        assert src.startswith("/"), src  # every script from this site


def test_scenario_names_are_shown_as_text_in_the_comparison_chart_not_as_markup():
    from components.simulator_charts import compare_figure
    from models.domain.simulator import make_parameters, simulate

    r = simulate(make_parameters("clef_en_main", {}))
    fig = compare_figure(r, r, '<a href="https://evil.example">clic</a>', "<b style='color:red'>B</b> & co")
    names = " ".join(t["name"] for t in fig["data"])
    assert "<" not in names and ">" not in names  # no markup left for Plotly to render
    assert "&lt;a href=" in names and "&lt;b style='color:red'&gt;B&lt;/b&gt; &amp; co" in names
