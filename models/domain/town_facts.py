"""Facts about a commune, each defined once: the ranking, the concept fit, the town profile and the simulator
read them here, so that two pages can never say different things about the same town.

Every fact of :data:`FACTS` names its unit, source and definition (shown in the UI). Distances are
straight-line km between the commune's town-hall point and the partner's point; times and catchments are
estimates (:mod:`models.domain.travel`: one travel model, calibrated on routed times). The Cnam sites are those of
the current network (:meth:`Territory.current_sites`, each site at its own coordinates).

``town_facts(["10387"])`` → one row per commune (index ``code_insee``), cached per territory, travel model
and network.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.domain.catchment import populations_within_bands
from models.domain.territory import Territory, check_code, sites_key
from models.domain.territory_reference import bmo_share_difficult
from models.domain.travel import TravelSettings, distance_matrix_km

CATCHMENT_BANDS = (15, 30, 45)      # minutes, estimated
LYCEES_RADIUS_KM = 20.0             # "lycées professionnels à 20 km"
PETITE_COMMUNE_POP = 5000           # under it, a commune that is not its bassin de vie's centre is "small"
ML_PROCHE_KM = 15.0                 # "mission locale proche": the one radius of the ranking and the concept fit


@dataclass(frozen=True)
class Fact:
    """One fact about a commune: column, French label, unit, source and how it is obtained."""

    key: str
    label: str
    unit: str
    source: str
    definition: str


FACTS: tuple[Fact, ...] = (
    Fact("population", "Population", "hab.", "INSEE, populations légales 2021",
         "Population municipale légale 2021 (en vigueur au 1er janvier 2024)."),
    Fact("is_pvd", "Petites villes de demain", "", "ANCT, Petites villes de demain, liste des communes lauréates "
         "(janvier 2021)", "La commune est lauréate du programme Petites villes de demain (liste du 22 janvier "
         "2021 ; les labels plus récents manquent)."),
    *(Fact(f"pop_{m}min", f"Population à {m} min (estimée)", "hab.", "INSEE ; temps estimés",
           f"Habitants des communes à {m} min au plus en voiture (temps estimé par le modèle de trajet).")
      for m in CATCHMENT_BANDS),
    Fact("n_lycees_pro_commune", "Lycées professionnels dans la ville", "lycées", "Annuaire de l'Éducation nationale",
         "Lycées proposant la voie professionnelle situés dans la commune."),
    Fact("lycees_pro_20km", f"Lycées professionnels à {LYCEES_RADIUS_KM:g} km", "lycées",
         "Annuaire de l'Éducation nationale",
         f"Lycées proposant la voie professionnelle à {LYCEES_RADIUS_KM:g} km au plus à vol d'oiseau de la mairie "
         "(ville comprise ; lycées hors de la région non comptés)."),
    Fact("n_ml_commune", "Missions locales dans la ville", "", "i-milo 2023",
         "Sièges de mission locale dans la commune (antennes absentes de la source)."),
    Fact("ml_km", "Distance à la mission locale la plus proche", "km", "i-milo 2023",
         "À vol d'oiseau, jusqu'au siège le plus proche (placé à sa commune)."),
    Fact("ml_nommee", "Ville nommée par une mission locale", "", "i-milo 2023",
         "Une mission locale du département porte le nom de la ville alors que son siège est ailleurs (ex. « ML "
         "Saint-Louis Altkirch », siège à Altkirch) : elle dessert la ville, où une antenne est probable mais non "
         "attestée (la source n'a pas les antennes). Seules comptent les villes centres de leur bassin de vie, pour "
         "écarter les noms communs (« Plaine et Plateau »)."),
    Fact("ml_dans_ville", "Mission locale dans la ville", "", "i-milo 2023",
         "Siège d'une mission locale dans la commune, ou ville nommée par une mission locale."),
    Fact("ml_proche", "Mission locale proche", "", "i-milo 2023",
         f"Mission locale dans la ville (siège ou ville nommée) ou siège à {ML_PROCHE_KM:g}\u00a0km au plus à vol d'oiseau "
         "— une seule définition, lue par le classement et par l'adéquation des concepts (Fab ID)."),
    Fact("ml_servie_km", "Distance à la mission locale qui dessert la ville", "km", "i-milo 2023",
         "0 si la mission locale est dans la ville (siège ou ville nommée), sinon distance à vol d'oiseau au siège le "
         "plus proche (placé à sa commune)."),
    Fact("n_fs_commune", "France Services dans la ville", "", "ANCT 2024", "Structures France Services de la commune."),
    Fact("n_ft_commune", "Agences France Travail dans la ville", "", "Pôle emploi 2019",
         "Agences locales (liste 2019) situées dans la commune."),
    Fact("n_cnam_commune", "Sites du Cnam dans la ville", "sites", "Réseau en vigueur (MESR 2017 + éditions)",
         "Sites du réseau en vigueur situés dans la commune."),
    Fact("cnam_min", "Temps jusqu'au site Cnam le plus proche (estimé)", "min", "Réseau en vigueur ; temps estimés",
         "Temps estimé depuis la mairie jusqu'au site du réseau en vigueur le plus proche, à ses propres coordonnées."),
    Fact("gare_ter", "Gare TER dans la ville", "", "SNCF — GTFS TER (arrêts)",
         "Une gare ou halte desservie par des trains TER (ou tram-train) se trouve dans la commune."),
    Fact("arret_car_ter", "Arrêt de car TER dans la ville", "", "SNCF — GTFS TER (arrêts)",
         "Un arrêt de car TER se trouve dans la commune."),
    Fact("gare_km", "Distance à la gare TER la plus proche", "km", "SNCF — GTFS TER (arrêts)",
         "À vol d'oiseau depuis la mairie. Le temps de trajet en TER (horaires d'un mardi de référence) est "
         "donné à part, vers les sites du Cnam et les villes ACV (page Sources)."),
    Fact("n_sup_commune", "Sites d'enseignement supérieur (hors Cnam)", "sites",
         "MESR — implantations de l'enseignement supérieur public (état 2017)",
         "Implantations publiques d'enseignement supérieur qui forment des étudiants (universités, IUT, écoles, "
         "INSPE…) situées dans la commune, Cnam exclu ; bibliothèques et services universitaires non comptés."),
)
BY_KEY = {f.key: f for f in FACTS}


def _nearest(lon, lat, pts: pd.DataFrame, prefix: str) -> dict:
    """Distance, name and commune of the nearest point of ``pts`` to each (lon, lat)."""
    n = len(lon)
    if pts.empty:
        return {f"{prefix}_km": np.full(n, np.nan), f"{prefix}_nom": np.full(n, None),
                f"{prefix}_commune": np.full(n, None)}
    d = distance_matrix_km(lon, lat, pts["lon"].to_numpy(float), pts["lat"].to_numpy(float))
    j = d.argmin(axis=1)
    communes = pts["commune"].to_numpy() if "commune" in pts else np.full(len(pts), None)
    return {f"{prefix}_km": d[np.arange(n), j], f"{prefix}_nom": pts["nom"].to_numpy()[j],
            f"{prefix}_commune": communes[j]}


def _count_in(pts: pd.DataFrame, codes: list[str], territory: Territory | None = None, key: str = "") -> np.ndarray:
    """Points of ``pts`` in each commune of ``codes`` (counts memoised on the territory for its static layers)."""
    memo_key = f"town_facts.counts.{key}"
    if territory is None or memo_key not in territory.memo:
        counts = pts["code_insee"].dropna().astype(str).value_counts().to_dict()
        if territory is not None:
            territory.memo[memo_key] = counts
    else:
        counts = territory.memo[memo_key]
    return np.array([int(counts.get(c, 0)) for c in codes])


def _with_commune_names(pts: pd.DataFrame, territory: Territory) -> pd.DataFrame:
    if "commune" in pts:
        return pts
    return pts.assign(commune=pts["code_insee"].astype(str).map(territory.names))


def partner_layer(territory: Territory, kind: str) -> pd.DataFrame:
    """The partner points of ``kind`` with their commune name (vocational lycées only for ``lycees_pro``)."""
    key = f"town_facts.layer.{kind}"
    if key not in territory.memo:
        if kind == "lycees_pro":
            lyc = territory.layer("lycees")
            pts = lyc[lyc["voie_pro"].astype(bool)] if "voie_pro" in lyc else lyc
        elif kind == "gares_ter":
            ter = territory.layer("ter_arrets")
            pts = ter[ter["train"].astype(bool) | ter["tram_train"].astype(bool)] if "train" in ter else ter
        elif kind == "arrets_car_ter":
            ter = territory.layer("ter_arrets")
            pts = ter[ter["car"].astype(bool)] if "car" in ter else ter
        elif kind == "enseignement_superieur":  # teaching sites only (not libraries or medical centres)
            sup = territory.layer(kind)
            pts = sup[sup["formation"].astype(bool)] if "formation" in sup else sup
        else:
            pts = territory.layer(kind)
        territory.memo[key] = _with_commune_names(pts.reset_index(drop=True), territory)
    return territory.memo[key]


def _normalised_name(text) -> str:
    """Upper-case ASCII words, ``ST``/``STE`` spelled out, padded with spaces (whole-word search)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().upper()
    text = re.sub(r"[^A-Z0-9]+", " ", text)
    text = re.sub(r"\bSTE\b", "SAINTE", re.sub(r"\bST\b", "SAINT", text))
    return f" {text.strip()} "


