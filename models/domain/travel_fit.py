"""Calibration of the travel model on the Bas-Rhin routed sample, and its error on every sample.

``python -m models.travel --fit`` calls :func:`write_calibration`: it reads ``geodata/trajets_routes.parquet``,
fits the curve on the sample ``bas_rhin_osrm_2016`` only, measures both models on the three samples and writes
``models/travel_calibration.json`` (deterministic: the fit date changes only when the coefficients do).

Form: minutes = access + slope_i × straight-line km in band i (0–10, 10–20, 20–40, 40–80, > 80 km), slopes
non-increasing with distance. Least squares under that constraint, solved exactly by trying every set of
merged bands (2⁴ small unconstrained least-squares problems) and keeping the best one that satisfies it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from models.domain import travel

SAMPLES_PATH = travel.ROOT / "geodata" / "trajets_routes.parquet"
CALIBRATION_SAMPLE = "bas_rhin_osrm_2016"
KNOTS_KM = (0.0, 10.0, 20.0, 40.0, 80.0)
THRESHOLDS = (30, 45, 60)
SAMPLE_LABELS = {
    "bas_rhin_osrm_2016": "Bas-Rhin : 485 communes × 10 hôpitaux, OSRM 2016 (calibrage)",
    "grand_est_graphhopper": "Alsace-Lorraine : 24 × 24 hôpitaux et villes, GraphHopper 2014-2016 (contrôle)",
    "villes_osrm_2025": "France : 121 villes de 50 000 hab. et plus, OSRM 2025 (contrôle, trajets longs)",
}
FORM = ("temps = accès + pente × distance à vol d'oiseau, pente par tranche (0–10, 10–20, 20–40, 40–80, "
        "> 80 km), pentes non croissantes ; moindres carrés")


def load_samples(path: Path = SAMPLES_PATH) -> pd.DataFrame:
    """The routed pairs with their straight-line ``km``."""
    df = pd.read_parquet(path)
    return df.assign(km=travel.haversine_km(df.from_lon, df.from_lat, df.to_lon, df.to_lat))


def fit_bands(km: np.ndarray, minutes: np.ndarray, knots=KNOTS_KM) -> tuple[float, list[float]]:
    """Least-squares access time and band slopes with non-increasing slopes and access ≥ 0.

    Returns
    -------
    access : float
    slopes : list of float, one per band (``len(knots)`` bands, the last one open).
    """
    km, minutes = np.asarray(km, float), np.asarray(minutes, float)
    best = None
    for active in itertools.product((False, True), repeat=len(knots) - 1):
        breaks = [k for k, on in zip(knots[1:], active) if on]
        X = np.column_stack([np.ones_like(km), km] + [-np.maximum(km - b, 0.0) for b in breaks])
        coef = np.linalg.lstsq(X, minutes, rcond=None)[0]
        if coef[0] < 0 or (coef[2:] < 0).any():
            continue
        sse = float(np.sum((X @ coef - minutes) ** 2))
        if best is None or sse < best[0] - 1e-9:
            best = (sse, breaks, coef)
    _, breaks, coef = best
    slopes, slope = [], float(coef[1])
    for k in knots:
        if k in breaks:
            slope -= float(coef[2 + breaks.index(k)])
        slopes.append(slope)
    if slopes[-1] <= 0:
        raise ValueError("Ajustement non croissant : pente finale négative.")
    return float(coef[0]), slopes


def errors(estimate: np.ndarray, routed: np.ndarray) -> dict:
    """MAE, bias (estimate − routed: > 0 = estimate too slow) and same-side shares at 30/45/60 min."""
    e, r = np.asarray(estimate, float), np.asarray(routed, float)
    out = {"mae": round(float(np.mean(np.abs(e - r))), 2), "bias": round(float(np.mean(e - r)), 2) + 0.0}
    for t in THRESHOLDS:
        out[f"agree_{t}"] = round(float(np.mean((e <= t) == (r <= t))), 4)
    return out


def sample_metrics(df: pd.DataFrame, curve: travel.Curve) -> dict:
    """Per sample, all pairs and pairs routed ≤ 60 min: N and the errors of both models."""
    cal, old = travel.minutes_from_km, travel.TravelSettings("regle_1_3")
    out = {}
    for name, g in df.groupby("sample", sort=False):
        km, routed = g.km.to_numpy(), g.minutes.to_numpy()
        est_new, est_old = curve.minutes(km), cal(km, old)
        block = {"label": SAMPLE_LABELS.get(name, name), "role": "calibrage" if name == CALIBRATION_SAMPLE
                 else "contrôle hors échantillon"}
        for key, mask in (("all", np.ones(len(g), bool)), ("le_60", routed <= 60)):
            block[key] = {"n": int(mask.sum()), "calibre": errors(est_new[mask], routed[mask]),
                          "regle_1_3": errors(est_old[mask], routed[mask])} if mask.any() else {"n": 0}
        out[name] = block
    return out


def calibration_dict(path: Path = SAMPLES_PATH) -> dict:
    """Everything ``travel_calibration.json`` holds except the fit date."""
    df = load_samples(path)
    fit = df[df["sample"] == CALIBRATION_SAMPLE]
    access, slopes = fit_bands(fit.km.to_numpy(), fit.minutes.to_numpy())
    access, slopes = round(access, 4), [round(s, 5) for s in slopes]
    curve = travel.Curve.from_bands(access, KNOTS_KM, slopes)
    return {
        "model": FORM,
        "sample": CALIBRATION_SAMPLE,
        "sample_file": "geodata/trajets_routes.parquet",
        "sample_sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
        "n": int(len(fit)),
        "source": "OSRM (osrmTable, juillet 2016) sur OpenStreetMap, via jcrb/Distancier@ee136a4e ; "
                  "« © les contributeurs d'OpenStreetMap » (ODbL)",
        "written_by": "python -m models.travel --fit",
        "coefficients": {"access_min": access, "knots_km": list(KNOTS_KM), "slopes_min_per_km": slopes},
        "metrics": sample_metrics(df, curve),
    }


def write_calibration(path: Path = travel.CALIBRATION_PATH, samples: Path = SAMPLES_PATH) -> dict:
    """Fit and write the calibration file; keep its date when the content is unchanged."""
    new = calibration_dict(samples)
    date = dt.date.today().isoformat()
    if Path(path).exists():
        old = json.loads(Path(path).read_text(encoding="utf-8"))
        if {k: v for k, v in old.items() if k != "fitted_on"} == new:
            date = old.get("fitted_on", date)
    out = {**new, "fitted_on": date}
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    travel.calibration.cache_clear()
    travel.calibrated_curve.cache_clear()
    return out
