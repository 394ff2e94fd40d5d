"""No version of Python, Dash or Plotly published in production mode (issue 19, part 5): not in the page's
``_dash-config``, not in ``/_reload-hash`` (404 without hot reload), not in the asset URLs."""
from __future__ import annotations

import json
import re
import sys
from importlib import metadata

import pytest

VERSIONS = {"python": sys.version.split()[0], "dash": metadata.version("dash"), "plotly": metadata.version("plotly"),
            "dash_bootstrap_components": metadata.version("dash-bootstrap-components")}


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def _forms(version: str) -> list[str]:
    return [version, version.replace(".", "_")]


def test_page_config_names_no_version(client):
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html,
                                  re.S).group(1))
    for key in ("python_version", "dash_version", "plotly_version", "dash_version_url"):
        assert not config.get(key), (key, config.get(key))
    config_text = json.dumps(config)
    for name in ("python", "dash", "plotly"):
        assert VERSIONS[name] not in config_text, name


def test_asset_urls_and_shell_name_no_version(client):
    html = client.get("/").get_data(as_text=True)
    urls = " ".join(re.findall(r'(?:src|href)="([^"]+)"', html))
    for name, version in VERSIONS.items():
        if len(version) < 5:  # too short to be told apart from a timestamp
            continue
        for form in _forms(version):
            assert form not in urls, (name, form)
    assert VERSIONS["python"] not in html and VERSIONS["dash"] not in html


def test_fingerprinted_assets_are_still_served(client):
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    assert urls
    for url in urls[:6]:
        r = client.get(url)
        assert r.status_code == 200 and len(r.data) > 100, url


def test_reload_hash_is_not_public_in_production(client):
    r = client.get("/_reload-hash")
    assert r.status_code == 404
    for version in VERSIONS.values():
        assert version not in r.get_data(as_text=True)