def ml_named_towns(territory: Territory) -> dict[str, int]:
    """``{code_insee: row of the missions_locales layer}`` for the towns an ML names without having its head
    office there (fact ``ml_nommee``): a commune of the ML's département (that of its head office), centre of its
    bassin de vie, whose whole name appears in the ML's name. Memoised on the territory."""
    key = "town_facts.ml_named"
    if key not in territory.memo:
        ml = partner_layer(territory, "missions_locales")
        com = territory.communes
        centres = com[com["bv_code"].astype(str) == com["code_insee"].astype(str)] if "bv_code" in com else com
        names = {c: _normalised_name(n) for c, n in zip(centres["code_insee"].astype(str), centres["nom"])}
        out: dict[str, int] = {}
        for i, (seat, ml_name) in enumerate(zip(ml["code_insee"].astype(str), ml["nom"])):
            text = _normalised_name(ml_name)
            for code, name in names.items():
                if code != seat and code[:2] == seat[:2] and name in text:
                    out.setdefault(code, i)
        territory.memo[key] = out
    return territory.memo[key]


def _ml_facts(territory: Territory, codes: list[str], near: dict, n_commune: np.ndarray) -> dict:
    """The shared "mission locale" facts (named, in the town, nearby within :data:`ML_PROCHE_KM`)."""
    ml = partner_layer(territory, "missions_locales")
    named = ml_named_towns(territory)
    rows = [named.get(c) for c in codes]
    nommee = np.array([r is not None for r in rows])
    dans = nommee | (n_commune > 0)
    km = np.asarray(near["ml_km"], float)
    servie_km = np.where(dans, 0.0, km)
    nom = [ml["nom"].iat[r] if r is not None else n for r, n in zip(rows, near["ml_nom"])]
    commune = [ml["commune"].iat[r] if r is not None else c for r, c in zip(rows, near["ml_commune"])]
    return {"ml_nommee": nommee, "ml_dans_ville": dans, "ml_proche": dans | (km <= ML_PROCHE_KM),
            "ml_servie_km": servie_km, "ml_servie_nom": nom, "ml_servie_commune": commune}


