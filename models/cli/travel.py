"""``python -m models.travel``: estimated minutes for a CSV of pairs, their error, or a new fit.

    python -m models.travel --pairs FILE.csv [--report] [--model calibre|regle_1_3] [--time-factor 1] [--json]
    python -m models.travel --fit        # rewrite models/travel_calibration.json from the Bas-Rhin sample

``--pairs`` reads the columns ``from_lon,from_lat,to_lon,to_lat`` (others ignored) and prints one time per row,
in order, computed by :func:`models.domain.travel.minutes_from_km` on the great-circle km (as the app does);
``--report`` adds, when the file has a ``minutes`` column, the mean absolute error, the bias and the share of
pairs on the same side of 30, 45 and 60 min. Bad input → exit 2 with a French message naming the line.
"""
from __future__ import annotations

import csv
import json
import math
import sys

import numpy as np

from models.domain import travel
from models.text.fr_format import parse_number

COLUMNS = ("from_lon", "from_lat", "to_lon", "to_lat")
LIMITS = {"lon": 180.0, "lat": 90.0}


class PairsError(ValueError):
    """Unusable pairs file; the message (French) names the line."""


def _number(text, column: str, line: int) -> float:
    if not str(text).strip():
        raise PairsError(f"ligne {line} : valeur manquante dans la colonne {column}.")
    try:
        value = parse_number(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise PairsError(f"ligne {line} : valeur non numérique « {text} » dans la colonne {column}.")
    return value


def read_pairs(path) -> tuple[np.ndarray, np.ndarray | None]:
    """Coordinates (n, 4) and the ``minutes`` column if present; :class:`PairsError` on bad input."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as err:
        raise PairsError(f"fichier illisible : {path} ({err.__class__.__name__}).") from None
    if not rows:
        raise PairsError(f"fichier vide : {path}.")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PairsError(f"ligne 1 : colonne(s) manquante(s) : {', '.join(missing)} "
                         f"(attendu : {','.join(COLUMNS)}).")
    index = {c: header.index(c) for c in (*COLUMNS, "minutes") if c in header}
    coords, minutes = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) < len(header):
            raise PairsError(f"ligne {line} : {len(row)} colonnes au lieu de {len(header)}.")
        values = [_number(row[index[c]], c, line) for c in COLUMNS]
        for c, v in zip(COLUMNS, values):
            limit = LIMITS[c[-3:]]
            if not -limit <= v <= limit:
                raise PairsError(f"ligne {line} : {c} = {row[index[c]]} hors limites (−{limit:g} à {limit:g}).")
        coords.append(values)
        if "minutes" in index:
            minutes.append(_number(row[index["minutes"]], "minutes", line))
    if not coords:
        raise PairsError(f"aucune paire dans {path}.")
    return np.array(coords, float), (np.array(minutes, float) if "minutes" in index else None)


def estimate(coords: np.ndarray, settings: travel.TravelSettings) -> np.ndarray:
    """One estimated time per pair: great-circle km → :func:`models.domain.travel.minutes_from_km`."""
    km = travel.haversine_km(coords[:, 0], coords[:, 1], coords[:, 2], coords[:, 3])
    return travel.minutes_from_km(km, settings)


def _print_text(out: dict) -> None:
    from models.text.fr_format import num, pct

    print(out["model"])
    for i, m in enumerate(out["minutes"], start=1):
        print(f"{i:>6}  {num(m, 1):>8} min")
    r = out.get("report")
    if r:
        agree = ", ".join(f"{pct(100 * r[f'agree_{t}'])} du même côté de {t} min" for t in (30, 45, 60))
        print(f"{num(r['n'])} paires : écart absolu moyen {num(r['mae'], 2)} min, biais {num(r['bias'], 2)} min "
              f"(estimé − routé) ; {agree}")


def main(argv=None) -> int:
    from models.text.arguments import FrenchArgumentParser, fail

    p = FrenchArgumentParser(prog="python -m models.travel",
                             description="Temps de trajet estimés pour des paires de points (CSV).")
    p.add_argument("--pairs", help="CSV avec les colonnes from_lon,from_lat,to_lon,to_lat (+ minutes)")
    p.add_argument("--report", action="store_true", help="écart aux temps de la colonne minutes")
    p.add_argument("--model", default="calibre", choices=list(travel.METHODS),
                   help="modèle de temps : calibre (défaut) ou regle_1_3 (ancienne règle ×1,3 à 60 km/h)")
    p.add_argument("--time-factor", type=float, default=1.0, help="facteur appliqué aux temps estimés (0,5 à 2)")
    p.add_argument("--fit", action="store_true", help="recalibrer sur l'échantillon du Bas-Rhin")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    a = p.parse_args(argv)
    if a.fit:
        from models.domain.travel_fit import write_calibration

        out = write_calibration()
        print(json.dumps(out["coefficients"], ensure_ascii=False) if a.json else travel.describe())
        return 0
    if not a.pairs:
        return fail("indiquer --pairs FICHIER.csv (ou --fit).")
    try:
        settings = travel.TravelSettings(a.model, a.time_factor)
        coords, routed = read_pairs(a.pairs)
    except ValueError as err:
        return fail(str(err))
    minutes = estimate(coords, settings)
    out = {"model": travel.describe(settings, with_routed=False), "method": settings.method, "time_factor": settings.time_factor,
           "minutes": [round(float(m), 3) for m in minutes]}
    if a.report:
        from models.domain.travel_fit import errors

        out["report"] = None if routed is None else {"n": int(len(routed)), **errors(minutes, routed)}
        if routed is None:
            print("Pas de colonne minutes : pas de rapport d'écart.", file=sys.stderr)
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_text(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
