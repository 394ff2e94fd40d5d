"""Demand within an estimated travel time of a town (its catchment).

Used by the town profile (15/30/45 min), the ranking (30 min) and the simulator's plausibility check.
Times come from :func:`models.travel.travel_time_matrix` (estimates), so a real road matrix replacing it
changes every catchment at once.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models.travel import TravelSettings, travel_time_matrix

WEIGHTS = {
    "population": "Population",
    "pop_1564": "Population 15–64 ans",
    "demandeurs_emploi": "Demandeurs d'emploi",
}
CHUNK_ROWS = 512  # rows of the time matrix computed at once (512 x 5115 float32 ≈ 10 MB)


def demand_vector(weight: str = "population") -> np.ndarray:
    """Demand of every commune of ``geodata.communes()`` (in its order) for ``weight``.

    NaN stays NaN (jobseekers are only known for about 180 communes): callers decide how to say so.
    """
    import geodata

    if weight not in WEIGHTS:
        raise ValueError(f"Pondération inconnue : {weight!r} (attendu : {', '.join(WEIGHTS)})")
    return geodata.communes()[weight].to_numpy(dtype=float)


def populations_within(codes, minutes: float, settings: TravelSettings | None = None,
                       weight: str = "population") -> pd.Series:
    """Demand within ``minutes`` (estimated) of each commune in ``codes``.

    Parameters
    ----------
    codes : sequence of str
        ``code_insee`` of the towns.
    minutes : float
        Travel-time threshold, inclusive.
    settings : TravelSettings, optional
        Detour factor and speed (defaults of :mod:`models.travel`).
    weight : {"population", "pop_1564", "demandeurs_emploi"}
        Demand counted. Communes where it is unknown (NaN) are left out of the sum, not counted as 0.

    Returns
    -------
    pandas.Series
        Indexed by ``code_insee`` (input order), float.
    """
    codes = [str(c) for c in codes]
    demand = np.nan_to_num(demand_vector(weight), nan=0.0)
    out = np.empty(len(codes))
    for start in range(0, len(codes), CHUNK_ROWS):
        times = travel_time_matrix(codes[start:start + CHUNK_ROWS], None, settings, dtype=np.float32)
        out[start:start + CHUNK_ROWS] = (times <= minutes) @ demand
    return pd.Series(out, index=pd.Index(codes, name="code_insee"), name=f"{weight}_{minutes:g}min")


def population_within(code_insee: str, minutes: float, settings: TravelSettings | None = None,
                      weight: str = "population") -> float:
    """Demand within ``minutes`` (estimated) of one commune; see :func:`populations_within`."""
    return float(populations_within([code_insee], minutes, settings, weight).iloc[0])


def catchment_bands(code_insee: str, minutes=(15, 30, 45), settings: TravelSettings | None = None,
                    weight: str = "population") -> dict[float, float]:
    """Demand within each of several thresholds of one commune, e.g. ``{15: …, 30: …, 45: …}``."""
    times = travel_time_matrix([code_insee], None, settings)[0]
    demand = np.nan_to_num(demand_vector(weight), nan=0.0)
    return {m: float(demand[times <= m].sum()) for m in minutes}


def communes_within(code_insee: str, minutes: float, settings: TravelSettings | None = None) -> pd.DataFrame:
    """Communes within ``minutes`` of ``code_insee``: code_insee, nom, population, minutes (nearest first)."""
    import geodata

    com = geodata.communes()
    times = travel_time_matrix([code_insee], None, settings)[0]
    mask = times <= minutes
    out = com.loc[mask, ["code_insee", "nom", "population"]].copy()
    out["minutes"] = times[mask]
    return out.sort_values("minutes").reset_index(drop=True)
