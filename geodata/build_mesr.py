"""MESR « implantations des établissements d'enseignement supérieur publics »: Cnam network and higher education.

The ministry's file (état 2017) is the reference for Cnam sites; rows of the hand-assembled list that it lacks
are kept with their lower trust. Every coordinate is the site's own (``Géolocalisation`` = "lat, lon").
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geodata.errors import BuildError
from geodata.rawio import check_codes, read_csv

MESR_FILE = "cnam/fr-esr-implantations_etablissements_enseignement_superieur_publics.csv"
HAND_FILE = "cnam/cnam_centres_reseau_avant_2019.csv"
CNAM = "cnam|conservatoire national des arts"
MESR_LABEL = "Implantations MESR, état 2017"
MESR_CITATION = "MESR, implantations des établissements d'enseignement supérieur publics (état 2017)"
COLS = {"Implantation": "nom", "Code de l'implantation": "uai", "Etablissement siège": "etablissement",
        "type de l'établissement siège": "type_etablissement", "Type": "type_source", "Nature": "nature",
        "Date d'ouverture": "date_ouverture", "Géolocalisation": "geoloc", "Code commune": "code_insee",
        "Commune": "commune", "Adresse": "adresse", "Lieu dit": "lieu_dit", "Code postal": "code_postal",
        "Code région": "code_region"}


def _lat_lon(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Split ``geoloc`` ("lat, lon") into numeric ``lat``/``lon`` (NaN if empty); a malformed cell names its row."""
    lat, lon = [], []
    for label, cell in df.geoloc.items():
        if cell == "":
            lat.append(float("nan"))
            lon.append(float("nan"))
            continue
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", cell)
        if not m or not (-90 <= float(m[1]) <= 90 and -180 <= float(m[2]) <= 180):
            raise BuildError(path, f"géolocalisation illisible {cell!r} (attendu « lat, lon ») "
                                   f"pour l'implantation {df.uai[label]}", row=int(label) + 2)
        lat.append(float(m[1]))
        lon.append(float(m[2]))
    return df.assign(lat=lat, lon=lon).drop(columns="geoloc")


def read_mesr(raw: Path) -> pd.DataFrame:
    """The whole MESR file (2,561 rows), renamed columns, index = data-row number (file line − 2)."""
    path = raw / MESR_FILE
    df = read_csv(path, list(COLS), sep=";")[list(COLS)].rename(columns=COLS)
    df = df.apply(lambda s: s.str.split().str.join(" "))  # collapse the source's double spaces
    df = _lat_lon(df, path)
    df["code_region"] = df.code_region.str.removeprefix("R")
    df["date_ouverture"] = df.date_ouverture.replace("", None)
    df["cnam"] = (df.etablissement.str.contains(CNAM, case=False)
                  | df.nom.str.contains(CNAM, case=False))
    return df


def require_points(df: pd.DataFrame, raw: Path) -> pd.DataFrame:
    """Rows kept for the region must have coordinates: the first one without names its file row."""
    bad = df.lat.isna()
    if bad.any():
        label = bad.idxmax()
        raise BuildError(raw / MESR_FILE, f"implantation {df.uai[label]} sans géolocalisation", row=int(label) + 2)
    return df


def cnam_sites_france(mesr: pd.DataFrame) -> pd.DataFrame:
    """The 146 Cnam implantations of France (for a later national view)."""
    c = mesr[mesr.cnam]
    return (c[["uai", "nom", "etablissement", "code_insee", "commune", "code_region", "lon", "lat",
               "date_ouverture", "adresse"]].replace({"code_insee": {"": None}})
            .sort_values("uai").reset_index(drop=True))


SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "d", "l", "et", "au", "aux"}


def _street(adresse: str) -> str:
    """« 34 RUE DE SAURUPT » → « 34 Rue de Saurupt » (for display only; ``adresse`` keeps the source's text)."""
    words = adresse.lower().split()
    return " ".join(w if (w in SMALL_WORDS and i) or w[0].isdigit() else w.capitalize() for i, w in enumerate(words))


def _display_names(c: pd.DataFrame) -> pd.Series:
    """« Cnam — Troyes »; the street is added where a commune has two sites (Metz, Nancy, Reims)."""
    base = "Cnam — " + c.commune
    twice = c.commune.duplicated(keep=False)
    return base.where(~twice, base + " (" + c.adresse.map(_street) + ")")


def _press_label(source: str, date: str) -> str:
    """Short French label of a hand-list source: « Presse (Cnam Lorraine, 2011) », « CV en ligne (2023-2025) »."""
    years = re.search(r"\d{4}(?:-\d{4})?", date)
    when = years[0] if years else "date inconnue"
    if "cnam-lorraine.fr" in source:
        return f"Presse (Cnam Lorraine, {when})"
    if "gazettemoselle" in source:
        return f"Presse (Gazette Moselle, {when})"
    if "CV" in source:
        return f"CV en ligne ({when})"
    return f"Source publique ({when})"


def _press_match(hand: pd.DataFrame, mesr_ge: pd.DataFrame) -> dict[str, str]:
    """Hand-list site_id → the MESR UAI it is attached to: same commune; same address when given, else first UAI."""
    match = {}
    for _, h in hand.iterrows():
        same = mesr_ge[mesr_ge.code_insee == h.code_insee].sort_values("uai")
        if same.empty:
            continue
        street = h.adresse.split(",")[0].strip().upper()
        by_addr = same[same.adresse.str.upper() == street] if street else same.iloc[:0]
        match[h.site_id] = (by_addr if len(by_addr) else same).uai.iloc[0]
    return match


