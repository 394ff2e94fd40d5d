"""Estimated travel times between communes and sites.

Default: straight-line (great-circle) distance between town-hall points x a detour factor / an average
speed. All results are *estimates* ("estimé" in the UI). A real road matrix (e.g. an OSRM table) can replace
:func:`travel_time_matrix` later without changing its callers.

Defaults (:class:`TravelSettings`), both adjustable in the UI:

- ``detour_factor = 1.3``: road distance / straight-line distance. 1.3 is the conventional road "circuity"
  (coefficient de détour) used for France and western Europe; measured country averages lie around
  1.2–1.4 (Ballou, Rahardja & Sakai 2002, "Selected country circuity factors for road travel distance
  estimation", Transportation Research A 36(9); Boscoe, Henry & Zdeb 2012, Professional Geographer 64(2),
  ~1.4 for short trips). It is an estimate, not a measurement for the Grand Est.
- ``speed_kmh = 60``: door-to-door average by car on the secondary network of a rural / periurban region:
  80 km/h limit on two-lane roads outside built-up areas (décret n° 2018-487), 50 km/h through towns and
  villages, a few motorway stretches. An assumption, not a measurement.

With these defaults one straight-line km costs 1.3 min: 30 min ≈ 23 km as the crow flies.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True)
class TravelSettings:
    """How straight-line distance becomes an estimated car travel time (see the module docstring).

    Parameters
    ----------
    detour_factor : float
        Road distance / straight-line distance, 1.0–3.0 (default 1.3).
    speed_kmh : float
        Average door-to-door speed on the road distance, 10–130 km/h (default 60).
    """

    detour_factor: float = 1.3
    speed_kmh: float = 60.0

    def __post_init__(self):
        if not 1.0 <= float(self.detour_factor) <= 3.0:
            raise ValueError(f"Coefficient de détour hors limites (1 à 3) : {self.detour_factor}")
        if not 10.0 <= float(self.speed_kmh) <= 130.0:
            raise ValueError(f"Vitesse moyenne hors limites (10 à 130 km/h) : {self.speed_kmh}")

    @property
    def minutes_per_km(self) -> float:
        """Minutes per straight-line km."""
        return 60.0 * self.detour_factor / self.speed_kmh

    def km_for_minutes(self, minutes: float) -> float:
        """Straight-line radius reached in ``minutes``."""
        return float(minutes) / self.minutes_per_km


DEFAULT_SETTINGS = TravelSettings()


def unit_vectors(lon, lat) -> np.ndarray:
    """Points on the unit sphere, shape (n, 3): chord length between them gives the great-circle distance."""
    lon, lat = np.radians(np.asarray(lon, float)), np.radians(np.asarray(lat, float))
    cos_lat = np.cos(lat)
    return np.column_stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)])


def great_circle_km_from_vectors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle km between unit vectors ``a`` (n, 3) and ``b`` (m, 3), shape (n, m).

    Same value as :func:`haversine_km` (to < 1 m), but a matrix product instead of trigonometry per pair.
    """
    chord2 = np.maximum(2.0 - 2.0 * (a @ b.T), 0.0)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(chord2) / 2, 1.0))


@lru_cache(maxsize=1)
def _commune_points():
    import geodata

    com = geodata.communes()
    codes = com["code_insee"].astype(str).to_numpy()
    position = {c: i for i, c in enumerate(codes)}
    return codes, position, unit_vectors(com["lon"].to_numpy(), com["lat"].to_numpy())


def commune_positions(codes) -> np.ndarray:
    """Row positions of ``codes`` in ``geodata.communes()``; unknown code → ``KeyError`` (French message)."""
    _, position, _ = _commune_points()
    try:
        return np.fromiter((position[str(c)] for c in codes), dtype=np.int64)
    except KeyError as err:
        raise KeyError(f"Code commune inconnu : {err.args[0]}") from None


def minutes_from_km(km: np.ndarray, settings: TravelSettings | None = None) -> np.ndarray:
    """Straight-line km → estimated minutes."""
    return np.asarray(km) * (settings or DEFAULT_SETTINGS).minutes_per_km


def travel_time_matrix(from_codes, to_codes=None, settings: TravelSettings | None = None,
                       dtype=np.float64) -> np.ndarray:
    """Estimated minutes between communes' town-hall points, shape (len(from_codes), len(to_codes)).

    The one place where travel time is defined: a real road matrix can replace this function.

    Parameters
    ----------
    from_codes, to_codes : sequence of str
        ``code_insee`` of origin and destination communes; ``to_codes=None`` means every commune of
        ``geodata.communes()`` in its order.
    settings : TravelSettings, optional
        Detour factor and average speed (defaults: :data:`DEFAULT_SETTINGS`).
    dtype : numpy dtype
        ``np.float32`` halves the memory of large matrices.

    Raises
    ------
    KeyError
        A code is not a commune of the region.
    """
    _, _, vectors = _commune_points()
    a = vectors[commune_positions(from_codes)]
    b = vectors if to_codes is None else vectors[commune_positions(to_codes)]
    return minutes_from_km(great_circle_km_from_vectors(a, b), settings).astype(dtype, copy=False)


def minutes_between(from_lon, from_lat, to_lon, to_lat, settings: TravelSettings | None = None,
                    dtype=np.float64, from_ids=None, to_ids=None) -> np.ndarray:
    """Estimated minutes between arbitrary points, shape (len(from), len(to)): the one travel-time function.

    ``from_ids``/``to_ids`` (commune codes or site ids) let a routed matrix replace the estimate pair by pair.
    """
    a, b = unit_vectors(from_lon, from_lat), unit_vectors(to_lon, to_lat)
    return minutes_from_km(great_circle_km_from_vectors(a, b), settings).astype(dtype, copy=False)
