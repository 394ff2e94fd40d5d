"""Variables of the regional choropleth: what each one is, where it comes from, its values per commune.

Pure data: the map page turns these into colours. Missing values stay NaN (shown as "donnée absente").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from models.domain.territory import Territory


@dataclass(frozen=True)
class MapVariable:
    key: str
    label: str
    unit: str
    source: str
    log_scale: bool = False      # skewed counts are coloured on a log scale
    reverse: bool = False        # True when a high value is "good" (colours reversed)
    categorical: bool = False
    decimals: int = 0


VARIABLES: dict[str, MapVariable] = {v.key: v for v in [
    MapVariable("population", "Population municipale", "hab.", "INSEE, populations légales 2021", log_scale=True),
    MapVariable("densite", "Grille de densité (1 = très dense … 7 = très peu dense)", "classe",
                "INSEE, grille communale de densité 2024", categorical=True),
    MapVariable("chomage_ze", "Taux de chômage de la zone d'emploi", "%",
                "INSEE, taux de chômage localisés, 2023-T3", decimals=1),
    MapVariable("demandeurs_emploi", "Demandeurs d'emploi (fin 2024)", "pers.",
                "France Travail / DARES, STMT, décembre 2024 — publié pour 180 communes seulement", log_scale=True),
    MapVariable("taux_pauvrete", "Taux de pauvreté", "%", "INSEE, Filosofi 2021 — secret pour les petites communes",
                decimals=1),
    MapVariable("revenu_median", "Revenu médian par unité de consommation", "€", "INSEE, Filosofi 2021",
                reverse=True),
    MapVariable("temps_cnam_min", "Temps jusqu'au site Cnam le plus proche (estimé)", "min",
                "temps estimé (modèle calibré) de la mairie au site, à ses propres coordonnées ; réseau en vigueur "
                "(implantations MESR 2017, sites attestés par la presse, modifications enregistrées)"),
]}
DEFAULT_VARIABLE = "chomage_ze"

DENSITE_LABELS = {1: "Grands centres urbains", 2: "Centres urbains intermédiaires", 3: "Petites villes",
                  4: "Ceintures urbaines", 5: "Bourgs ruraux", 6: "Rural à habitat dispersé",
                  7: "Rural à habitat très dispersé"}


def nearest_site_minutes() -> pd.Series:
    """Estimated minutes from every commune's town hall to the nearest site of the current network."""
    from models.domain.town_facts import network_sites

    t = Territory.from_geodata()
    sites = network_sites(t)
    if sites.empty:
        return pd.Series(np.nan, index=t.codes)
    return pd.Series(t.nearest_site(sites)[0], index=t.codes)


def values(key: str) -> pd.Series:
    """Values of variable ``key`` for every commune, in the territory's order, indexed by code_insee.

    The time to the Cnam follows the current network (recomputed: a few milliseconds); the others are cached."""
    if key not in VARIABLES:
        raise KeyError(f"variable inconnue : {key}")
    if key == "temps_cnam_min":
        return nearest_site_minutes().round(0)
    return _commune_values(key)


@lru_cache(maxsize=None)
def _commune_values(key: str) -> pd.Series:
    com = Territory.from_geodata().communes
    return pd.Series(com[key].astype(float).to_numpy(), index=com.code_insee.to_numpy())
