"""Département and region reference values for the town indicators, computed honestly.

Three kinds of comparison, each with its label (``method``) shown in the UI:

- **ratio** of sums (``sum numerators / sum denominators`` over the communes of the area): unemployment in the
  sense of the census, activity rate, job concentration, sector shares, share of difficult recruitments.
- **total**: counts (population, jobs, jobseekers — département/region jobseekers come from the published
  DEFM totals of those levels, not from the 180 communes).
- **weighted mean of communes**: medians and poverty rates of communes cannot be aggregated exactly; we show
  the mean of the communes where the figure is published, weighted by their population, and say so.
  The unemployment rate of a zone d'emploi has no département value: we show the mean of the ZE rates of the
  area's communes weighted by their active population (RP 2021), an *estimate*, not INSEE's published rate.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from models.domain.territory import Territory


METHOD_RATIO = "rapport des sommes sur les communes"
METHOD_TOTAL = "total"
METHOD_TOTAL_DEFM = "total publié par France Travail à ce niveau"
METHOD_WEIGHTED_COMMUNES = "moyenne des communes renseignées, pondérée par la population (pas une médiane de la zone)"
METHOD_ZE_ESTIMATE = ("estimation : moyenne des taux des zones d'emploi, pondérée par les actifs 15–64 ans "
                      "(RP 2021) — pas le taux officiel")

SECTORS = {
    "etab_industrie": "Industrie",
    "etab_construction": "Construction",
    "etab_commerce_transports_services": "Commerce, transports, services",
    "etab_admin_enseignement_sante": "Administration, enseignement, santé",
    "etab_agriculture": "Agriculture",
}


@dataclass(frozen=True)
class Reference:
    """One indicator's value for an area, with the way it was computed."""

    value: float | None
    method: str


def _ratio(num: pd.Series, den: pd.Series, scale: float = 100.0) -> float | None:
    ok = num.notna() & den.notna()
    d = den[ok].sum()
    return float(num[ok].sum() / d * scale) if d > 0 else None


def _weighted(values: pd.Series, weights: pd.Series) -> float | None:
    ok = values.notna() & weights.notna()
    w = weights[ok].sum()
    return float((values[ok] * weights[ok]).sum() / w) if w > 0 else None


def area_values(com: pd.DataFrame) -> dict[str, Reference]:
    """Reference values of a set of communes (a département, the region) for every profile indicator.

    Parameters
    ----------
    com : DataFrame
        Rows of the territory's communes for the area.
    """
    out = {
        "population": Reference(float(com.population.sum()), METHOD_TOTAL),
        "chomage_ze": Reference(_weighted(com.chomage_ze, com.actifs_1564), METHOD_ZE_ESTIMATE),
        "pop_1564": Reference(float(com.pop_1564.sum()), METHOD_TOTAL),
        "actifs_1564": Reference(float(com.actifs_1564.sum()), METHOD_TOTAL),
        "chomeurs_1564": Reference(float(com.chomeurs_1564.sum()), METHOD_TOTAL),
        "taux_activite": Reference(_ratio(com.actifs_1564, com.pop_1564), METHOD_RATIO),
        "taux_chomage_rp": Reference(_ratio(com.chomeurs_1564, com.actifs_1564), METHOD_RATIO),
        "emplois": Reference(float(com.emplois.sum()), METHOD_TOTAL),
        "concentration_emploi": Reference(_ratio(com.emplois, com.actifs_1564_2018), METHOD_RATIO),
        "etab_total": Reference(float(com.etab_total.sum()), METHOD_TOTAL),
        "revenu_median": Reference(_weighted(com.revenu_median, com.population), METHOD_WEIGHTED_COMMUNES),
        "taux_pauvrete": Reference(_weighted(com.taux_pauvrete, com.population), METHOD_WEIGHTED_COMMUNES),
    }
    for col in SECTORS:
        out[f"part_{col}"] = Reference(_ratio(com[col], com.etab_total), METHOD_RATIO)
    return out


@lru_cache(maxsize=None)
def region_values() -> dict[str, Reference]:
    """Reference values of the whole region (cached)."""
    territory = Territory.from_geodata()
    out = area_values(territory.communes)
    out["demandeurs_emploi"] = Reference(defm_total("region", territory.region_code), METHOD_TOTAL_DEFM)
    out["bmo_part_difficiles"] = Reference(bmo_share_difficult(None), METHOD_RATIO + " (cellules publiées)")
    return out


@lru_cache(maxsize=None)
def departement_values(departement: str) -> dict[str, Reference]:
    """Reference values of one département (cached); unknown code → empty area values with None."""
    com = Territory.from_geodata().communes
    out = area_values(com[com.departement == departement])
    out["demandeurs_emploi"] = Reference(defm_total("departement", departement), METHOD_TOTAL_DEFM)
    return out


@lru_cache(maxsize=None)
def _defm_latest() -> pd.DataFrame:
    s = Territory.from_geodata().data("demandeurs_series")
    return s[s.mois == s.mois.max()].set_index(["niveau", "code_geo"])


def defm_total(niveau: str, code_geo: str) -> float | None:
    """Jobseekers of the latest month at ``niveau`` ('commune', 'departement', 'region')."""
    try:
        return float(_defm_latest().loc[(niveau, code_geo), "demandeurs"])
    except KeyError:
        return None


def defm_latest_month() -> str:
    return str(Territory.from_geodata().data("demandeurs_series").mois.max())


@lru_cache(maxsize=None)
def _bmo_shares() -> pd.Series:
    b = Territory.from_geodata().data("bmo")
    ok = b.projets.notna() & b.projets_difficiles.notna()
    g = b[ok].groupby("bmo_code")[["projets", "projets_difficiles"]].sum()
    return g.projets_difficiles / g.projets * 100


def bmo_share_difficult(bmo_code: str | None) -> float | None:
    """Share (%) of recruitment projects judged difficult, over the cells where both counts are published.

    ``bmo_code=None`` → the region (ratio of sums over every bassin).
    """
    if bmo_code is None:
        b = Territory.from_geodata().data("bmo")
        ok = b.projets.notna() & b.projets_difficiles.notna()
        return float(b.projets_difficiles[ok].sum() / b.projets[ok].sum() * 100)
    value = _bmo_shares().get(bmo_code, np.nan)
    return None if pd.isna(value) else float(value)

