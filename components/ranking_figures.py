"""Figures of the ranking page: the score explained as stacked contributions, and the ranks on a small map.

Colours: one per criterion, grouped by theme (Okabe-Ito hues, colour-blind-safe); the map's score scale is
Viridis. Large fonts for the projector.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.map_base import FONT, base_layout
from models.scoring import CRITERIA

BAR_TOWNS = 30  # the contribution chart shows the first 30 towns (the table has them all)
# Colours by theme (Okabe-Ito hues, colour-blind-safe), shades within a theme: population (blues), distance to
# the Cnam network (reddish purple), partners (greens), needs (oranges).
CRITERION_COLOURS = {
    "population": "#0b4f7c", "population_30min": "#0072B2", "densite": "#7fb8e0",
    "minutes_site_cnam": "#CC79A7",
    "lycees_pro_ville": "#00664a", "lycees_pro_20km": "#009E73", "mission_locale": "#5cc4a4", "services_emploi": "#a8e0cd",
    "chomage_ze": "#8c3b00", "demandeurs_emploi": "#D55E00", "recrutements_difficiles": "#E69F00",
    "taux_pauvrete": "#f3cc7a",
}


def _label(row) -> str:
    return f"{int(row.rang)}. {row.nom}" + (" *" if row.manquants else "")


def contributions_figure(ranked: pd.DataFrame, raw: pd.DataFrame | None = None) -> go.Figure:
    """Horizontal stacked bars: per town (best at the top), the points each criterion brings to its score.

    Parameters
    ----------
    ranked : DataFrame
        Output of :meth:`models.scoring.CriteriaTable.rank` (sorted by rank).
    raw : DataFrame, optional
        Raw criteria indexed by ``code_insee``, shown on hover.
    """
    top = ranked.head(BAR_TOWNS)
    labels = [_label(r) for r in top.itertuples()]
    fig = go.Figure()
    for c in sorted(CRITERIA, key=lambda c: list(CRITERION_COLOURS).index(c.key)):  # by theme
        contrib = top[f"contrib_{c.key}"].to_numpy(dtype=float)
        if np.all(np.nan_to_num(contrib) == 0):
            continue  # weight 0 or nothing to add: no empty legend entry
        values = raw[c.key].reindex(top["code_insee"]).to_numpy(dtype=float) if raw is not None else contrib
        shown = ["inconnu" if np.isnan(v) else f"{v:,.1f}".replace(",", "\u202f").replace(".", ",").removesuffix(",0")
                 for v in values]
        fig.add_bar(y=labels, x=np.nan_to_num(contrib), orientation="h", name=c.label.split(" (")[0],
                    marker_color=CRITERION_COLOURS[c.key], customdata=shown,
                    hovertemplate=f"<b>%{{y}}</b><br>{c.label}<br>valeur : %{{customdata}} {c.unit}"
                                  "<br>apport : %{x:.1f} pts<extra></extra>")
    fig.update_layout(
        barmode="stack", height=140 + 30 * len(top), margin={"l": 10, "r": 10, "t": 10, "b": 40},
        font=FONT, separators=", ", plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        xaxis={"title": "Score (points sur 100)", "range": [0, 100], "gridcolor": "#e5e5e5"},
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 15}},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "font": {"size": 14},
                "traceorder": "normal"},
        hoverlabel={"font": {"size": 15}}, uirevision="bars",
    )
    fig.update_layout(legend={"y": 1.0, "yanchor": "bottom"}, margin={"t": 10 + 26 * 3})
    return fig


def map_figure() -> go.Figure:
    """Empty small map of the candidates (filled by :func:`map_data`, sent as a Patch)."""
    fig = go.Figure(go.Scattermap(
        lon=[], lat=[], mode="markers+text", text=[], textposition="top right",
        textfont={"size": 14, "color": "#111111"},
        marker={"size": 16, "color": [], "colorscale": "Viridis", "cmin": 0, "cmax": 100, "opacity": 0.95,
                "colorbar": {"title": {"text": "Score"}, "thickness": 14, "len": 0.7, "x": 0.99, "xanchor": "right",
                             "bgcolor": "rgba(255,255,255,0.85)"}},
        customdata=[], hovertemplate="<b>%{customdata[0]}</b><br>rang %{text} · score %{customdata[1]}<extra></extra>",
        name="villes candidates", showlegend=False))
    base_layout(fig, zoom=5.75, uirevision="classement")
    fig.update_layout(height=460)
    return fig


def map_data(ranked: pd.DataFrame, points: pd.DataFrame) -> dict:
    """Trace values of the map for ``ranked`` (``points``: lon/lat indexed by ``code_insee``)."""
    pts = points.reindex(ranked["code_insee"])
    score = ranked["score"].to_numpy(dtype=float)
    return {
        "lon": pts["lon"].round(5).tolist(), "lat": pts["lat"].round(5).tolist(),
        "text": [str(r) for r in ranked["rang"]],
        "color": [None if np.isnan(s) else round(float(s), 1) for s in score],
        "customdata": [[n, "n.d." if np.isnan(s) else f"{s:.1f}".replace(".", ",")]
                       for n, s in zip(ranked["nom"], score)],
    }
