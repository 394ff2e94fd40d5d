"""App-wide presentation: navbar from the page registry, French widget texts, French charts."""
from __future__ import annotations

import json

import dash

import app as atlas
from components.french_defaults import DROPDOWN_LABELS


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def test_navbar_lists_the_registered_pages_and_has_a_burger_and_the_presentation_switch():
    layout = json.dumps(atlas.server.test_client().get("/_dash-layout").get_json(), ensure_ascii=False)
    paths = [p["path"] for p in dash.page_registry.values() if not p.get("path_template")
             and not p["module"].endswith("not_found_404") and p.get("nav", True)]
    shown = [path for _, path in atlas.NAV]
    assert sorted(shown) == sorted(paths) and shown[:2] == ["/", "/simulateur"]
    assert shown[-1] == "/connexion"  # the sign-in page last (order 99), the pages in their registry order before
    assert "/ville/<code_insee>" not in layout and "Toggle navigation" not in layout
    for words in ('"nav-toggler"', '"nav-collapse"', "Mode présentation", '"presentation-toggle"', "Ouvrir le menu"):
        assert words in layout, words


def test_every_dropdown_speaks_french():
    from pages import carte, simulateur
    for page in (carte.layout(), simulateur.layout()):
        dropdowns = [c for c in _walk(page) if type(c).__name__ == "Dropdown"]
        assert dropdowns
        for d in dropdowns:
            assert d.labels["search"].startswith("Rechercher") and DROPDOWN_LABELS["search"] == "Rechercher…"
            assert d.placeholder and "Select" not in d.placeholder


def test_every_chart_of_the_simulator_and_the_map_is_in_french_without_the_plotly_logo():
    from pages import carte, simulateur
    graphs = [c for page in (carte.layout(), simulateur.layout()) for c in _walk(page)
              if type(c).__name__ == "Graph"]
    assert len(graphs) >= 6
    for g in graphs:
        assert g.config["locale"] == "fr" and g.config["displaylogo"] is False, g.id


def test_sliders_show_their_value_and_carry_an_accessible_name():
    from pages import simulateur
    rows = [c for c in _walk(simulateur.layout()) if "sim-slider-row" in str(getattr(c, "className", ""))]
    assert len(rows) == len(simulateur.SLIDERS)
    for row in rows:
        props = row.to_plotly_json()["props"]
        assert props["data-slider-label"]
        slider = next(c for c in _walk(row) if type(c).__name__ == "Slider")
        assert slider.updatemode == "drag" and slider.allow_direct_input is False
        shown = next(c for c in _walk(row) if type(c).__name__ == "Output")
        assert shown.children and shown.children[0].isdigit()
