"""Fiche ville: the page layout, its callbacks, and the real Dash routing endpoint (pages/ville.py)."""
from __future__ import annotations

import json

import pytest
from dash import no_update

import geodata
from models import fr_format as F


@pytest.fixture(scope="module")
def ville():
    import app  # noqa: F401 — registers the pages and their callbacks
    from pages import ville

    return ville


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def walk(component):
    """Every component of a layout tree."""
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for c in children:
            yield from walk(c)
    elif children is not None and hasattr(children, "to_plotly_json"):
        yield from walk(children)


def text_of(component) -> str:
    if isinstance(component, (str, int, float)):
        return str(component)
    children = getattr(component, "children", None)
    if children is None:
        return ""
    if isinstance(children, (list, tuple)):
        return "".join(text_of(c) for c in children)
    return text_of(children)


def by_id(layout, cid):
    return next(c for c in walk(layout) if getattr(c, "id", None) == cid)


def route(client, pathname: str) -> tuple[int, str]:
    """POST to the pages routing callback, as the browser does when the URL changes."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith(".._pages_content.children"))
    body = {"output": dep["output"],
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    resp = client.post("/_dash-update-component", json=body)
    return resp.status_code, resp.get_data(as_text=True)


@pytest.mark.parametrize("code", ["88160", "52448", "67462", "08001"])
def test_diagnostic_cells_show_the_geodata_values(ville, code):
    layout = ville.layout(code_insee=code)
    c = geodata.commune_index().loc[code]
    cells = {x.to_plotly_json()["props"]["data-key"]: text_of(x)
             for x in walk(layout) if type(x).__name__ == "Td" and "data-key" in x.to_plotly_json()["props"]}
    assert cells["chomage_ze"] == F.pct(c.chomage_ze)
    assert cells["population"] == f"{F.num(c.population)}{F.NBSP}hab."
    assert cells["demandeurs_emploi"] == (F.num(c.demandeurs_emploi) if c.demandeurs_emploi == c.demandeurs_emploi
                                          else "—")
    assert text_of(by_id(layout, "ville-nom")) == c.nom


def test_simuler_buttons_open_the_simulator_for_this_town_and_concept(ville):
    layout = ville.layout(code_insee="88160")
    for concept in ("clef_en_main", "fab_id", "progressif"):
        button = by_id(layout, f"ville-simuler-{concept}")
        assert button.href == f"/simulateur?ville=88160&concept={concept}"
        assert text_of(button) == "Simuler ce concept"


@pytest.mark.parametrize("bad", ["99999", "abc", "75056", "", None, "<script>", "88160x"])
def test_bad_codes_give_the_french_message_and_the_search_box(ville, bad):
    layout = ville.layout(code_insee=bad)
    assert by_id(layout, "ville-introuvable") is not None
    assert "commune" in text_of(by_id(layout, "ville-erreur")).lower()
    assert any(getattr(c, "id", None) == ville.SEARCH for c in walk(layout))


@pytest.mark.parametrize("path,expected", [("/ville/88160", "Épinal"), ("/ville/99999", "Commune introuvable"),
                                           ("/ville/abc", "Commune introuvable"),
                                           ("/ville/75056", "Commune introuvable")])
def test_routing_endpoint_never_500(client, path, expected):
    status, body = route(client, path)
    assert status == 200
    assert expected in json.dumps(json.loads(body)["response"], ensure_ascii=False)
    assert "Traceback" not in body


def test_http_get_of_bad_urls_is_not_500(client):
    for path in ("/ville/99999", "/ville/abc", "/ville/%3Cscript%3E"):
        assert client.get(path).status_code == 200


def test_csv_download_callback(ville):
    data, msg = ville.download_csv(1, "52448")
    assert data["filename"].startswith("fiche_52448_saint-dizier") and "chomage_ze" in data["content"]
    assert msg is None
    assert ville.download_csv(None, "52448") == (no_update, no_update)


def test_html_download_callback(ville):
    data, msg = ville.download_html(1, "67462")
    assert data["filename"] == "carte_67462_selestat.html" and "Mission Locale" in data["content"]


def test_download_with_a_bad_code_shows_a_french_message(ville):
    data, msg = ville.download_csv(1, "abc")
    assert data is no_update and "CSV" in text_of(msg)
    data, msg = ville.download_html(1, None)
    assert data is no_update and "carte" in text_of(msg)


def test_search_box_opens_the_other_town(ville):
    assert ville.open_other_town("52448") == "/ville/52448"
    assert ville.open_other_town("abc") is no_update
    assert ville.open_other_town(None) is no_update


def test_title_names_the_town(ville):
    assert ville._title(code_insee="67462").startswith("Sélestat")
    assert ville._title(code_insee="zzz").startswith("Fiche ville")


def test_print_map_is_a_static_svg_with_a_legend(ville):
    box = ville.fill_print_map("88160")
    img = next(c for c in walk(box) if type(c).__name__ == "Img")
    assert img.src.startswith("data:image/svg+xml;base64,")
    import base64
    svg = base64.b64decode(img.src.split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "Missions locales" in text_of(box)
    assert "indisponible" in text_of(ville.fill_print_map("abc"))
