"""Colour scale of a choropleth variable: z values, colorscale, colour bar and hover text (French formats).

Dark = high value (more people, more unemployment, farther from the Cnam), except income where dark = low.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models import fr_format as F
from models.map_variables import DENSITE_LABELS, MapVariable

SEQUENTIAL = "Cividis"  # colour-blind safe, prints in grey
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


def scale_for(var: MapVariable, values: pd.Series) -> dict:
    """Everything the choropleth trace needs for ``values``; NaN stay NaN (drawn as "donnée absente")."""
    v = values.to_numpy(dtype=float)
    present = v[~np.isnan(v)]
    unit = f" {var.unit}" if var.unit and var.unit != "classe" else ""
    title = COLORBAR_TITLES.get(var.key, f"{var.label}<br>({var.unit})")  # what and in which unit
    hover_value = f"%{{z:,.{var.decimals}f}}{unit}"
    head = "<b>%{customdata[0]}</b><br>Population : %{customdata[1]:,.0f} hab.<br>"
    tail = "<br><i>cliquer pour ouvrir la fiche</i><extra></extra>"
    if var.categorical:
        cats = list(DENSITE_LABELS)
        n = len(cats)
        from plotly.colors import sample_colorscale
        cols = sample_colorscale(SEQUENTIAL, [i / (n - 1) for i in range(n)])
        scale = []
        for i, c in enumerate(cols):
            scale += [[i / n, c], [(i + 1) / n, c]]
        return {"z": np.round(v, 0), "reversescale": False, "zmin": 0.5, "zmax": n + 0.5, "colorscale": scale,
                "colorbar": {"title": {"text": title}, "tickvals": cats, "ticktext": [str(k) for k in cats]},
                "hovertemplate": head + "Densité : classe %{z:.0f}" + tail}
    if var.log_scale:
        with np.errstate(divide="ignore"):
            z = np.log10(np.clip(v, 1, None))
        ticks = _nice_log_ticks(present.min() if present.size else 1, present.max() if present.size else 10)
        source_col = {"population": 1, "demandeurs_emploi": 2}.get(var.key)
        hover = (f"%{{customdata[{source_col}]:,.0f}}{unit}" if source_col else "%{z:.2f} (log)")
        return {"z": np.round(z, 3), "zmin": float(np.nanmin(z)) if present.size else 0,
                "zmax": float(np.nanmax(z)) if present.size else 1, "colorscale": SEQUENTIAL, "reversescale": True,
                "colorbar": {"title": {"text": title + "<br>échelle log."}, "tickvals": np.log10(ticks).round(4),
                             "ticktext": [fmt_number(t) for t in ticks]},
                "hovertemplate": head + f"{var.label} : {hover}" + tail}
    lo, hi = (np.percentile(present, [2, 98]) if present.size else (0, 1))
    return {"z": np.round(v, max(var.decimals, 1)), "zmin": float(lo), "zmax": float(hi),
            "colorscale": SEQUENTIAL, "reversescale": not var.reverse, "colorbar": {"title": {"text": title}},
            "hovertemplate": head + f"{var.label} : {hover_value}" + tail}
