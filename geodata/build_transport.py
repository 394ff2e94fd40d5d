"""SNCF TER stops (GTFS ``stops.txt``, no timetables): stop areas of the region and of a 40 km belt around it."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.errors import BuildError
from geodata.rawio import read_csv, to_number

STOPS_FILE = "transport/sncf_ter_gtfs_stops.txt"
FEED_FILE = "transport/sncf_ter_gtfs_feed_info.txt"
BELT_KM = 40  # stops this far outside the region are kept, so a border commune's nearest station is right
# The mode is the middle part of a stop point's id: "StopPoint:OCETrain TER-87141002" → "Train TER".
MODES = {"Train TER": "train", "Car TER": "car", "Car": "car", "TramTrain": "tram_train"}
MODE_LABELS = {"train": "train", "car": "car", "tram_train": "tram-train"}


def _modes(points: pd.DataFrame, path: Path) -> pd.DataFrame:
    """One row per stop point: its area (parent, or itself) and its mode; unknown modes (Navette) are dropped."""
    kind = points.stop_id.str.extract(r"^StopPoint:OCE(.+)-\w+$")[0]
    if kind.isna().any():
        label = kind.isna().idxmax()
        raise BuildError(path, f"identifiant d'arrêt inattendu {points.stop_id[label]!r} "
                               "(attendu StopPoint:OCE<mode>-<code>)", row=int(label) + 2)
    area = points.parent_station.where(points.parent_station != "", points.stop_id)
    return pd.DataFrame({"area": area, "mode": kind.map(MODES)}).dropna(subset=["mode"])


def feed_validity(raw: Path) -> dict:
    """Validity dates of the feed (``feed_info.txt``), ISO format, for sources.json and the UI."""
    path = raw / FEED_FILE
    f = read_csv(path, ["feed_start_date", "feed_end_date", "feed_version"])
    if len(f) != 1 or not (f.feed_start_date[0].isdigit() and f.feed_end_date[0].isdigit()):
        raise BuildError(path, "une seule ligne de dates AAAAMMJJ attendue", row=2)

    def iso(d: str) -> str:
        return f"{d[:4]}-{d[4:6]}-{d[6:8]}"
    return {"debut": iso(f.feed_start_date[0]), "fin": iso(f.feed_end_date[0]), "version": f.feed_version[0]}


def ter_arrets(raw: Path, shapes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Stop areas with boolean ``train``/``car``/``tram_train``, and the ``code_insee`` of the region's commune
    containing them (point in polygon; null outside the region, within the 40 km belt)."""
    path = raw / STOPS_FILE
    s = read_csv(path, ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station"])
    s = s.assign(lon=to_number(s, "stop_lon", path), lat=to_number(s, "stop_lat", path))
    areas = s[s.location_type == "1"].set_index("stop_id")
    modes = _modes(s[s.location_type == "0"], path)
    orphans = sorted(set(modes.area) - set(areas.index))
    if orphans:  # a stop point without a stop area stands for itself
        areas = pd.concat([areas, s[s.stop_id.isin(orphans)].set_index("stop_id")])
    flags = pd.crosstab(modes.area, modes["mode"]).reindex(columns=list(MODE_LABELS), fill_value=0) > 0
    a = areas.loc[flags.index]
    pts = gpd.GeoDataFrame({"stop_id": a.index, "nom": a.stop_name.to_numpy()},
                           geometry=gpd.points_from_xy(a.lon, a.lat), crs=4326)
    l93 = pts.to_crs(2154)
    region = shapes.to_crs(2154)
    belt = region.union_all().buffer(BELT_KM * 1000)
    keep = l93.within(belt).to_numpy()
    pts, l93 = pts[keep], l93[keep]
    joined = gpd.sjoin(l93, region[["code_insee", "geometry"]], how="left", predicate="within")
    code = joined.sort_values("code_insee").groupby(level=0).code_insee.first()  # a point on a border: lowest code
    out = pd.DataFrame({"stop_id": pts.stop_id.to_numpy(), "nom": pts.nom.to_numpy(),
                        "lon": pts.geometry.x.to_numpy(), "lat": pts.geometry.y.to_numpy(),
                        "code_insee": code.reindex(pts.index).to_numpy()})
    f = flags.loc[out.stop_id]
    for col in MODE_LABELS:
        out[col] = f[col].to_numpy()
    out["modes"] = [", ".join(MODE_LABELS[c] for c in MODE_LABELS if row[c]) for _, row in f.iterrows()]
    return out.sort_values("stop_id").reset_index(drop=True)
