"""Callbacks of the map page, called directly: what they send back for each user action."""
from __future__ import annotations

import json


import numpy as np
from plotly.utils import PlotlyJSONEncoder
import pytest
from dash import no_update

import geodata
from models.map_variables import VARIABLES, values
from pages import carte


def _patch_ops(patch) -> dict:
    """Patch operations as {location: value} (location joined with '.')."""
    return {".".join(map(str, op["location"])): op["params"].get("value")
            for op in patch.to_plotly_json()["operations"]}


@pytest.mark.parametrize("key", list(VARIABLES))
def test_variable_change_sends_only_values_not_geometry(key):
    patch, info, search = carte.change_variable(key)
    ops = _patch_ops(patch)
    assert set(ops) >= {"data.1.z", "data.0.z", "data.1.colorbar", "data.1.hovertemplate"}
    assert not any("geojson" in k or "locations" in k for k in ops)
    z = np.asarray(ops["data.1.z"], dtype=float)
    missing = np.asarray(ops["data.0.z"])
    vals = values(key)
    assert len(z) == len(geodata.communes()) == len(missing)
    # a commune without a value is drawn grey ("donnée absente"), never coloured as zero
    assert (np.isnan(z) == vals.isna().to_numpy()).all()
    assert (missing == vals.isna().to_numpy().astype(int)).all()
    assert search == f"?variable={key}"
    size = len(json.dumps(patch.to_plotly_json(), cls=PlotlyJSONEncoder))
    assert size < 60_000, f"{key}: {size} octets"


def test_jobseekers_missing_for_small_communes():
    _, info, _ = carte.change_variable("demandeurs_emploi")
    text = str(info)
    n_missing = int(values("demandeurs_emploi").isna().sum())
    assert n_missing > 4500 and f"{n_missing:,}".replace(",", " ") in text


def test_unknown_variable_is_refused_without_error():
    fig, info, search = carte.change_variable("n'importe quoi")
    assert fig is no_update and search is no_update and "inconnu" in info


def test_layer_toggle_hides_layers_and_departements():
    ops = _patch_ops(carte.toggle_layers(["acv"]))
    assert ops[f"data.{carte.FIRST_POINT_TRACE}.visible"] is True
    assert all(v == "legendonly" for k, v in ops.items() if k.startswith("data.") and k != f"data.{carte.FIRST_POINT_TRACE}.visible")
    assert ops["layout.map.layers.0.visible"] is False


def test_click_on_commune_or_marker_opens_profile(monkeypatch):
    class Ctx:
        triggered_id = "map-graph"
    monkeypatch.setattr(carte.dash, "ctx", Ctx)
    assert carte.open_profile({"points": [{"location": "52448"}]}, None) == "/ville/52448"
    assert carte.open_profile({"points": [{"customdata": "88160"}]}, None) == "/ville/88160"
    assert carte.open_profile({"points": [{"location": "99999"}]}, None) is no_update


def test_search_choice_opens_profile(monkeypatch):
    class Ctx:
        triggered_id = {"type": "commune-search", "name": "map"}
    monkeypatch.setattr(carte.dash, "ctx", Ctx)
    assert carte.open_profile(None, "67462") == "/ville/67462"


def test_layout_with_bad_variable_shows_french_warning():
    page = str(carte.layout(variable="xyz"))
    assert "inconnu" in page and "chômage" in page


def test_initial_figure_uses_geometry_url_not_inline_geometry():
    fig = carte.figure("population", carte.DEFAULT_LAYERS)
    assert fig.data[1].geojson == "/geodata/communes.geojson"
    assert fig.layout.map.style == "white-bg"


def test_default_map_shows_the_cnam_sites_and_acv_towns_only_with_cnam_on_top():
    from components.map_layers import LAYERS, trace_keys
    fig = carte.figure("chomage_ze", carte.DEFAULT_LAYERS)
    points = fig.data[carte.FIRST_POINT_TRACE:]
    on = {key for key, tr in zip(trace_keys(), points) if tr.visible is True}
    assert on == {"acv", "cnam_officiel", "cnam_presse"}
    assert trace_keys()[-1] == "cnam_presse" and trace_keys()[-3] == "cnam_officiel"  # drawn last, above all
    halo, sites = points[-4], points[-3]
    assert halo.marker.color == "#ffffff" and halo.marker.size > sites.marker.size
    assert sites.marker.size > max(layer.size for layer in LAYERS if not layer.halo and layer.key != "acv")
    assert len(sites.lon) >= 19  # the official network (MESR) is on the map


def test_ter_stations_layer_lists_real_stations_and_clicks_open_the_town():
    from components.map_layers import layer_frames
    ter = layer_frames()["gares_ter"]
    assert len(ter) > 300 and {"Épinal", "Nancy"} <= {n.split(" ")[0] for n in ter.nom}
    ops = _patch_ops(carte.toggle_layers(["gares_ter"]))
    from components.map_layers import trace_keys
    i = trace_keys().index("gares_ter")
    assert ops[f"data.{carte.FIRST_POINT_TRACE + i}.visible"] is True


@pytest.mark.parametrize("key", list(VARIABLES))
def test_colour_bar_says_what_and_its_unit(key):
    _, _, _ = carte.change_variable(key)
    title = carte._choropleth_props(key)["colorbar"]["title"]["text"]
    assert "(" in title and ")" in title and len(title.replace("<br>", " ")) > 8, title
