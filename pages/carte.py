"""/ — regional map: commune choropleth, switchable layers, search; a click opens the town profile."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import numpy as np
import plotly.graph_objects as go
from dash import Input, Output, Patch, callback, clientside_callback, dcc, html, no_update

from components import map_base
from components.commune_search import commune_search
from components.graph_config import export_meta, graph_config
from components.map_layers import LAYERS, layer_counts, point_traces, trace_keys
from components.map_scale import scale_for
from components.map_scale import fmt_number
from models.text import fr_format as F
from models.domain.map_variables import DEFAULT_VARIABLE, DENSITE_LABELS, VARIABLES, values
from components.territory import current_territory, region_name

dash.register_page(__name__, path="/", name="Carte", order=0,
                   title="Carte régionale — Atlas Cœur des territoires")

DEPARTEMENTS = "departements"
DEFAULT_LAYERS = ["acv", "cnam_officiel", "cnam_presse", DEPARTEMENTS]  # the subject on; the rest on demand
CHORO = 0  # one choropleth trace: every commune, "donnée absente" in the grey band of its colour scale
FIRST_POINT_TRACE = 1
PATCHED = ("z", "zmin", "zmax", "colorscale", "colorbar", "hovertemplate", "text")  # what a variable change sends


@lru_cache(maxsize=1)
def _customdata():
    """Name and population per commune, for the hover cards (static: built once)."""
    com = current_territory().communes
    return np.column_stack([com.nom + " (" + com.departement + ")", com.population])


def _choropleth_props(key: str) -> dict:
    return scale_for(VARIABLES[key], values(key))


def figure(variable: str, layers: list[str]) -> go.Figure:
    com = current_territory().communes
    props = _choropleth_props(variable)
    fig = go.Figure([
        map_base.choropleth(com.code_insee, props["z"], colorscale=props["colorscale"], zmin=props["zmin"],
                            zmax=props["zmax"], colorbar=props["colorbar"], customdata=_customdata(),
                            hovertemplate=props["hovertemplate"], text=props["text"]),
        *point_traces(set(layers)),
    ])
    fig.update_layout(meta=_export(variable))
    return map_base.base_layout(fig, show_departements=DEPARTEMENTS in layers)


def _export(variable: str) -> dict:
    """What the map's image export says: the variable, its source, the layers' legend."""
    var = VARIABLES[variable]
    return export_meta(f"{var.label} — communes du {region_name()}, villes moyennes et sites du Cnam",
                       f"{var.source} (en gris : donnée absente) ; points : MESR, ANCT, Éducation nationale, SNCF (voir la page Sources)",
                       f"carte_grand_est_{variable}", legend=True)


def _layer_options():
    counts = layer_counts()
    opts = [{"label": html.Span([html.Span("●", style={"color": layer.colour, "fontSize": "1.3em"}), " ",
                                 layer.label, " ", html.Span(f"({counts[layer.key]})", className="layer-count")]),
             "value": layer.key} for layer in LAYERS]
    return opts + [{"label": html.Span([html.Span("▭", style={"fontWeight": "bold"}), " Limites départementales"]),
                    "value": DEPARTEMENTS}]


def layout(variable: str = DEFAULT_VARIABLE, **_query):
    warning = None
    if variable not in VARIABLES:
        warning = dbc.Alert(f"Indicateur « {variable} » inconnu : affichage du taux de chômage de la zone d'emploi.",
                            color="warning", dismissable=True)
        variable = DEFAULT_VARIABLE
    notes = [html.Div(layer.note, className="weak-source") for layer in LAYERS if layer.note]
    panel = html.Div([
        html.H2(f"{region_name()} : villes moyennes et réseau Cnam", className="h4"),
        commune_search("map"),
        html.Label("Colorer les communes selon", className="mt-3 fw-bold"),
        dcc.Dropdown(id="map-variable", value=variable, clearable=False,
                     options=[{"label": v.label, "value": k} for k, v in VARIABLES.items()]),
        html.Div(id="map-variable-source", className="small mt-1", children=variable_info(variable)),
        html.Label("Couches (nombre de points)", className="mt-3 fw-bold", id="map-layers-title"),
        dbc.Checklist(id="map-layers", options=_layer_options(), value=DEFAULT_LAYERS,  # dbc: accessible inputs
                      input_class_name="me-2"),
        html.Label("Fond de carte", className="mt-3 fw-bold"),
        dbc.RadioItems(id="map-style", name="map-style", options=map_base.STYLES, value=map_base.OFFLINE_STYLE,
                       input_class_name="me-2"),
        dbc.Button("Plein écran", id="map-fullscreen", color="secondary", className="mt-3 w-100"),
        html.P("Cliquez sur une commune ou un point pour ouvrir sa fiche.", className="mt-2 small"),
        *notes,
    ], className="map-panel")
    graph = html.Div(dcc.Graph(id="map-graph", figure=figure(variable, DEFAULT_LAYERS), className="atlas-map",
                               style={"height": "calc(100vh - 130px)", "minHeight": "560px"},
                               config=graph_config(scrollZoom=True, responsive=True)),
                     id="map-container", className="map-container", **{"data-fit-bounds": map_base.FIT_BOUNDS})
    # hidden once the communes are painted (assets/09_map_drawn.js); static, not a spinning wheel: an animation
    # over the map makes the software renderer repaint every frame and delays the first draw several seconds
    graph.children = [graph.children, html.Div([html.Span(className="map-loading-icon", **{"aria-hidden": "true"}),
                                                html.Span("Chargement de la carte…")],
                                               className="map-loading", role="status")]
    graph = dcc.Loading(graph, type="circle", delay_show=800)  # later redraws (variable, background)
    return html.Div([
        dcc.Location(id="map-nav", refresh="callback-nav"),
        dcc.Location(id="map-query", refresh=False),
        warning,
        dbc.Row([dbc.Col(panel, lg=3, className="atlas-side-panel"), dbc.Col(graph, lg=9)], className="g-3"),
    ])


def variable_info(key: str) -> list:
    """Source line, count of communes without a value, and class names for the density grid."""
    var, vals = VARIABLES[key], values(key)
    missing = int(vals.isna().sum())
    info = [html.Div(f"Source : {var.source}", className="text-muted"),
            html.Div([html.Span("■", style={"color": map_base.MISSING_COLOUR, "fontSize": "1.4em"}),
                      f" donnée absente : {F.plural(missing, 'commune')} sur {fmt_number(len(vals))}"],
                     id="map-missing-count")]
    if var.categorical:
        info.append(html.Ol([html.Li(label) for label in DENSITE_LABELS.values()], className="mb-0 ps-3"))
    return info


@callback(Output("map-graph", "figure"), Output("map-variable-source", "children"), Output("map-query", "search"),
          Input("map-variable", "value"), prevent_initial_call=True)
def change_variable(variable):
    if variable not in VARIABLES:
        return no_update, "Indicateur inconnu.", no_update
    props = _choropleth_props(variable)
    patch = Patch()
    choro = patch["data"][CHORO]
    for key in PATCHED:
        choro[key] = props[key]
    patch["layout"]["meta"] = _export(variable)
    return patch, variable_info(variable), "?" + urlencode({"variable": variable})


@callback(Output("map-graph", "figure", allow_duplicate=True), Input("map-layers", "value"),
          prevent_initial_call=True)
def toggle_layers(selected):
    selected = set(selected or [])
    patch = Patch()
    for i, key in enumerate(trace_keys()):
        patch["data"][FIRST_POINT_TRACE + i]["visible"] = True if key in selected else "legendonly"
    patch["layout"]["map"]["layers"][0]["visible"] = DEPARTEMENTS in selected
    return patch


@callback(Output("map-graph", "figure", allow_duplicate=True), Input("map-style", "value"),
          prevent_initial_call=True)
def change_style(style):
    if style not in {s["value"] for s in map_base.STYLES}:
        return no_update
    patch = Patch()
    patch["layout"]["map"]["style"] = style
    return patch


@callback(Output("map-nav", "pathname"), Input("map-graph", "clickData"),
          Input({"type": "commune-search", "name": "map"}, "value"), prevent_initial_call=True)
def open_profile(click, searched):
    code = None
    if dash.ctx.triggered_id == "map-graph" and click and click.get("points"):
        point = click["points"][0]
        code = point.get("location") or point.get("customdata")
        if isinstance(code, list):
            code = None
    elif searched:
        code = searched
    if not code or str(code) not in current_territory().index.index:
        return no_update
    return f"/ville/{code}"


clientside_callback(
    """function(n) {
        const el = document.getElementById('map-container');
        if (n && el && el.requestFullscreen) { el.requestFullscreen(); }
        return window.dash_clientside.no_update;
    }""",
    Output("map-fullscreen", "n_clicks"), Input("map-fullscreen", "n_clicks"), prevent_initial_call=True)