def _partner_facts(territory: Territory, codes: list[str], lon, lat) -> dict:
    out: dict[str, object] = {}
    lyc = partner_layer(territory, "lycees_pro")
    out["n_lycees_commune"] = _count_in(territory.layer("lycees"), codes, territory, "lycees")
    out["n_lycees_pro_commune"] = _count_in(lyc, codes, territory, "lycees_pro")
    d = distance_matrix_km(lon, lat, lyc["lon"].to_numpy(float), lyc["lat"].to_numpy(float))
    out["lycees_pro_20km"] = (d <= LYCEES_RADIUS_KM).sum(axis=1)
    out.update(_nearest(lon, lat, lyc, "lycee_pro"))
    for kind, prefix in (("missions_locales", "ml"), ("france_travail", "ft"), ("france_services", "fs")):
        pts = partner_layer(territory, kind)
        out[f"n_{prefix}_commune"] = _count_in(pts, codes, territory, kind)
        out.update(_nearest(lon, lat, pts, prefix))
    out.update(_ml_facts(territory, codes, out, out["n_ml_commune"]))
    gares, cars = partner_layer(territory, "gares_ter"), partner_layer(territory, "arrets_car_ter")
    out["gare_ter"] = _count_in(gares, codes, territory, "gares_ter") > 0
    out["arret_car_ter"] = _count_in(cars, codes, territory, "arrets_car_ter") > 0
    out.update(_nearest(lon, lat, gares, "gare"))
    sup = partner_layer(territory, "enseignement_superieur")
    out["n_sup_commune"] = _count_in(sup, codes, territory, "enseignement_superieur")
    names = sup.groupby(sup["code_insee"].astype(str))["nom"].apply(lambda s: sorted(set(s))) if len(sup) else {}
    out["sup_noms"] = [list(names.get(c, [])) for c in codes]
    return out


