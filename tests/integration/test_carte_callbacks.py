"""Callbacks of the map page, posted to the Dash endpoint as the browser does: what each user action sends back."""
from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

import geodata
from components import map_base
from models.text import fr_format as F
from models.domain.map_variables import VARIABLES, values
from pages import carte
from tests.dash_client import callback, outputs, page, texts

SEARCH = '{"name":"map","type":"commune-search"}.value'


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def _patch_ops(patch) -> dict:
    """Patch operations (as the browser receives them) as {location: value} (location joined with '.')."""
    return {".".join(map(str, op["location"])): op["params"].get("value") for op in patch["operations"]}


def change_variable(client, key):
    r = callback(client, "map-variable.value", {"map-variable.value": key})
    out = outputs(r)
    return out.get("map-graph.figure"), out.get("map-variable-source.children"), out.get("map-query.search"), r


def toggle_layers(client, selected):
    return outputs(callback(client, "map-layers.value", {"map-layers.value": selected}))["map-graph.figure"]


def open_profile(client, trigger, values_):
    return outputs(callback(client, "map-graph.clickData", values_, changed=trigger)).get("map-nav.pathname")


@pytest.mark.parametrize("key", list(VARIABLES))
def test_variable_change_sends_only_values_not_geometry(client, key):
    patch, info, search, response = change_variable(client, key)
    ops = _patch_ops(patch)
    assert set(ops) >= {"data.0.z", "data.0.text", "data.0.colorscale", "data.0.colorbar", "data.0.hovertemplate"}
    assert not any("geojson" in k or "locations" in k for k in ops)
    assert not any(k.startswith("data.1.") for k in ops)  # one choropleth trace: nothing else to patch
    z = np.asarray(ops["data.0.z"], dtype=float)
    vals = values(key)
    assert len(z) == len(geodata.communes()) == len(ops["data.0.text"])
    # a commune without a value is drawn grey ("donnée absente"), never coloured as zero
    missing = vals.isna().to_numpy()
    colour = _colours(z, ops["data.0.zmin"], ops["data.0.zmax"], ops["data.0.colorscale"])
    assert all(c == map_base.MISSING_COLOUR for c in colour[missing])
    assert not any(c == map_base.MISSING_COLOUR for c in colour[~missing])
    assert all(t == "donnée absente" for t in np.asarray(ops["data.0.text"])[missing])
    assert search == f"?variable={key}"
    size = len(gzip.compress(response.get_data()))  # on the wire (the app compresses its responses)
    assert size < 60_000, f"{key}: {size} octets"


def _colours(z, zmin, zmax, scale) -> np.ndarray:
    """The colour Plotly gives each value: the stop at or below its position on the scale (the grey band and the
    first colour are the only stops a value can fall between, and no value lies inside the band)."""
    pos = (np.asarray(z, float) - zmin) / (zmax - zmin)
    stops = np.array([p for p, _ in scale])
    names = np.array([c for _, c in scale], dtype=object)
    return names[np.searchsorted(stops, pos, side="right") - 1]


def test_one_choropleth_trace_draws_every_commune():
    from components.map_layers import point_traces
    fig = carte.figure("demandeurs_emploi", carte.DEFAULT_LAYERS)
    choropleths = [t for t in fig.data if t.type == "choroplethmap"]
    assert len(choropleths) == 1 and len(choropleths[0].locations) == len(geodata.communes())
    assert len(fig.data) == 1 + len(point_traces())
    # hover: the real value (not the clipped colour value) in French, or "donnée absente"
    text = dict(zip(choropleths[0].locations, choropleths[0].text))
    com = geodata.communes().set_index("code_insee")
    strasbourg = com.loc["67482", "demandeurs_emploi"]
    assert text["67482"] == F.num(strasbourg) + "\u00a0pers."
    assert sum(t == "donnée absente" for t in text.values()) == int(com.demandeurs_emploi.isna().sum())


def test_jobseekers_missing_for_small_communes(client):
    _, info, _, _ = change_variable(client, "demandeurs_emploi")
    text = texts(json.dumps(info, ensure_ascii=False))
    n_missing = int(values("demandeurs_emploi").isna().sum())
    assert n_missing > 4500 and f"donnée absente : {F.num(n_missing)} communes sur {F.num(len(values('demandeurs_emploi')))}" in text


def test_unknown_variable_is_refused_without_error(client):
    fig, info, search, _ = change_variable(client, "n'importe quoi")
    assert fig is None and search is None and "inconnu" in info


def test_layer_toggle_hides_layers_and_departements(client):
    ops = _patch_ops(toggle_layers(client, ["acv"]))
    assert ops[f"data.{carte.FIRST_POINT_TRACE}.visible"] is True
    assert all(v == "legendonly" for k, v in ops.items() if k.startswith("data.") and k != f"data.{carte.FIRST_POINT_TRACE}.visible")
    assert ops["layout.map.layers.0.visible"] is False


def test_click_on_commune_or_marker_opens_profile(client):
    def click(point):
        return open_profile(client, "map-graph.clickData", {"map-graph.clickData": {"points": [point]}})
    assert click({"location": "52448"}) == "/ville/52448"
    assert click({"customdata": "88160"}) == "/ville/88160"
    assert click({"location": "99999"}) is None


def test_search_choice_opens_profile(client):
    assert open_profile(client, SEARCH, {SEARCH: "67462"}) == "/ville/67462"


def test_layout_with_bad_variable_shows_french_warning(client):
    status, body = page(client, "/", "?variable=xyz")
    assert status == 200 and "inconnu" in texts(body) and "chômage" in texts(body)


def test_initial_figure_uses_geometry_url_not_inline_geometry():
    fig = carte.figure("population", carte.DEFAULT_LAYERS)
    assert fig.data[carte.CHORO].geojson == "/geodata/communes.geojson"
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


def test_ter_stations_layer_lists_real_stations_and_clicks_open_the_town(client):
    from components.map_layers import layer_frames
    ter = layer_frames()["gares_ter"]
    assert len(ter) > 300 and {"Épinal", "Nancy"} <= {n.split(" ")[0] for n in ter.nom}
    ops = _patch_ops(toggle_layers(client, ["gares_ter"]))
    from components.map_layers import trace_keys
    i = trace_keys().index("gares_ter")
    assert ops[f"data.{carte.FIRST_POINT_TRACE + i}.visible"] is True


@pytest.mark.parametrize("key", list(VARIABLES))
def test_colour_bar_says_what_and_its_unit(key):
    title = carte._choropleth_props(key)["colorbar"]["title"]["text"]
    assert "(" in title and ")" in title and len(title.replace("<br>", " ")) > 8, title
