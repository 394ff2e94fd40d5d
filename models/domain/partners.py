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
    current network (:func:`models.stores.network.current_network`), each at its own coordinates."""
    if kind not in KINDS:
        raise ValueError(f"Type de partenaire inconnu : {kind!r}")
    territory = territory or Territory.from_geodata()
    if kind == "cnam_sites":
        sites = network_sites()
        return sites if "commune" in sites else sites.assign(commune=sites["code_insee"].map(territory.names))
    return partner_layer(territory, kind)


def commune_row(code_insee) -> pd.Series:
    """The row of the commune; bad or unknown code → :class:`UnknownCommune` (French)."""
    return Territory.from_geodata().row(code_insee)


def distances_km(lon, lat, kind: str) -> np.ndarray:
    """Straight-line km from points (n) to every partner of ``kind``, shape (n, len(layer))."""
    pts = layer(kind)
    return distance_matrix_km(np.atleast_1d(lon), np.atleast_1d(lat), pts.lon.to_numpy(), pts.lat.to_numpy())


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
    d = distances_km(row.lon, row.lat, kind)[0]
    inside = pts.code_insee.to_numpy() == row.code_insee
    keep = np.ones(len(d), bool) if max_km is None else (d <= max_km) | inside
    idx = np.flatnonzero(keep)
    idx = idx[np.lexsort((pts.nom.to_numpy()[idx].astype(str), d[idx]))]  # nearest first, then by name
    if n is not None:
        idx = idx[:n]
    out = pts.iloc[idx].reset_index(drop=True)
    out["distance_km"] = d[idx]
    out["minutes"] = minutes_between([row.lon], [row.lat], out["lon"].to_numpy(float), out["lat"].to_numpy(float),
                                     settings)[0] if len(out) else []
    out["dans_la_commune"] = inside[idx]
    return out


