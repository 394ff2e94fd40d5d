"""Validate the committed geodata files: ``python -m geodata.check [--json]``; exit 1 when an invariant fails."""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys

import geopandas as gpd
import numpy as np
import shapely

import geodata

POINT_LAYERS = {"acv": geodata.acv, "lycees_pro": lambda: geodata.lycees()[geodata.lycees().voie_pro],
                "lycees_autres": lambda: geodata.lycees()[~geodata.lycees().voie_pro],
                "missions_locales": geodata.missions_locales, "cnam_sites": geodata.cnam_sites,
                "france_services": geodata.france_services, "france_travail": geodata.france_travail}
EXPECTED_ROWS = {"acv": 25, "missions_locales": 43, "cnam_sites": 21, "france_services": 267, "france_travail": 76}
MAX_OFFSET_KM = 1.0
INDICATORS = ["population", "densite", "chomage_ze", "demandeurs_emploi", "pop_1564", "actifs_1564", "chomeurs_1564",
              "emplois", "etab_total", "revenu_median", "taux_pauvrete", "bmo_code"]


def point_offsets_km(points, shapes: gpd.GeoDataFrame) -> np.ndarray:
    """Distance (km) from each point to the polygon of the commune it claims; 0 inside."""
    poly = shapes.set_index("code_insee").geometry.reindex(points.code_insee).to_crs(2154).to_numpy()
    pts = gpd.GeoSeries(gpd.points_from_xy(points.lon, points.lat), crs=4326).to_crs(2154).to_numpy()
    return shapely.distance(pts, poly) / 1000


def run_checks() -> dict:
    com, shapes = geodata.communes(), geodata.commune_shapes()
    codes = set(com.code_insee)
    report: dict = {"checks": []}

    def check(name: str, ok: bool, detail: str) -> None:
        report["checks"].append({"name": name, "ok": bool(ok), "detail": detail})

    n, pop = len(com), int(com.population.sum())
    report["communes"], report["population"] = n, pop
    check("communes", abs(n - 5115) <= 5, f"{n} communes (attendu 5 115 ± 5)")
    check("population", 5.5e6 <= pop <= 5.6e6, f"{pop:,} habitants".replace(",", " ") + " (attendu 5,5 à 5,6 M)")
    check("codes uniques", com.code_insee.is_unique, "un seul enregistrement par code_insee")
    for col, label in (("epci_code", "EPCI"), ("ze_code", "zone d'emploi"), ("bv_code", "bassin de vie"),
                       ("bmo_code", "bassin BMO")):
        orphans = com[com[col].isna()].code_insee.tolist()
        check(f"rattachement {label}", not orphans, f"{len(orphans)} commune(s) sans {label} {orphans[:5]}")
    off = point_offsets_km(com, shapes)
    far = com.loc[off > MAX_OFFSET_KM, "code_insee"].tolist()
    check("communes : point dans sa commune", not far,
          f"écart max {np.nanmax(off):.2f} km ; {len(far)} point(s) à plus de {MAX_OFFSET_KM:g} km {far[:6]} ; "
          f"{int((com.point_source != 'mairie').sum())} point(s) intérieur(s) au lieu de la mairie")
    for name, loader in POINT_LAYERS.items():
        pts = loader()
        report[name] = len(pts)
        unknown = sorted(set(pts.code_insee) - codes)
        check(f"{name} : jointure commune", not unknown, f"{len(pts)} lignes, codes inconnus : {unknown[:5]}")
        off = point_offsets_km(pts, shapes)
        far = pts.loc[off > MAX_OFFSET_KM, "code_insee"].tolist()
        check(f"{name} : point dans sa commune", not far,
              f"écart max {np.nanmax(off):.2f} km ; {len(far)} point(s) à plus de {MAX_OFFSET_KM:g} km {far[:5]}")
        if name in EXPECTED_ROWS:
            check(f"{name} : effectif", len(pts) == EXPECTED_ROWS[name], f"{len(pts)} (attendu {EXPECTED_ROWS[name]})")
    check("lycees_pro : effectif", 219 <= report["lycees_pro"] <= 221,
          f"{report['lycees_pro']} établissements à voie professionnelle (219 de la source + lycées GT porteurs d'une SEP)")
    geoms = shapes.geometry.to_numpy()
    invalid = int((~shapely.is_valid(geoms)).sum())
    check("géométries valides", invalid == 0 and not shapely.is_empty(geoms).any(), f"{invalid} géométrie(s) invalide(s)")
    neigh = geodata.commune_neighbours()
    isolated = sorted(codes - set(neigh.code_insee))
    check("contiguïté", len(isolated) <= 5, f"{len(isolated)} commune(s) sans voisine {isolated[:5]}")
    report["coverage"] = {c: round(float(com[c].notna().mean()), 4) for c in INDICATORS}
    sizes = {"raw_kb": geodata.COMMUNES_GEOJSON.stat().st_size / 1024}
    sizes["gzip_kb"] = len(gzip.compress(geodata.COMMUNES_GEOJSON.read_bytes(), 6)) / 1024
    report["browser_geojson"] = {k: round(v, 1) for k, v in sizes.items()}
    check("GeoJSON navigateur", sizes["raw_kb"] <= 2500 and sizes["gzip_kb"] <= 600,
          f"{sizes['raw_kb']:.0f} Ko brut, {sizes['gzip_kb']:.0f} Ko gzip (max 2 500 / 600)")
    stale = [name for name, d in geodata.sources()["datasets"].items()
             if hashlib.sha256((geodata.DIR / d["file"]).read_bytes()).hexdigest() != d["sha256"]]
    check("empreintes sources.json", not stale, f"fichiers modifiés depuis la construction : {stale}")
    total_mb = sum(p.stat().st_size for p in geodata.DIR.iterdir() if p.is_file()) / 1e6
    check("taille de geodata/", total_mb < 15, f"{total_mb:.1f} Mo (max 15)")
    report["ok"] = all(c["ok"] for c in report["checks"])
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geodata.check", description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="rapport JSON sur la sortie standard")
    args = ap.parse_args(argv)
    report = run_checks()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for c in report["checks"]:
            print(f"{'OK ' if c['ok'] else 'ÉCHEC'} {c['name']:<40} {c['detail']}")
        print("Couverture des indicateurs (part des communes renseignées) :")
        for k, v in report["coverage"].items():
            print(f"    {k:<22} {v:6.1%}")
        print("Tout est conforme." if report["ok"] else "Au moins un contrôle a échoué.")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
