"""Coverage map: communes coloured by estimated time to the nearest site, uncovered ones outlined, sites on top.

The commune geometry comes from the shared GeoJSON URL (:mod:`components.map_base`); a threshold change only
patches the outline trace's locations, a network or speed change patches the times.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import geodata
from components import map_base
from components.data_routes import COMMUNES_URL

TIME_MAX = 90  # minutes: top of the colour scale (farther communes share the darkest colour)
UNCOVERED_COLOUR = "#D55E00"  # Okabe–Ito vermilion: uncovered communes get a translucent vermilion veil
UNCOVERED_FILL = "rgba(213, 94, 0, 0.35)"
TRACE_TIME, TRACE_UNCOVERED, TRACE_SITES = range(3)
# One point trace for every site: a trace that starts empty keeps its map layer under the communes when it
# later receives points, so the current, proposed and selected sites share one always non-empty trace.
SITE_STYLES = {  # role → (label, colour, size)
    "reseau": ("Réseau actuel", "#000000", 15),
    "propose": ("Site proposé (optimisation)", "#E69F00", 17),
    "selection": ("Ma sélection", "#0072B2", 14),
}


def time_values(times: np.ndarray) -> list:
    """Minutes rounded to 0.1, NaN for no site at all (sent as null)."""
    t = np.round(np.asarray(times, float), 1)
    return [None if not np.isfinite(v) else float(v) for v in t]


def hover_names(nearest: np.ndarray) -> np.ndarray:
    com = geodata.communes()
    names = pd.Series(com["nom"].to_numpy(), index=com["code_insee"].to_numpy())
    near = pd.Series(nearest).map(names).fillna("—").to_numpy()
    return np.column_stack([(com["nom"] + " (" + com["departement"] + ")").to_numpy(), near])


def site_points(codes) -> dict:
    """lon, lat, text of the town halls of ``codes`` (sites are placed at their commune's town hall)."""
    com = geodata.communes().set_index("code_insee")
    codes = [c for c in codes if c in com.index]
    sub = com.loc[codes]
    return {"lon": sub["lon"].tolist(), "lat": sub["lat"].tolist(), "text": sub["nom"].tolist()}


def site_arrays(network=(), optimised=(), selection=()) -> dict:
    """lon, lat, text, marker colours and sizes of every site marker (network first, then proposals)."""
    out = {"lon": [], "lat": [], "text": [], "color": [], "size": []}
    seen = set()
    for role, codes in (("reseau", network), ("propose", optimised), ("selection", selection)):
        label, colour, size = SITE_STYLES[role]
        codes = [c for c in codes if c not in seen]
        seen.update(codes)
        pts = site_points(codes)
        out["lon"] += pts["lon"]
        out["lat"] += pts["lat"]
        out["text"] += [f"{name} — {label}" for name in pts["text"]]
        out["color"] += [colour] * len(pts["lon"])
        out["size"] += [size] * len(pts["lon"])
    return out


def site_trace(network=(), optimised=(), selection=()) -> go.Scattermap:
    a = site_arrays(network, optimised, selection)
    return go.Scattermap(lon=a["lon"], lat=a["lat"], text=a["text"], mode="markers", name="Sites (voir légende)",
                         marker={"size": a["size"], "color": a["color"], "opacity": 0.95}, showlegend=False,
                         hovertemplate="<b>%{text}</b><extra></extra>")


def patch_sites(patch, network=(), optimised=(), selection=()) -> None:
    """Write the site markers into a ``dash.Patch`` of the figure."""
    a = site_arrays(network, optimised, selection)
    trace = patch["data"][TRACE_SITES]
    for key in ("lon", "lat", "text"):
        trace[key] = a[key]
    trace["marker"]["color"] = a["color"]
    trace["marker"]["size"] = a["size"]


def legend_items():
    """HTML legend of the site markers (the map legend only shows the uncovered veil)."""
    from dash import html

    return html.Div([html.Span([html.Span("●", style={"color": colour, "fontSize": "1.4em"}), f" {label}"],
                               className="me-3") for label, colour, _ in SITE_STYLES.values()],
                    className="small mt-1")


def uncovered_trace(uncovered_codes, minutes: float) -> go.Choroplethmap:
    return go.Choroplethmap(
        geojson=COMMUNES_URL, featureidkey="id", locations=list(uncovered_codes), z=[1] * len(uncovered_codes),
        colorscale=[[0, UNCOVERED_FILL], [1, UNCOVERED_FILL]], showscale=False,
        marker={"line": {"width": 0.4, "color": UNCOVERED_COLOUR}}, hoverinfo="skip",
        name=f"Commune non couverte (> {minutes:g} min)", showlegend=True)


def coverage_figure(result, network_codes, optimised=(), selection=()) -> go.Figure:
    """The full figure (sent once); later changes go through :func:`patch_*` helpers of the page."""
    com = geodata.communes()
    time_trace = map_base.choropleth(
        com["code_insee"], time_values(result.times), colorscale="Cividis", zmin=0, zmax=TIME_MAX,
        colorbar={"title": {"text": "Temps estimé<br>jusqu'au site<br>le plus proche (min)"},
                  "tickvals": [0, 15, 30, 45, 60, 75, 90], "ticktext": ["0", "15", "30", "45", "60", "75", "≥ 90"]},
        customdata=hover_names(result.nearest),
        hovertemplate="<b>%{customdata[0]}</b><br>≈ %{z:.0f} min (estimé) du site le plus proche : "
                      "%{customdata[1]}<extra></extra>")
    time_trace.reversescale = True  # dark = far
    fig = go.Figure([time_trace, uncovered_trace(result.uncovered_codes, result.minutes),
                     site_trace(network_codes, optimised, selection)])
    map_base.base_layout(fig, uirevision="couverture", zoom=6.2)
    fig.update_layout(showlegend=True)  # this map's legend: veil and site markers
    pass  # département outlines above communes, below sites
    return fig
