"""Exports of the town profile: CSV of the indicators, standalone offline HTML map (folium)."""
import io
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from models.domain.town_profile import profile
from components.town_exports import csv_export, html_export


class Assets(HTMLParser):
    """External resources a browser would fetch: script src, link href, img src."""

    def __init__(self):
        super().__init__()
        self.external, self.inline_scripts = [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        url = a.get("src") if tag in ("script", "img", "iframe") else a.get("href") if tag == "link" else None
        if url:
            self.external.append(url)
        elif tag == "script":
            self.inline_scripts += 1


@pytest.fixture(scope="module")
def epinal_html():
    return html_export("88160")


def test_html_map_needs_no_network(epinal_html):
    parser = Assets()
    parser.feed(epinal_html["content"])
    assert parser.external == []
    assert "L.map(" in epinal_html["content"]          # folium's map code ...
    assert "Leaflet" in epinal_html["content"]         # ... with Leaflet itself inlined
    assert not re.search(r"""@import\s+url\(\s*['"]?https?:""", epinal_html["content"])
    assert epinal_html["filename"].endswith(".html")


@pytest.mark.parametrize("code", ["88160", "08001"])
def test_html_map_lists_every_partner(code):
    content = html_export(code)["content"]
    p = profile(code)
    for kind, df in p.partners.items():
        for name in df.nom:
            assert str(name).replace("'", "&#x27;") in content or str(name) in content, (kind, name)


def test_csv_one_row_per_indicator_with_source_and_date():
    out = csv_export("67462")
    assert out["filename"].endswith(".csv")
    table = pd.read_csv(io.StringIO(out["content"].lstrip("\ufeff")), sep=";", decimal=",", dtype={"code_insee": str})
    p = profile("67462")
    assert len(table) == len(p.figures) + len(p.catchment)
    assert table.cle.is_unique
    assert table.source.notna().all() and table.date.notna().all()
    row = table.set_index("cle").loc["chomage_ze"]
    assert row.valeur == pytest.approx(p.figure("chomage_ze").value)
    assert set(table.code_insee) == {"67462"}
