"""Figures of the ranking page: the score explained as stacked contributions, and the ranks on a small map.

Colours: one per criterion, grouped by theme (Okabe-Ito hues, colour-blind-safe); the map's score scale is
Viridis. Large fonts for the projector.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.map_base import FONT, base_layout
from models.text import fr_format as F
from models.domain.scoring import CRITERIA, KEYS, cached_table

BAR_TOWNS = 30  # the contribution chart shows the first 30 towns (the table has them all)
# Colours by theme (Okabe-Ito hues, colour-blind-safe), shades within a theme: population (blues), distance to
# the Cnam network (reddish purple), partners (greens), needs (oranges).
CRITERION_COLOURS = {
    "population": "#0b4f7c", "apprenants_nets": "#0072B2", "densite": "#7fb8e0",
    "minutes_site_cnam": "#CC79A7", "gare_km": "#56B4E9", "enseignement_superieur": "#6a3d9a",
    "lycees_pro_ville": "#00664a", "lycees_pro_20km": "#009E73", "mission_locale_km": "#5cc4a4", "services_emploi": "#a8e0cd",
    "chomage_ze": "#8c3b00", "demandeurs_emploi": "#D55E00", "recrutements_difficiles": "#E69F00",
    "taux_pauvrete": "#f3cc7a",
}


@lru_cache(maxsize=32)
def _hover_values(codes: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Raw criteria formatted in French for the hover, per criterion (same order as ``codes``)."""
    table = cached_table(codes).table
    out = {}
    for c in CRITERIA:
        decimals = 1 if c.unit in ("%", "min") else 0  # learners, people, sites: whole numbers
        out[c.key] = np.array(["inconnu" if np.isnan(v) else F.num(v, decimals)
                               for v in table[c.key].to_numpy(dtype=float)], dtype=object)
    return out


def contributions_figure(ranked: pd.DataFrame, codes: tuple[str, ...] | None = None) -> dict:
    """Horizontal stacked bars: per town (best at the top), the points each criterion brings to its score.

    Returned as a plain figure dict: building ``go.Figure`` objects (validation of every property) would cost
    more than the whole re-ranking.

    Parameters
    ----------
    ranked : DataFrame
        Output of :meth:`models.domain.scoring.CriteriaTable.rank` (sorted by rank).
    codes : tuple of str, optional
        The candidate set (as given to :func:`models.domain.scoring.cached_table`): raw values shown on hover.
    """
    top = ranked.head(BAR_TOWNS)
    labels = [f"{r}. {n}" + (" *" if m else "") for r, n, m in zip(top["rang"], top["nom"], top["manquants"])]
    contrib = np.nan_to_num(top[[f"contrib_{k}" for k in KEYS]].to_numpy(dtype=float))
    hover = None
    if codes is not None:
        position = {c: i for i, c in enumerate(codes)}
        rows = [position[c] for c in top["code_insee"]]
        hover = {k: v[rows].tolist() for k, v in _hover_values(codes).items()}
    traces = []
    for c in sorted(CRITERIA, key=lambda c: list(CRITERION_COLOURS).index(c.key)):  # by theme
        x = contrib[:, KEYS.index(c.key)]
        if not x.any():
            continue  # weight 0 or nothing to add: no empty legend entry
        traces.append({
            "type": "bar", "orientation": "h", "y": labels, "x": np.round(x, 3).tolist(),
            "name": c.label.split(" (")[0], "marker": {"color": CRITERION_COLOURS[c.key]},
            "customdata": hover[c.key] if hover else None,
            "hovertemplate": f"<b>%{{y}}</b><br>{c.label}<br>" + ("valeur : %{customdata} " + c.unit + "<br>"
                                                                  if hover else "")
                             + "apport : %{x:.1f} pts<extra></extra>"})
    layout = {
        "barmode": "stack", "height": 140 + 30 * len(top) + 80, "margin": {"l": 10, "r": 10, "t": 90, "b": 40},
        "font": FONT, "separators": ", ", "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
        "xaxis": {"title": {"text": "Score (points sur 100)"}, "range": [0, 100], "gridcolor": "#e5e5e5"},
        "yaxis": {"autorange": "reversed", "automargin": True, "tickfont": {"size": 15}},
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 14},
                   "traceorder": "normal"},
        "hoverlabel": {"font": {"size": 15}}, "uirevision": "bars",
    }
    return {"data": traces, "layout": layout}


def map_figure() -> go.Figure:
    """Empty small map of the candidates (filled by :func:`map_data`, sent as a Patch)."""
    fig = go.Figure(go.Scattermap(
        # markers only: MapLibre would fetch text glyphs from an outside font server (offline, issue 11);
        # the rank is in the hover and in the table beside the map
        lon=[], lat=[], mode="markers", text=[],
        marker={"size": 16, "color": [], "colorscale": "Viridis", "cmin": 0, "cmax": 100, "opacity": 0.95,
                "colorbar": {"title": {"text": "Score"}, "thickness": 14, "len": 0.7, "x": 0.99, "xanchor": "right",
                             "bgcolor": "rgba(255,255,255,0.85)"}},
        customdata=[], hovertemplate="<b>%{customdata[0]}</b><br>rang %{text} · score %{customdata[1]}<extra></extra>",
        name="villes candidates", showlegend=False))
    base_layout(fig, zoom=6.25, uirevision="classement")
    fig.update_layout(height=560)
    return fig


def map_data(ranked: pd.DataFrame, codes: tuple[str, ...], points: bool = True) -> dict:
    """Trace values of the map, in candidate order (``codes``), so that a weight change only resends the
    colours and labels; ``points=False`` leaves out lon/lat (unchanged while the candidates are)."""
    by_code = ranked.set_index("code_insee")
    score = by_code["score"].reindex(list(codes)).to_numpy(dtype=float)
    rang = by_code["rang"].reindex(list(codes)).tolist()
    out = {
        "text": [str(r) for r in rang],
        "color": [None if np.isnan(s) else round(float(s), 1) for s in score],
        "customdata": [[n, "n.d." if np.isnan(s) else F.num(s, 1)]
                       for n, s in zip(by_code["nom"].reindex(list(codes)).tolist(), score)],
    }
    if points:
        table = cached_table(codes).table
        out["lon"] = table["lon"].to_numpy(dtype=float).round(5).tolist()
        out["lat"] = table["lat"].to_numpy(dtype=float).round(5).tolist()
    return out