def cnam_sites(raw: Path, communes: pd.DataFrame, mesr: pd.DataFrame | None = None) -> pd.DataFrame:
    """Grand Est Cnam network of reference: 19 MESR rows at their own point + press-only rows at the town hall."""
    p_hand = raw / HAND_FILE
    hand = read_csv(p_hand, ["site_id", "nom", "commune", "code_insee", "type", "fiabilite", "source",
                             "date_source", "attestation", "adresse"])
    check_codes(hand.code_insee, set(communes.code_insee), p_hand, "code_insee")
    mesr = read_mesr(raw) if mesr is None else mesr
    ge = require_points(mesr[mesr.cnam & (mesr.code_region == "44")].sort_values("uai"), raw)
    check_codes(ge.code_insee, set(communes.code_insee), raw / MESR_FILE, "Code commune")
    deps = communes.set_index("code_insee").departement
    match = _press_match(hand, ge)
    hand_by_uai = hand.assign(uai=hand.site_id.map(match)).dropna(subset=["uai"]).set_index("uai")
    official = pd.DataFrame({
        "site_id": "mesr-" + ge.uai, "code_insee": ge.code_insee, "nom": _display_names(ge), "commune": ge.commune,
        "departement": ge.code_insee.map(deps), "type": ge.nature, "fiabilite": "officielle (MESR)",
        "uai": ge.uai, "adresse": ge.adresse, "code_postal": ge.code_postal, "date_ouverture": ge.date_ouverture,
        "lon": ge.lon, "lat": ge.lat, "precision": "adresse du site", "source": "mesr", "source_label": MESR_LABEL,
        "source_reference": MESR_CITATION, "date_source": "état 2017",
        "attestation": ge.uai.map(hand_by_uai.attestation), "site_id_presse": ge.uai.map(hand_by_uai.site_id),
        "nom_source": ge.nom,
    })
    press = hand[~hand.site_id.isin(match)]
    pts = communes.set_index("code_insee")[["lon", "lat"]]
    extra = pd.DataFrame({
        "site_id": press.site_id, "code_insee": press.code_insee, "nom": "Cnam — " + press.commune,
        "commune": press.commune,
        "departement": press.code_insee.map(deps), "type": press.type, "fiabilite": press.fiabilite,
        "uai": None, "adresse": press.adresse.replace("", None), "code_postal": None, "date_ouverture": None,
        "lon": press.code_insee.map(pts.lon), "lat": press.code_insee.map(pts.lat),
        "precision": "commune (mairie)", "source": "presse",
        "source_label": [_press_label(s, d) for s, d in zip(press.source, press.date_source)],
        "source_reference": press.source, "date_source": press.date_source, "attestation": press.attestation,
        "site_id_presse": press.site_id, "nom_source": press.nom,
    })
    out = pd.concat([official, extra], ignore_index=True)
    return out.sort_values(["source", "site_id"]).reset_index(drop=True)


UNIVERSITY_NATURES = {n.lower() for n in (
    "Université", "Unité de formation et de recherche (hors santé)", "Unité de formation et de recherche en santé",
    "Composante d'université avec formation diplômante", "Antenne délocalisée d'une composante d'université",
    "Institut d'admininistration des entreprises", "Institut d'études politiques",
    "Institut de préparation à l'administration générale", "Institut universitaire professionnalisé",
    "Institut du travail", "Partie délocalisée d'un établissement de l'enseignement supérieur")}


def _categorie(r) -> str:
    """Short French category from the source's own ``Type`` and ``Nature`` (rule documented in README)."""
    n, t = r.nature.lower(), r.type_source.lower()
    if "iut" in n or "institut universitaire de technologie" in n:
        return "IUT"
    if t.startswith("ecoles d'ingénieurs") or n == "université de technologie":
        return "école d'ingénieurs"
    if t.startswith("formation initiale continue des professeurs"):
        return "INSPE"
    if t.startswith("services communs"):
        return "service universitaire"
    if t.startswith("centres de formation d'apprentis"):
        return "CFA universitaire"
    if t.startswith("autres écoles post-bac"):
        return "autre école"
    if t.startswith("universités") and n in UNIVERSITY_NATURES:
        return "université"
    return "autre"


TEACHING = {"université", "IUT", "école d'ingénieurs", "INSPE", "CFA universitaire", "autre école"}


def enseignement_superieur(raw: Path, communes: pd.DataFrame, mesr: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every non-Cnam public higher-education implantation located in a commune of the region."""
    mesr = read_mesr(raw) if mesr is None else mesr
    es = require_points(mesr[~mesr.cnam & mesr.code_insee.isin(set(communes.code_insee))].copy(), raw)
    es["categorie"] = es.apply(_categorie, axis=1)
    es["formation"] = es.categorie.isin(TEACHING)
    cols = ["uai", "nom", "etablissement", "type_etablissement", "type_source", "nature", "categorie", "formation",
            "code_insee", "commune", "adresse", "code_postal", "lon", "lat", "date_ouverture"]
    return es[cols].sort_values(["code_insee", "uai"]).reset_index(drop=True)
