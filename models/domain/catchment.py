"""Demand within an estimated travel time of a town (its catchment).

Used by the town profile (15/30/45 min) and the ranking (30 min).
Times come from :meth:`Territory.minutes_from` → :func:`models.domain.travel.minutes_between` (estimates, or a routed
matrix when one is installed), so every catchment changes at once.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models.domain.territory import Territory
from models.domain.travel import TravelSettings

WEIGHTS = {
    "population": "Population",
    "pop_1564": "Population 15–64 ans",
    "demandeurs_emploi": "Demandeurs d'emploi",
}
CHUNK_ROWS = 512  # rows of the time matrix computed at once (512 x 5115 float32 ≈ 10 MB)


def demand_vector(weight: str = "population", territory: Territory | None = None) -> np.ndarray:
    """Demand of every commune of the territory (in its order) for ``weight``.

    NaN stays NaN (jobseekers are only known for about 180 communes): callers decide how to say so.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"Pondération inconnue : {weight!r} (attendu : {', '.join(WEIGHTS)})")
    return (territory or Territory.from_geodata()).column(weight)


def populations_within_bands(codes, bands, settings: TravelSettings | None = None, weight: str = "population",
                             territory: Territory | None = None) -> np.ndarray:
    """Demand within each threshold of ``bands`` (minutes, inclusive) of each commune, shape (len(codes), len(bands)).

    One time matrix per chunk of towns serves every threshold; unknown demand (NaN) is left out of the sum.
    """
    territory = territory or Territory.from_geodata()
    codes = [str(c) for c in codes]
    demand = np.nan_to_num(demand_vector(weight, territory), nan=0.0)
    out = np.empty((len(codes), len(bands)))
    for start in range(0, len(codes), CHUNK_ROWS):
        times = territory.minutes_from(codes[start:start + CHUNK_ROWS], settings, dtype=np.float32)
        for k, m in enumerate(bands):
            out[start:start + CHUNK_ROWS, k] = (times <= m) @ demand
    return out


def populations_within(codes, minutes: float, settings: TravelSettings | None = None,
                       weight: str = "population", territory: Territory | None = None) -> pd.Series:
    """Demand within ``minutes`` (estimated) of each commune in ``codes``.

    Parameters
    ----------
    codes : sequence of str
        ``code_insee`` of the towns.
    minutes : float
        Travel-time threshold, inclusive.
    settings : TravelSettings, optional
        Travel model (defaults of :mod:`models.domain.travel`).
    weight : {"population", "pop_1564", "demandeurs_emploi"}
        Demand counted. Communes where it is unknown (NaN) are left out of the sum, not counted as 0.
    territory : Territory, optional
        Default: the region of geodata/ (``Territory.from_geodata()``).

    Returns
    -------
    pandas.Series
        Indexed by ``code_insee`` (input order), float.
    """
    codes = [str(c) for c in codes]
    out = populations_within_bands(codes, [minutes], settings, weight, territory)[:, 0]
    return pd.Series(out, index=pd.Index(codes, name="code_insee"), name=f"{weight}_{minutes:g}min")


def population_within(code_insee: str, minutes: float, settings: TravelSettings | None = None,
                      weight: str = "population", territory: Territory | None = None) -> float:
    """Demand within ``minutes`` (estimated) of one commune; see :func:`populations_within`."""
    return float(populations_within([code_insee], minutes, settings, weight, territory).iloc[0])


def catchment_bands(code_insee: str, minutes=(15, 30, 45), settings: TravelSettings | None = None,
                    weight: str = "population", territory: Territory | None = None) -> dict[float, float]:
    """Demand within each of several thresholds of one commune, e.g. ``{15: …, 30: …, 45: …}``."""
    row = populations_within_bands([code_insee], list(minutes), settings, weight, territory)[0]
    return {m: float(v) for m, v in zip(minutes, row)}


def communes_within(code_insee: str, minutes: float, settings: TravelSettings | None = None,
                    territory: Territory | None = None) -> pd.DataFrame:
    """Communes within ``minutes`` of ``code_insee``: code_insee, nom, population, minutes (nearest first)."""
    territory = territory or Territory.from_geodata()
    times = territory.minutes_from([code_insee], settings)[0]
    mask = times <= minutes
    out = territory.communes.loc[mask, ["code_insee", "nom", "population"]].copy()
    out["minutes"] = times[mask]
    return out.sort_values("minutes").reset_index(drop=True)
