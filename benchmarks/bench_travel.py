"""Issue #13: error of the travel model (calibrated vs the old ×1.3 rule) on routed times, and its speed.

Measured live on ``geodata/trajets_routes.parquet`` with the committed coefficients: the Bas-Rhin sample
(calibration) in full, the two out-of-sample checks by mean absolute error and bias. Bias = estimate − routed.
"""
from __future__ import annotations

import time

import numpy as np

from benchmarks import Measure

ISSUE = "#13 temps"
MODELS = (("calibre", "calibré"), ("regle_1_3", "règle ×1,3"))
SHORT = {"bas_rhin_osrm_2016": "Bas-Rhin", "grand_est_graphhopper": "GraphHopper 24×24",
         "villes_osrm_2025": "121 villes"}


def _bas_rhin(block: dict) -> list[Measure]:
    out = []
    for subset, label in (("all", "tous"), ("le_60", "≤ 60 min")):
        b = block[subset]
        for key, name in MODELS:
            e = b[key]
            out += [Measure(ISSUE, f"Bas-Rhin (calibrage, {label}, n={b['n']}) {name} : écart moyen", e["mae"], "min"),
                    Measure(ISSUE, f"Bas-Rhin (calibrage, {label}) {name} : biais", e["bias"], "min")]
            out += [Measure(ISSUE, f"Bas-Rhin (calibrage, {label}) {name} : même côté de {t} min",
                            100 * e[f"agree_{t}"], "%") for t in (30, 45, 60)]
    return out


def _control(name: str, block: dict) -> list[Measure]:
    out = []
    for key, model in MODELS:
        out += [Measure(ISSUE, f"{SHORT[name]} (contrôle, n={block['all']['n']}) {model} : écart moyen",
                        block["all"][key]["mae"], "min"),
                Measure(ISSUE, f"{SHORT[name]} (contrôle) {model} : biais", block["all"][key]["bias"], "min"),
                Measure(ISSUE, f"{SHORT[name]} (contrôle, ≤ 60 min, n={block['le_60']['n']}) {model} : écart moyen",
                        block["le_60"][key]["mae"], "min")]
    return out


def full_matrix_s() -> float:
    """Median of 3: the 5,115 × 5,115 estimate (float32) through :func:`models.domain.travel.minutes_between`."""
    import geodata
    from models.domain.travel import minutes_between

    com = geodata.communes()
    lon, lat = com["lon"].to_numpy(float), com["lat"].to_numpy(float)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        minutes_between(lon, lat, lon, lat, dtype=np.float32)
        runs.append(time.perf_counter() - t0)
    return float(np.median(runs))


def run() -> list[Measure]:
    from models.domain import travel
    from models.domain.travel_fit import load_samples, sample_metrics

    metrics = sample_metrics(load_samples(), travel.calibrated_curve())
    br = metrics["bas_rhin_osrm_2016"]["all"]
    measures = [Measure(ISSUE, "Bas-Rhin : écart moyen calibré − règle ×1,3 (doit être < 0)",
                        br["calibre"]["mae"] - br["regle_1_3"]["mae"], "min", 0)]
    measures += _bas_rhin(metrics["bas_rhin_osrm_2016"])
    for name in ("grand_est_graphhopper", "villes_osrm_2025"):
        measures += _control(name, metrics[name])
    measures.append(Measure(ISSUE, "temps estimés 5 115 × 5 115 communes (float32), médiane de 3", full_matrix_s(), "s"))
    return measures
