"""Every page of the app is declared French (``<html lang="fr">``, WCAG 3.1.1 / RGAA 8.3): screen readers read
it with a French voice, browsers do not offer to translate it. Every registered page, a profile, an unknown URL
and the French HTTP error pages."""
from __future__ import annotations

import re

import dash
import pytest

import app as atlas

PATHS = sorted({p["path"] for p in dash.page_registry.values() if not p.get("path_template")}
               | {"/ville/55545", "/ville/abc", "/simulateur?ville=55545&concept=hub", "/page-inconnue"})


@pytest.mark.parametrize("path", PATHS)
def test_every_page_is_declared_french(path):
    r = atlas.server.test_client().get(path)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    tag = re.search(r"<html[^>]*>", html).group(0)
    assert re.search(r"""\blang=["']fr["']""", tag), tag


def test_the_french_error_pages_too():
    client = atlas.server.test_client()
    for r in (client.get("/_dash-component-suites/nope/x.js"), client.put("/")):
        assert r.status_code >= 400
        assert re.search(r"""<html[^>]*\blang=["']fr["']""", r.get_data(as_text=True))
