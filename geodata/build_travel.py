"""Routed travel-time samples (``../shared/raw/travel``) → one table of pairs with coordinates.

    python -m geodata.build_travel [--raw ../shared/raw] [--out geodata]

Three samples, in this order (rows in source order, deterministic):

- ``bas_rhin_osrm_2016``: 485 Bas-Rhin communes × 10 hospitals, OSRM (July 2016). Origins are placed at the
  commune point of ``communes.parquet`` whose name matches within département 67 (accents, hyphens and case
  ignored, as the source did); the source's own origin points came from a public list of communes, so they
  may differ from ours. The travel model is calibrated on this sample only.
- ``grand_est_graphhopper``: 24 × 24 hospitals and towns of Alsace-Lorraine, GraphHopper (2014–2016), with
  road km; the diagonal (a point to itself) is left out. Out-of-sample check.
- ``villes_osrm_2025``: every ordered pair of 121 French cities of 50,000+ inhabitants, OSRM v6 (OSM of
  2025-11-07), from town hall to town hall, with road km. Out-of-sample check (long trips).

Run alone it rewrites only its own file and its entry in ``sources.json``; ``python -m geodata.build`` calls
:func:`routed_samples` too.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.errors import BuildError
from geodata.rawio import read_csv, to_number

NAME = "trajets_routes"
COLUMNS = ["sample", "origin", "origin_code", "destination", "from_lon", "from_lat", "to_lon", "to_lat",
           "minutes", "road_km"]
BAS_RHIN, GRAPHHOPPER, VILLES = "bas_rhin_osrm_2016", "grand_est_graphhopper", "villes_osrm_2025"


def name_key(name: str) -> str:
    """``"Saint-Pierre-Bois"`` and ``"SAINT PIERRE BOIS"`` → the same key (accents, hyphens, case ignored)."""
    ascii_name = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", " ", ascii_name.upper()).strip()


def _numbers(df: pd.DataFrame, columns, path: Path) -> pd.DataFrame:
    return pd.DataFrame({c: to_number(df, c, path) for c in columns})


def bas_rhin(folder: Path, communes: pd.DataFrame) -> pd.DataFrame:
    """485 communes × 10 hospitals; origin = our commune point matched by name in département 67."""
    dest_path = folder / "routing_hospitals_10_destinations.csv"
    dest = read_csv(dest_path, ["UNV", "X", "Y"])
    dest[["X", "Y"]] = _numbers(dest, ["X", "Y"], dest_path)
    path = folder / "routing_bas_rhin_communes_to_10_hospitals.csv"
    times = read_csv(path, ["commune", *dest.UNV])
    com = communes[communes.departement.astype(str) == "67"]
    key = com.nom.map(name_key)
    if key.duplicated().any():
        raise BuildError(path, f"noms de communes ambigus dans le 67 : {sorted(set(key[key.duplicated()]))}")
    points = com.assign(key=key).set_index("key")
    keys = times.commune.map(name_key)
    unknown = ~keys.isin(points.index)
    if unknown.any():
        label = unknown.idxmax()
        raise BuildError(path, f"commune {times.commune[label]!r} introuvable dans le Bas-Rhin", row=int(label) + 2)
    origin = points.loc[keys]
    minutes = _numbers(times, list(dest.UNV), path).to_numpy()
    n, m = minutes.shape
    rows, cols = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)  # source order: commune by commune
    return pd.DataFrame({
        "sample": BAS_RHIN, "origin": times.commune.to_numpy()[rows], "origin_code": origin.code_insee.to_numpy()[rows],
        "destination": dest.UNV.to_numpy()[cols], "from_lon": origin.lon.to_numpy()[rows],
        "from_lat": origin.lat.to_numpy()[rows], "to_lon": dest.X.to_numpy()[cols], "to_lat": dest.Y.to_numpy()[cols],
        "minutes": minutes.ravel(), "road_km": np.nan})


def graphhopper(folder: Path) -> pd.DataFrame:
    """24 × 24 matrix of minutes and road km between named points, diagonal left out."""
    pts_path = folder / "routing_hospitals_grand_est_points.csv"
    pts = read_csv(pts_path, ["NOM", "X", "Y"])
    pts[["X", "Y"]] = _numbers(pts, ["X", "Y"], pts_path)
    mats = {}
    for kind in ("minutes", "km"):
        path = folder / f"routing_hospitals_grand_est_{kind}.csv"
        m = read_csv(path, ["Unnamed: 0", *pts.NOM])  # first column: row names, no header
        if list(m["Unnamed: 0"]) != list(pts.NOM):
            raise BuildError(path, "lignes de la matrice dans un autre ordre que les points")
        mats[kind] = _numbers(m, list(pts.NOM), path).to_numpy()
    i, j = np.nonzero(~np.eye(len(pts), dtype=bool))
    return pd.DataFrame({
        "sample": GRAPHHOPPER, "origin": pts.NOM.to_numpy()[i], "origin_code": None,
        "destination": pts.NOM.to_numpy()[j], "from_lon": pts.X.to_numpy()[i], "from_lat": pts.Y.to_numpy()[i],
        "to_lon": pts.X.to_numpy()[j], "to_lat": pts.Y.to_numpy()[j], "minutes": mats["minutes"][i, j],
        "road_km": mats["km"][i, j]})


def villes(folder: Path) -> pd.DataFrame:
    """Ordered pairs of 121 cities, town hall to town hall (the points the source routed from)."""
    cities_path = folder / "osrm_french_cities_121_cities.csv"
    cities = read_csv(cities_path, ["id", "name", "th_longitude", "th_latitude"])
    cities[["lon", "lat"]] = _numbers(cities, ["th_longitude", "th_latitude"], cities_path).to_numpy()
    path = folder / "osrm_french_cities_121_pairs.csv"
    pairs = read_csv(path, ["from_code_insee", "to_code_insee", "duration_s", "distance_m"])
    num = _numbers(pairs, ["duration_s", "distance_m"], path)
    idx = cities.set_index("id")
    for col in ("from_code_insee", "to_code_insee"):
        unknown = ~pairs[col].isin(idx.index)
        if unknown.any():
            label = unknown.idxmax()
            raise BuildError(path, f"ville {pairs[col][label]!r} absente de {cities_path.name}", row=int(label) + 2)
    a, b = idx.loc[pairs.from_code_insee], idx.loc[pairs.to_code_insee]
    return pd.DataFrame({
        "sample": VILLES, "origin": a.name.to_numpy(), "origin_code": pairs.from_code_insee.to_numpy(),
        "destination": b.name.to_numpy(), "from_lon": a.lon.to_numpy(), "from_lat": a.lat.to_numpy(),
        "to_lon": b.lon.to_numpy(), "to_lat": b.lat.to_numpy(), "minutes": (num.duration_s / 60).round(2).to_numpy(),
        "road_km": (num.distance_m / 1000).round(3).to_numpy()})


def routed_samples(raw: Path, communes: pd.DataFrame) -> pd.DataFrame:
    """The three samples in one table (columns :data:`COLUMNS`)."""
    folder = Path(raw) / "travel"
    df = pd.concat([bas_rhin(folder, communes), graphhopper(folder), villes(folder)], ignore_index=True)
    df = df[COLUMNS].astype({"origin_code": "string", "minutes": float, "road_km": float})
    for col in ("from_lon", "from_lat", "to_lon", "to_lat"):
        df[col] = df[col].astype(float)
    return df


def write_alone(raw: Path, out: Path) -> dict:
    """Write the samples file and refresh only its entry of ``sources.json`` (rows, bytes, SHA-256)."""
    from geodata.provenance import DATASETS

    meta = DATASETS[NAME]
    df = routed_samples(raw, pd.read_parquet(out / "communes.parquet"))
    target = out / meta["file"]
    df.to_parquet(target, index=False, compression="zstd")
    data = target.read_bytes()
    entry = {**meta, "rows": len(df), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest_path = out / "sources.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["datasets"][NAME] = entry
    manifest["datasets"] = dict(sorted(manifest["datasets"].items()))
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return entry


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(prog="python -m geodata.build_travel", description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=root.parent / "shared" / "raw")
    ap.add_argument("--out", type=Path, default=root / "geodata")
    args = ap.parse_args(argv)
    try:
        entry = write_alone(args.raw, args.out)
    except BuildError as exc:
        print(f"Erreur de construction : {exc}", file=sys.stderr)
        return 2
    print(f"{NAME:<22} {entry['rows']:>7} lignes  {entry['bytes'] / 1024:>8.1f} Ko  {entry['sha256'][:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
