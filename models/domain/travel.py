"""Travel times between communes and sites: calibrated on routed car times, or the old ×1.3 rule.

Every time of the app goes through :func:`minutes_from_km` (straight-line km → minutes), called by
:func:`minutes_between` (any points) and :func:`travel_time_matrix` (commune points).

Models (:class:`TravelSettings`):

- ``"calibre"`` (default): an access time plus minutes per straight-line km by distance band, fitted by least
  squares on 4,850 car times routed by OSRM in 2016 from the 485 Bas-Rhin communes to 10 hospitals
  (``geodata/trajets_routes.parquet``, sample ``bas_rhin_osrm_2016``) and on nothing else. Slopes may only
  decrease with distance (a longer trip reaches faster roads), so the curve is continuous, increasing and
  concave and :meth:`TravelSettings.km_for_minutes` inverts it exactly. Coefficients, sample, N, fit date and
  errors live in one file, ``models/travel_calibration.json``, written by ``python -m models.travel --fit``.
- ``"regle_1_3"``: the previous rule, straight line × 1.3 (detour) at 60 km/h, kept for comparison.

Both can be scaled by the user (``time_factor``). If ``geodata/travel_minutes.parquet`` exists (columns
``origine`` = code_insee, ``destination`` = code_insee or site id, ``minutes``), its routed minutes replace
the estimate for the pairs it lists, with the default settings and when the caller gives ids.

Command line: ``python -m models.travel --pairs FILE.csv [--report] [--model regle_1_3] --json``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

EARTH_RADIUS_KM = 6371.0088
ROOT = Path(__file__).resolve().parents[2]
CALIBRATION_PATH = ROOT / "models" / "travel_calibration.json"
ROUTED_MINUTES_PATH = ROOT / "geodata" / "travel_minutes.parquet"
METHODS = {"calibre": "calibré sur des temps routés", "regle_1_3": "règle ×1,3 à 60 km/h (ancienne)"}
OLD_DETOUR, OLD_SPEED_KMH = 1.3, 60.0
FACTOR_RANGE = (0.5, 2.0)
FAR_KM = 1e5  # > any great-circle distance (20,015 km)


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km; arguments broadcast like numpy arrays."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def distance_matrix_km(from_lon, from_lat, to_lon, to_lat) -> np.ndarray:
    """Straight-line distances, shape (len(from), len(to))."""
    return haversine_km(np.asarray(from_lon, float)[:, None], np.asarray(from_lat, float)[:, None],
                        np.asarray(to_lon, float)[None, :], np.asarray(to_lat, float)[None, :])


# ---------------------------------------------------------------------------------------------- the curve
@dataclass(frozen=True)
class Curve:
    """Continuous piecewise-linear minutes(km): ``values[i]`` at ``knots[i]``, ``last_slope`` beyond."""

    knots: tuple[float, ...]
    values: tuple[float, ...]
    last_slope: float

    @classmethod
    def from_bands(cls, access: float, knots, slopes) -> "Curve":
        """``access`` minutes at 0 km, ``slopes[i]`` min/km from ``knots[i]`` to ``knots[i+1]`` (last: open)."""
        knots = tuple(float(k) for k in knots)
        values = [float(access)]
        for i in range(1, len(knots)):
            values.append(values[-1] + float(slopes[i - 1]) * (knots[i] - knots[i - 1]))
        return cls(knots, tuple(values), float(slopes[-1]))

    def minutes(self, km) -> np.ndarray:
        # one np.interp pass: an extra knot beyond any distance on Earth carries the last slope
        far = self.knots[-1] + FAR_KM
        return np.interp(km, (*self.knots, far), (*self.values, self.values[-1] + self.last_slope * FAR_KM))

    def km(self, minutes: float) -> float:
        """Inverse of :meth:`minutes` on km ≥ 0; minutes below the value at 0 km → 0."""
        m = float(minutes)
        if m <= self.values[0]:
            return 0.0
        if m <= self.values[-1]:
            return float(np.interp(m, self.values, self.knots))
        return self.knots[-1] + (m - self.values[-1]) / self.last_slope


OLD_RULE = Curve((0.0, 1.0), (0.0, 60.0 * OLD_DETOUR / OLD_SPEED_KMH), 60.0 * OLD_DETOUR / OLD_SPEED_KMH)


@lru_cache(maxsize=1)
def calibration() -> dict:
    """Content of ``models/travel_calibration.json`` (coefficients, provenance, fit metrics)."""
    return json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def calibrated_curve() -> Curve:
    c = calibration()["coefficients"]
    return Curve.from_bands(c["access_min"], c["knots_km"], c["slopes_min_per_km"])


# ---------------------------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class TravelSettings:
    """A travel model the user can adjust (see the module docstring).

    Parameters
    ----------
    method : {"calibre", "regle_1_3"}
        Calibrated on routed times (default) or the old ×1.3 at 60 km/h rule.
    time_factor : float
        Multiplies every estimated time, 0.5–2 (default 1: as calibrated).
    """

    method: str = "calibre"
    time_factor: float = 1.0

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"Modèle de temps inconnu : {self.method!r} (attendu : {', '.join(METHODS)})")
        try:
            factor = float(self.time_factor)
        except (TypeError, ValueError):
            raise ValueError(f"Facteur de temps invalide : {self.time_factor!r}") from None
        if not FACTOR_RANGE[0] <= factor <= FACTOR_RANGE[1]:
            raise ValueError(f"Facteur de temps hors limites ({FACTOR_RANGE[0]:g} à {FACTOR_RANGE[1]:g}) : "
                             f"{self.time_factor}".replace(".", ","))
        object.__setattr__(self, "time_factor", factor)

    @property
    def curve(self) -> Curve:
        return calibrated_curve() if self.method == "calibre" else OLD_RULE

    def km_for_minutes(self, minutes: float) -> float:
        """Straight-line radius reached in ``minutes`` (exact inverse of :func:`minutes_from_km`)."""
        return self.curve.km(float(minutes) / self.time_factor)

    def as_dict(self) -> dict:
        return {"travel_model": self.method, "time_factor": self.time_factor}


DEFAULT_SETTINGS = TravelSettings()


def minutes_from_km(km: np.ndarray, settings: TravelSettings | None = None) -> np.ndarray:
    """Straight-line km → estimated minutes: THE function every estimate goes through."""
    s = settings or DEFAULT_SETTINGS
    t = s.curve.minutes(km)
    return t * s.time_factor if s.time_factor != 1.0 else t


# ---------------------------------------------------------------------------------------------- geometry
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


# ---------------------------------------------------------------------------------------------- routed matrix
def routed_matrix_available() -> bool:
    """True when ``geodata/travel_minutes.parquet`` exists (its minutes then replace the estimate)."""
    return ROUTED_MINUTES_PATH.exists()


@lru_cache(maxsize=2)
def _routed(path: str, mtime: float):
    import pandas as pd

    df = pd.read_parquet(path)
    missing = [c for c in ("origine", "destination", "minutes") if c not in df.columns]
    if missing:
        raise ValueError(f"{Path(path).name} : colonne(s) manquante(s) : {', '.join(missing)}")
    return pd.DataFrame({"origine": df["origine"].astype(str), "destination": df["destination"].astype(str),
                         "minutes": df["minutes"].astype(float)}).dropna()


def routed_table():
    """The routed pairs (``origine``, ``destination``, ``minutes``) or None when no file is present."""
    if not routed_matrix_available():
        return None
    return _routed(str(ROUTED_MINUTES_PATH), ROUTED_MINUTES_PATH.stat().st_mtime)


def _apply_routed(times: np.ndarray, from_ids, to_ids) -> np.ndarray:
    import pandas as pd

    r = routed_table()
    from_ids, to_ids = np.asarray(from_ids).astype(str), np.asarray(to_ids).astype(str)
    if len(from_ids) != times.shape[0] or len(to_ids) != times.shape[1]:
        raise ValueError("Identifiants de points : autant qu'il y a de points de départ et d'arrivée.")
    r = r[r["origine"].isin(from_ids) & r["destination"].isin(to_ids)]
    if r.empty:
        return times
    rows = pd.DataFrame({"origine": from_ids, "i": np.arange(len(from_ids))}).merge(r, on="origine")
    pairs = rows.merge(pd.DataFrame({"destination": to_ids, "j": np.arange(len(to_ids))}), on="destination")
    times = np.array(times, copy=True)
    times[pairs["i"].to_numpy(), pairs["j"].to_numpy()] = pairs["minutes"].to_numpy()
    return times


def _uses_routed(settings, from_ids, to_ids) -> bool:
    default = settings is None or settings == DEFAULT_SETTINGS
    return default and from_ids is not None and to_ids is not None and routed_matrix_available()


# ---------------------------------------------------------------------------------------------- matrices
def minutes_between(from_lon, from_lat, to_lon, to_lat, settings: TravelSettings | None = None,
                    dtype=np.float64, from_ids=None, to_ids=None) -> np.ndarray:
    """Minutes between arbitrary points, shape (len(from), len(to)): the one travel-time function.

    Estimated by :func:`minutes_from_km`; ``from_ids``/``to_ids`` (commune codes or site ids) let the routed
    matrix ``geodata/travel_minutes.parquet``, when present, replace the estimate pair by pair (default
    settings only).
    """
    a, b = unit_vectors(from_lon, from_lat), unit_vectors(to_lon, to_lat)
    times = minutes_from_km(great_circle_km_from_vectors(a, b), settings)
    if _uses_routed(settings, from_ids, to_ids):
        times = _apply_routed(times, from_ids, to_ids)
    return times.astype(dtype, copy=False)


def fit_report() -> dict:
    """Fit of both models per sample (N, MAE, bias, agreement at 30/45/60 min), from the calibration file."""
    c = calibration()
    return {"model": c["model"], "coefficients": c["coefficients"], "calibrated_on": c["sample"],
            "fitted_on": c["fitted_on"], "samples": c["metrics"]}


def describe(settings: TravelSettings | None = None, with_routed: bool = True) -> str:
    """French label of the travel model shown next to every time ("estimé").

    With the default settings and ``geodata/travel_minutes.parquet`` present, the label says that routed
    times are used where known (``with_routed=False``: label of the estimate alone, e.g. for bare points).
    """
    from models.text.fr_format import num

    s = settings or DEFAULT_SETTINGS
    c = calibration()
    cal = c["metrics"][c["sample"]]
    if s.method == "calibre":
        label = (f"temps estimé — calibré sur {num(cal['all']['n'])} trajets routés (Bas-Rhin, OSRM 2016), "
                 f"écart moyen {num(cal['le_60']['calibre']['mae'], 1)} min sur les trajets de moins d'une heure "
                 f"({num(cal['all']['calibre']['mae'], 1)} min sur tous)")
    else:
        label = (f"temps estimé — règle ×1,3 à 60 km/h (non calibrée, écart moyen "
                 f"{num(cal['le_60']['regle_1_3']['mae'], 1)} min sur les trajets routés de moins d'une heure "
                 f"du Bas-Rhin)")
    if s.time_factor != 1.0:
        label += f", temps × {num(s.time_factor, 2)} (réglage)"
    if with_routed and s == DEFAULT_SETTINGS and routed_matrix_available():
        n = len(routed_table())
        label = f"temps routés (geodata/travel_minutes.parquet, {num(n)} paires) ; ailleurs {label}"
    return label
