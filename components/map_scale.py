"""Colour scale of a choropleth variable: z values, colorscale, colour bar and hover text (French formats).

Dark = high value (more people, more unemployment, farther from the Cnam), except income where dark = low.

One trace draws every commune: a commune without a value gets the grey "donnée absente" colour from a band
below the scale (``MISSING_BAND`` of the colour scale, too thin to show on the colour bar), and the hover card
reads a French text per commune (the value with its unit, or "donnée absente"), since the colour values are
clipped to the scale's range.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from plotly.colors import get_colorscale, sample_colorscale

from components.map_base import MISSING_COLOUR
from models.text import fr_format as F
from models.domain.map_variables import DENSITE_LABELS, MapVariable

SEQUENTIAL = "Cividis"  # colour-blind safe, prints in grey
MISSING_BAND = 0.001       # share of the colour scale below the values, for the communes without one
COLORBAR_TITLES = {  # short: the colour bar is narrow; the full label and source are beside the map
    "population": "Population<br>(hab.)", "densite": "Densité<br>(classe)", "chomage_ze": "Chômage ZE<br>(%)",
    "demandeurs_emploi": "Demandeurs<br>d'emploi (pers.)", "taux_pauvrete": "Pauvreté<br>(%)",
    "revenu_median": "Revenu médian<br>(€ / UC)", "temps_cnam_min": "Temps<br>au Cnam (min)",
}


def fmt_number(v: float, decimals: int = 0) -> str:
    """French number format: 12 345,6."""
    return F.num(v, decimals)


def _nice_log_ticks(lo: float, hi: float) -> list[float]:
    ticks = [m * 10 ** e for e in range(0, 8) for m in (1, 2, 5)]
    return [t for t in ticks if lo <= t <= hi]


def _scale(var: MapVariable, values: pd.Series) -> dict:
    """Colour values, range, colour scale, colour bar and hover template of ``values`` (NaN stay NaN)."""
    v = values.to_numpy(dtype=float)
    present = v[~np.isnan(v)]
    title = COLORBAR_TITLES.get(var.key, f"{var.label}<br>({var.unit})")  # what and in which unit
    head = "<b>%{customdata[0]}</b><br>Population : %{customdata[1]:,.0f} hab.<br>"
    tail = "<br><i>cliquer pour ouvrir la fiche</i><extra></extra>"
    hover = head + ("Densité" if var.categorical else var.label) + " : %{text}" + tail  # text: French value
    if var.categorical:
        cats = list(DENSITE_LABELS)
        n = len(cats)
        cols = sample_colorscale(SEQUENTIAL, [i / (n - 1) for i in range(n)])
        scale = []
        for i, c in enumerate(cols):
            scale += [[i / n, c], [(i + 1) / n, c]]
        return {"z": np.round(v, 0), "reversescale": False, "zmin": 0.5, "zmax": n + 0.5, "colorscale": scale,
                "colorbar": {"title": {"text": title}, "tickvals": cats, "ticktext": [str(k) for k in cats]},
                "hovertemplate": hover}
    if var.log_scale:
        with np.errstate(divide="ignore"):
            z = np.log10(np.clip(v, 1, None))
        ticks = _nice_log_ticks(present.min() if present.size else 1, present.max() if present.size else 10)
        return {"z": np.round(z, 3), "zmin": float(np.nanmin(z)) if present.size else 0,
                "zmax": float(np.nanmax(z)) if present.size else 1, "colorscale": SEQUENTIAL, "reversescale": True,
                "colorbar": {"title": {"text": title + "<br>échelle log."}, "tickvals": np.log10(ticks).round(4),
                             "ticktext": [fmt_number(t) for t in ticks]},
                "hovertemplate": hover}
    lo, hi = (np.percentile(present, [2, 98]) if present.size else (0, 1))
    return {"z": np.round(v, max(var.decimals, 1)), "zmin": float(lo), "zmax": float(hi),
            "colorscale": SEQUENTIAL, "reversescale": not var.reverse, "colorbar": {"title": {"text": title}},
            "hovertemplate": hover}


def _explicit(colorscale, reverse: bool) -> list[list]:
    """A named or explicit colour scale as ``[[position, colour], ...]``, reversed if asked."""
    scale = get_colorscale(colorscale) if isinstance(colorscale, str) else [list(s) for s in colorscale]
    if reverse:
        scale = [[round(1 - p, 10), c] for p, c in reversed(scale)]
    return scale


def _hover_text(var: MapVariable, v: np.ndarray) -> list[str]:
    unit = f"\u00a0{var.unit}" if var.unit and var.unit != "classe" else ""
    if var.categorical:
        return ["donnée absente" if np.isnan(x) else f"classe {x:.0f}" for x in v]
    return ["donnée absente" if np.isnan(x) else F.num(x, var.decimals) + unit for x in v]


def scale_for(var: MapVariable, values: pd.Series) -> dict:
    """Everything the one choropleth trace needs for ``values``: ``z`` (colour values, clipped to the scale; a
    commune without a value sits at ``zmin``, in the grey band), ``zmin``, ``zmax``, ``colorscale`` (explicit,
    grey band first), ``colorbar``, ``text`` (French value per commune) and ``hovertemplate``; ``missing`` is the
    boolean mask of the communes without a value."""
    props = _scale(var, values)
    lo, hi = float(props["zmin"]), float(props["zmax"])
    if hi <= lo:
        hi = lo + 1
    v = values.to_numpy(dtype=float)
    missing = np.isnan(v)
    band = (hi - lo) * MISSING_BAND / (1 - MISSING_BAND)
    floor = lo - band
    scale = _explicit(props["colorscale"], props.get("reversescale", False))
    edge = MISSING_BAND / 2  # grey up to half the band: the lowest value (at MISSING_BAND) stays clear of it
    scale = [[0.0, MISSING_COLOUR], [edge, MISSING_COLOUR]] + [[edge + (1 - edge) * p, c] for p, c in scale]
    z = np.clip(np.asarray(props["z"], dtype=float), lo, hi)
    z[missing] = floor
    return {"z": z, "zmin": floor, "zmax": hi, "colorscale": scale, "reversescale": False,
            "colorbar": props["colorbar"], "text": _hover_text(var, v), "missing": missing,
            "hovertemplate": props["hovertemplate"]}
