"""Partners near a commune: vocational lycées, missions locales, France Services, France Travail, Cnam sites.

Distances are straight-line (great-circle) between town-hall / partner points; times are the estimate of
:func:`models.domain.travel.minutes_between` (the one travel model), labelled "estimé" in the UI.
A partner "dans la commune" is one whose ``code_insee`` is the commune's, whatever its distance.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models.domain.territory import Territory, UnknownCommune  # noqa: F401 (UnknownCommune re-exported)
from models.domain.town_facts import network_sites, partner_layer
from models.domain.travel import TravelSettings, distance_matrix_km, minutes_between

KINDS = {
    "lycees_pro": "Lycées à voie professionnelle",
    "missions_locales": "Missions locales",
    "france_services": "France Services",
    "france_travail": "Agences France Travail",
    "cnam_sites": "Sites du Cnam",
}


def layer(kind: str, territory: Territory | None = None) -> pd.DataFrame:
    """Points of one partner kind with ``commune`` (name of their commune). The Cnam sites are those of the
    current network (:meth:`Territory.current_sites`), each at its own coordinates."""
    if kind not in KINDS:
        raise ValueError(f"Type de partenaire inconnu : {kind!r}")
    territory = territory or Territory.from_geodata()
    if kind == "cnam_sites":
        sites = network_sites(territory)
        return sites if "commune" in sites else sites.assign(commune=sites["code_insee"].map(territory.names))
    return partner_layer(territory, kind)


def commune_row(code_insee) -> pd.Series:
    """The row of the commune; bad or unknown code → :class:`UnknownCommune` (French)."""
    return Territory.from_geodata().row(code_insee)


def partners_near(code_insee: str, kind: str, max_km: float | None = None, n: int | None = None,
                  settings: TravelSettings | None = None) -> pd.DataFrame:
    """Partners of ``kind`` around a commune, nearest first.

    Parameters
    ----------
    code_insee : str
    kind : str
        One of :data:`KINDS`.
    max_km : float, optional
        Keep partners within this straight-line distance (partners in the commune are always kept).
    n : int, optional
        Keep at most ``n`` (after ``max_km``).

    Returns
    -------
    DataFrame
        The layer's columns plus ``distance_km``, ``minutes`` (estimated) and ``dans_la_commune``.
    """
    row = commune_row(code_insee)
    pts = layer(kind)
    lon, lat, codes, names = _columns(pts)
    d = distance_matrix_km(np.atleast_1d(row.lon), np.atleast_1d(row.lat), lon, lat)[0]
    inside = codes == row.code_insee
    keep = np.ones(len(d), bool) if max_km is None else (d <= max_km) | inside
    idx = np.flatnonzero(keep)
    idx = idx[np.lexsort((names[idx], d[idx]))]  # nearest first, then by name
    if n is not None:
        idx = idx[:n]
    minutes = minutes_between([row.lon], [row.lat], lon[idx], lat[idx], settings)[0] if len(idx) else []
    return pts.iloc[idx].reset_index(drop=True).assign(distance_km=d[idx], minutes=minutes,
                                                      dans_la_commune=inside[idx])


_ARRAYS_CACHE: dict = {}


def _columns(pts: pd.DataFrame) -> tuple:
    """Longitude, latitude, commune code and name of a layer's points as numpy arrays, kept per layer object (the
    layers are built once; a network's sites are a new frame at each edit)."""
    hit = _ARRAYS_CACHE.get(id(pts))
    if hit is None or hit[0] is not pts:
        if len(_ARRAYS_CACHE) > 64:
            _ARRAYS_CACHE.clear()
        hit = _ARRAYS_CACHE[id(pts)] = (pts, pts["lon"].to_numpy(float), pts["lat"].to_numpy(float),
                                   pts["code_insee"].to_numpy(str), pts["nom"].to_numpy(str))
    return hit[1:]
