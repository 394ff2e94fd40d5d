"""Estimated travel times between communes and sites.

Default: straight-line (great-circle) distance between town-hall points x a detour factor / an average
speed. All results are *estimates* ("estimé" in the UI). A real road matrix (e.g. an OSRM table) can replace
:func:`travel_time_matrix` later without changing its callers.
"""
from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km; arguments broadcast like numpy arrays."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def distance_matrix_km(from_lon, from_lat, to_lon, to_lat) -> np.ndarray:
    """Straight-line distances, shape (len(from), len(to))."""
    return haversine_km(np.asarray(from_lon, float)[:, None], np.asarray(from_lat, float)[:, None],
                        np.asarray(to_lon, float)[None, :], np.asarray(to_lat, float)[None, :])
