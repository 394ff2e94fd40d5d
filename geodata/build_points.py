"""Point layers: ACV towns, lycées, missions locales, France Services, France Travail agencies (Cnam: build_mesr)."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.errors import BuildError
from geodata.rawio import check_codes, read_csv, to_number


def acv(raw: Path, communes: pd.DataFrame, region: str) -> pd.DataFrame:
    p = raw / "acv/action_coeur_de_ville_communes.csv"
    a = read_csv(p, ["insee_com", "id_acv", "lib_com", "insee_reg", "longitude", "latitude"])
    a = a[a.insee_reg == region]
    check_codes(a.insee_com, set(communes.code_insee), p, "insee_com")
    return pd.DataFrame({"code_insee": a.insee_com, "nom": a.lib_com, "id_acv": a.id_acv,
                         "lon": to_number(a, "longitude", p), "lat": to_number(a, "latitude", p),
                         "precision": "point ANCT"}).sort_values("code_insee").reset_index(drop=True)


def _statut(raw_statut: str) -> str:
    s = raw_statut.lower()
    return "Privé" if "priv" in s else "Public" if "public" in s else "inconnu"


def lycees(raw: Path, communes: pd.DataFrame) -> pd.DataFrame:
    """Vocational establishments, one row each (SEP units folded into their lycée), + the other open lycées (GT).

    219 establishments of the source + 2 GT lycées whose only vocational part is a SEP unit on their site.
    """
    p_pro = raw / "lycees/lycees_voie_pro_grand_est.csv"
    p_all = raw / "lycees/lycees_grand_est_tous_fusion.csv"
    cols = ["uai", "nom_etablissement", "type_nature", "statut_public_prive", "code_commune_insee", "latitude",
            "longitude", "est_section_ou_site_rattache", "uai_lycee_meme_site_presume",
            "effectifs_voie_pro_2022_ips", "lp_nombre_d_eleves", "voie_pro_preuve_officielle",
            "ij_2022_2023_taux_emploi_6mois", "ij_2022_2023_taux_poursuite_etudes"]
    pro, tous = read_csv(p_pro, cols), read_csv(p_all, cols)
    for df, p in ((pro, p_pro), (tous, p_all)):
        check_codes(df.code_commune_insee, set(communes.code_insee), p, "code_commune_insee")
    sep = pro[pro.est_section_ou_site_rattache == "1"]
    # A SEP unit whose same-site lycée is a GT lycée gives that lycée a vocational track (2 cases in 2026).
    gt_parents = tous[tous.uai.isin(sep.uai_lycee_meme_site_presume) & ~tous.uai.isin(pro.uai)]
    main = pd.concat([pro[pro.est_section_ou_site_rattache != "1"], gt_parents])
    # Fold each SEP unit into its lycée: the presumed same-site lycée, else the nearest vocational lycée of its commune.
    main_pts = main.assign(lon=to_number(main, "longitude", p_pro), lat=to_number(main, "latitude", p_pro))
    parent = {}
    for label, s in sep.iterrows():
        if s.uai_lycee_meme_site_presume in set(main.uai):
            parent[s.uai] = s.uai_lycee_meme_site_presume
            continue
        same = main_pts[main_pts.code_commune_insee == s.code_commune_insee]
        if same.empty:
            raise BuildError(p_pro, f"section {s.uai} sans lycée de rattachement dans sa commune", row=int(label) + 2)
        d = (same.lon - float(s.longitude)) ** 2 + (same.lat - float(s.latitude)) ** 2
        parent[s.uai] = same.uai.loc[d.idxmin()]
    seps = pd.Series(parent).reset_index().groupby(0)["index"].apply(lambda u: " ".join(sorted(u)))
    sep_pupils = sep.assign(n=to_number(sep, "lp_nombre_d_eleves", p_pro), parent=sep.uai.map(parent)) \
        .groupby("parent")["n"].sum(min_count=1)

    def frame(df: pd.DataFrame, path: Path, voie_pro: bool) -> pd.DataFrame:
        ips = to_number(df, "effectifs_voie_pro_2022_ips", path)
        lp = to_number(df, "lp_nombre_d_eleves", path).fillna(df.uai.map(sep_pupils))
        return pd.DataFrame({
            "code_insee": df.code_commune_insee, "uai": df.uai, "nom": df.nom_etablissement,
            "lon": to_number(df, "longitude", path), "lat": to_number(df, "latitude", path),
            "voie_pro": voie_pro, "statut": df.statut_public_prive.map(_statut),
            "statut_source": df.statut_public_prive.replace("", "inconnu"),
            "type_nature": df.type_nature.replace("", None),
            "effectif_voie_pro": ips.fillna(lp) if voie_pro else np.nan,
            "preuve_officielle": df.voie_pro_preuve_officielle == "1",
            "sections_rattachees": df.uai.map(seps).fillna("") if voie_pro else "",
            "ij_taux_emploi_6mois": to_number(df, "ij_2022_2023_taux_emploi_6mois", path),
            "ij_taux_poursuite_etudes": to_number(df, "ij_2022_2023_taux_poursuite_etudes", path),
        })

    gt = tous[~tous.uai.isin(pro.uai) & ~tous.uai.isin(gt_parents.uai)]
    out = pd.concat([frame(main, p_pro, True), frame(gt, p_all, False)], ignore_index=True)
    return out.sort_values(["voie_pro", "code_insee", "uai"], ascending=[False, True, True]).reset_index(drop=True)


def missions_locales(raw: Path, communes: pd.DataFrame) -> pd.DataFrame:
    """43 head offices, located at the town hall of their commune (the source has no address)."""
    p = raw / "missions_locales/missions_locales_structures_grand_est_2023-09-18.csv"
    m = read_csv(p, ["code_structure_milo", "insee_commune_siege_derive", "nom_usuel", "nom_officiel"])
    check_codes(m.insee_commune_siege_derive, set(communes.code_insee), p, "insee_commune_siege_derive")
    pts = communes.set_index("code_insee")[["lon", "lat"]]
    out = pd.DataFrame({"code_insee": m.insee_commune_siege_derive,
                        "nom": m.nom_usuel.where(m.nom_usuel != "", m.nom_officiel),
                        "code_structure": m.code_structure_milo})
    out = out.join(pts, on="code_insee")
    out["precision"] = "commune"
    return out.sort_values("code_insee").reset_index(drop=True)


def france_services(raw: Path, communes: pd.DataFrame) -> pd.DataFrame:
    p = raw / "france_services/france_services_grand_est_20240801.csv"
    f = read_csv(p, ["id_fs", "insee_com", "lib_fs", "latitude", "longitude", "type_fs", "format_fs", "adresse"])
    check_codes(f.insee_com, set(communes.code_insee), p, "insee_com")
    return pd.DataFrame({"code_insee": f.insee_com, "id_fs": f.id_fs, "nom": f.lib_fs, "adresse": f.adresse,
                         "lon": to_number(f, "longitude", p), "lat": to_number(f, "latitude", p),
                         "type_fs": f.type_fs, "format_fs": f.format_fs}
                        ).sort_values(["code_insee", "id_fs"]).reset_index(drop=True)


def france_travail(raw: Path, shapes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Local agencies (ALE) of 2019; the source has no commune code: it is found by point-in-polygon."""
    p = raw / "france_travail/pole_emploi_agencies_grand_est_2019-11-13.csv"
    f = read_csv(p, ["NOM", "TYPE_SITE", "ADRESSE", "CODE_POSTAL", "COMMUNE", "latitude", "longitude", "CODE_SAFIR"])
    f = f[f.TYPE_SITE == "ALE"]
    pts = gpd.GeoDataFrame(f, geometry=gpd.points_from_xy(to_number(f, "longitude", p), to_number(f, "latitude", p)),
                           crs=4326)
    joined = gpd.sjoin_nearest(pts.to_crs(2154), shapes[["code_insee", "geometry"]].to_crs(2154),
                               how="left", max_distance=1000)
    joined = joined[~joined.index.duplicated()]
    if joined.code_insee.isna().any():
        label = joined.code_insee.isna().idxmax()
        raise BuildError(p, "agence hors de toute commune de la région (à plus de 1 km)", row=int(label) + 2)
    return pd.DataFrame({"code_insee": joined.code_insee, "nom": f.NOM, "code_safir": f.CODE_SAFIR,
                         "adresse": f.ADRESSE + ", " + f.CODE_POSTAL + " " + f.COMMUNE,
                         "lon": pts.geometry.x, "lat": pts.geometry.y,
                         "code_insee_source": "jointure spatiale"}).sort_values(["code_insee", "code_safir"]
                                                                               ).reset_index(drop=True)