def _cnam_facts(territory: Territory, codes: list[str], sites: pd.DataFrame, settings) -> dict:
    pos = territory.positions(codes)
    n = len(codes)
    if sites.empty:
        return {"n_cnam_commune": np.zeros(n, int), "cnam_min": np.full(n, np.inf), "cnam_km": np.full(n, np.nan),
                "cnam_nom": np.full(n, None), "cnam_commune": np.full(n, None), "cnam_code": np.full(n, None),
                "cnam_source": np.full(n, None)}
    minutes, j = territory.nearest_site(sites, settings, codes)
    com = territory.communes.iloc[pos]
    km = distance_matrix_km(com["lon"].to_numpy(float), com["lat"].to_numpy(float),
                            sites["lon"].to_numpy(float), sites["lat"].to_numpy(float))
    label = sites["source_label"] if "source_label" in sites else pd.Series("", index=sites.index)
    # the site's commune by its current name (Briey's site stands in Val de Briey since 2017), as the coverage map
    # and the demand texts name it; the source's own name where the code is not a commune of the territory
    town = sites["code_insee"].astype(str).map(territory.index["nom"]).fillna(sites["commune"])
    return {"n_cnam_commune": _count_in(sites, codes), "cnam_min": minutes,
            "cnam_km": km[np.arange(n), j], "cnam_nom": sites["nom"].to_numpy()[j],
            "cnam_commune": town.to_numpy()[j], "cnam_code": sites["code_insee"].astype(str).to_numpy()[j],
            "cnam_source": label.to_numpy()[j]}


