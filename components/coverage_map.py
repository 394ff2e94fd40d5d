"""Coverage map: communes coloured by estimated time to the nearest site, uncovered ones veiled, sites on top.

The commune geometry comes from the shared GeoJSON URL (:mod:`components.map_base`); a threshold change only
patches the veil's locations, a network or travel-model change patches the times. After an optimisation the
map shows the proposed network (existing + proposed sites).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import map_base
from components.data_routes import COMMUNES_URL
from components.graph_config import export_meta
from components.territory import current_territory

TIME_MAX = 90  # minutes: top of the colour scale (farther communes share the darkest colour)
UNCOVERED_COLOUR = "#D55E00"  # Okabe–Ito vermilion: uncovered communes are filled with it, opaque, so the legend's
UNCOVERED_FILL = UNCOVERED_COLOUR  # swatch is exactly the colour on the map (a veil would blend with the time colour)
TRACE_TIME, TRACE_UNCOVERED, TRACE_SITES = range(3)
# One point trace for every site: a trace that starts empty keeps its map layer under the communes when it
# later receives points, so existing, proposed, selected sites and candidates share one always non-empty trace.
# Colour AND shape tell the roles apart (checked with a deuteranopia simulation): existing sites are black
# circles with a white ring; proposed sites get a dark-blue diamond with a white outline, their rank and name
# (drawn over the map as HTML links by assets/coverage_labels.js, so they render offline and open /ville).
SITE_STYLES = {  # role → (legend label, colour, size, legend symbol)
    "reseau": ("Site Cnam du réseau", "#000000", 13, "●"),
    "propose": ("Site proposé (rang)", "#08306B", 13, "◆"),
    "selection": ("Ma sélection", "#CC79A7", 13, "●"),
    "candidat": ("Candidat non retenu", "#6B6B6B", 8, "●"),
}
HALO = 4  # white ring around existing, proposed and selected sites (px added to the marker)


def time_values(times: np.ndarray) -> list:
    """Minutes rounded to 0.1, NaN for no site at all (sent as null)."""
    t = np.round(np.asarray(times, float), 1)
    return [None if not np.isfinite(v) else float(v) for v in t]


def hover_names(nearest_names) -> np.ndarray:
    """customdata of the time trace: "commune (dép.)" and the name of its nearest site."""
    com = current_territory().communes
    near = pd.Series(list(nearest_names)).fillna("—").to_numpy()
    return np.column_stack([(com["nom"] + " (" + com["departement"] + ")").to_numpy(), near])


def _points(role: str, codes, ranks=None, sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """Points of one role: lon, lat, code_insee, name, rank (sites at their coordinates, towns at the town hall)."""
    if sites is not None:
        df = pd.DataFrame({"lon": sites["lon"], "lat": sites["lat"], "code_insee": sites["code_insee"],
                           "nom": sites.get("commune", sites["nom"])})
    else:
        com = current_territory().communes.set_index("code_insee")
        codes = [c for c in codes if c in com.index]
        df = pd.DataFrame({"lon": com.loc[codes, "lon"].to_numpy(), "lat": com.loc[codes, "lat"].to_numpy(),
                           "code_insee": codes, "nom": com.loc[codes, "nom"].to_numpy()})
    df["role"] = role
    df["rang"] = list(ranks) if ranks is not None else [""] * len(df)
    return df


def site_arrays(network: pd.DataFrame | None = None, proposed=(), selection=(), candidates=()) -> dict:
    """lon, lat, text, customdata ([code, role, rank, name]), colours and sizes of every marker.

    Drawing order: candidates, then white rings, then existing, selected and proposed sites on top.
    """
    network = network if network is not None else pd.DataFrame(columns=["lon", "lat", "code_insee", "nom"])
    taken = set(network["code_insee"]) | set(proposed)
    parts = [_points("candidat", [c for c in candidates if c not in taken | set(selection)]),
             _points("reseau", (), sites=network),
             _points("selection", [c for c in selection if c not in taken]),
             _points("propose", list(proposed), ranks=range(1, len(proposed) + 1))]
    pts = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    ring = pts[pts["role"] != "candidat"]
    out = {"lon": [], "lat": [], "text": [], "customdata": [], "color": [], "size": []}
    for df, halo in ((pts[pts["role"] == "candidat"], False), (ring, True), (ring, False)):
        for r in df.itertuples():
            label, colour, size, _ = SITE_STYLES[r.role]
            out["lon"].append(float(r.lon))
            out["lat"].append(float(r.lat))
            rank = f" n° {r.rang}" if r.rang != "" else ""
            out["text"].append(f"{r.nom} — {label.split(' (')[0].lower()}{rank}")
            out["customdata"].append([r.code_insee, r.role, str(r.rang), r.nom])
            out["color"].append("#FFFFFF" if halo else colour)
            out["size"].append(size + HALO if halo else size)
    return out


def site_trace(**roles) -> go.Scattermap:
    a = site_arrays(**roles)
    return go.Scattermap(lon=a["lon"], lat=a["lat"], text=a["text"], customdata=a["customdata"], mode="markers",
                         name="Sites (voir légende)", showlegend=False,
                         marker={"size": a["size"], "color": a["color"], "opacity": 1},
                         hovertemplate="<b>%{text}</b><br>clic : fiche de la ville<extra></extra>")


def legend_items(minutes: float = 30, optimised: bool = False):
    """HTML legend over the map (top left): site roles and the uncovered veil."""
    from dash import html

    roles = ["reseau", "propose", "candidat"] if optimised else ["reseau", "candidat"]
    items = [html.Div([html.Span(SITE_STYLES[r][3], className=f"cov-legend-symbol cov-legend-{r}",
                                 style={"color": SITE_STYLES[r][1]}), SITE_STYLES[r][0]]) for r in roles]
    items.append(html.Div([html.Span(className="cov-legend-veil", style={"background": UNCOVERED_FILL,
                                                                          "borderColor": UNCOVERED_COLOUR}),
                           f"Commune à plus de {minutes:g} min d'un site"]))
    return html.Div(items, className="cov-legend", id="cov-legend")


def uncovered_trace(uncovered_codes, minutes: float) -> go.Choroplethmap:
    return go.Choroplethmap(
        geojson=COMMUNES_URL, featureidkey="id", locations=list(uncovered_codes), z=[1] * len(uncovered_codes),
        colorscale=[[0, UNCOVERED_FILL], [1, UNCOVERED_FILL]], showscale=False,
        marker={"line": {"width": 0.4, "color": UNCOVERED_COLOUR}, "opacity": 1}, hoverinfo="skip",
        name=f"Commune non couverte (> {minutes:g} min)", showlegend=True)


def coverage_figure(result, nearest_names, **roles) -> go.Figure:
    """The full figure (sent once); later changes are patches (see ``components.coverage_view``)."""
    com = current_territory().communes
    time_trace = map_base.choropleth(
        com["code_insee"], time_values(result.times), colorscale="Cividis", zmin=0, zmax=TIME_MAX,
        colorbar={"title": {"text": "Temps estimé<br>jusqu'au site<br>le plus proche (min)"},
                  "tickvals": [0, 15, 30, 45, 60, 75, 90], "ticktext": ["0", "15", "30", "45", "60", "75", "≥ 90"]},
        customdata=hover_names(nearest_names),
        hovertemplate="<b>%{customdata[0]}</b><br>≈ %{z:.0f} min (estimé) du site le plus proche : "
                      "%{customdata[1]}<extra></extra>")
    time_trace.reversescale = True  # dark = far
    fig = go.Figure([time_trace, uncovered_trace(result.uncovered_codes, result.minutes), site_trace(**roles)])
    map_base.base_layout(fig, uirevision="couverture", zoom=6.2)
    fig.update_layout(meta=export_meta(
        "Couverture du réseau Cnam : temps estimé jusqu'au site le plus proche (au-delà du seuil : vermillon)",
        "temps estimés par le modèle calibré de l'atlas ; INSEE, populations légales 2021 ; sites : MESR 2017, presse",
        "couverture_reseau_cnam", legend=True))
    return fig  # legend: HTML over the map (legend_items), so it never falls below the screen