def _compute(territory: Territory, codes: list[str], sites: pd.DataFrame, settings) -> pd.DataFrame:
    com = territory.communes.iloc[territory.positions(codes)]
    lon, lat = com["lon"].to_numpy(float), com["lat"].to_numpy(float)
    plain = ["nom", "departement", "population", "is_acv", "densite", "chomage_ze", "chomage_ze_trimestre", "ze_nom",
             "taux_pauvrete", "bmo_code", "bmo_nom", "demandeurs_emploi", "bv_code", "bv_nom", "lon", "lat"]
    out: dict[str, object] = {c: com[c].to_numpy() for c in plain if c in com}
    out["population"] = com["population"].to_numpy(float)
    out["is_pvd"] = np.isin(np.asarray(codes, dtype=object), territory.layer("pvd")["code_insee"].astype(str))
    if "bmo_code" in com:
        out["bmo_part_difficiles"] = [bmo_share_difficult(b) for b in com["bmo_code"]]
    small = (out["population"] < PETITE_COMMUNE_POP) & (com["bv_code"].to_numpy() != np.array(codes)) \
        if "bv_code" in com else np.zeros(len(codes), bool)
    out["pole"] = np.where(small & com["bv_nom"].notna().to_numpy(), com["bv_nom"].to_numpy(), None) \
        if "bv_nom" in com else np.full(len(codes), None)
    pops = populations_within_bands(codes, CATCHMENT_BANDS, settings, territory=territory)
    for k, m in enumerate(CATCHMENT_BANDS):
        out[f"pop_{m}min"] = pops[:, k]
    out.update(_partner_facts(territory, codes, lon, lat))
    out.update(_cnam_facts(territory, codes, sites, settings))
    return pd.DataFrame(out, index=pd.Index(codes, name="code_insee"))


def network_sites(territory: Territory | None = None) -> pd.DataFrame:
    """The sites of the current network (reference + edits): :meth:`Territory.current_sites`."""
    return (territory or Territory.from_geodata()).current_sites()


def fact_records(codes, territory: Territory | None = None, settings: TravelSettings | None = None,
                 sites: pd.DataFrame | None = None) -> list[dict]:
    """The facts of the communes ``codes`` as one dict each (input order), computed once per territory, travel
    model and network, then read from the cache (see :func:`town_facts`)."""
    territory = territory or Territory.from_geodata()
    codes = [_known(territory, c) for c in codes]
    if sites is None:
        sites = network_sites(territory)
    cache = territory.memo.setdefault(("town_facts", settings, sites_key(sites)), {})
    todo = [c for c in dict.fromkeys(codes) if c not in cache]
    if todo:
        facts = _compute(territory, todo, sites, settings)
        cache.update(zip(facts.index, _records(facts)))
    return [cache[c] for c in codes]


def _records(facts: pd.DataFrame) -> list[dict]:
    """The rows as dicts, a missing text as ``None``: pandas stores a missing string as NaN, which reads as true
    (a town of 6,000 inhabitants computed beside small communes was told to look to its pole "nan")."""
    text = [c for c in facts.columns if pd.api.types.is_string_dtype(facts[c]) or facts[c].dtype == object]
    out = facts.astype({c: object for c in text})
    out[text] = out[text].where(out[text].notna(), None)
    return out.to_dict("records")


def _known(territory: Territory, code) -> str:
    code = check_code(code)
    if code not in territory:
        territory.row(code)  # raises the French message
    return code


def town_facts(codes, territory: Territory | None = None, settings: TravelSettings | None = None,
               sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """The facts of the communes ``codes``, one row each (index ``code_insee``, input order).

    Parameters
    ----------
    codes : sequence of str
    territory : Territory, optional
        Default: the region of geodata/ (``Territory.from_geodata()``).
    settings : TravelSettings, optional
        Travel model (default: the calibrated one).
    sites : DataFrame, optional
        Cnam sites with ``lon``/``lat``; default: the current network.

    Raises
    ------
    UnknownCommune
        A malformed code or one that is not a commune of the territory (French message).
    """
    records = fact_records(codes, territory, settings, sites)
    return pd.DataFrame(records, index=pd.Index([check_code(c) for c in codes], name="code_insee"))


def town_fact(code_insee: str, **kwargs) -> pd.Series:
    """The facts of one commune (see :func:`town_facts`)."""
    return pd.Series(fact_records([code_insee], **kwargs)[0], name=check_code(code_insee))
