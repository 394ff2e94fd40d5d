"""Town profile (fiche ville): the territorial diagnostic of one commune, from ``geodata`` only.

``profile(code_insee)`` returns a :class:`TownProfile`: header facts, diagnostic figures (each with its value,
unit, source, date and the département / region values with the way they were computed — see
:mod:`models.domain.territory_reference`), the unemployment trend of the zone d'emploi, the recruitment needs of
its BMO bassin, the partners nearby (straight-line km, estimated minutes), the 15/30/45-min catchment.

``python -m models.town_profile 88160 [--json]`` prints it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from models.text import fr_format as F
from models.text.display_names import bmo_basin
from models.domain.partners import KINDS, commune_row, partners_near
from models.domain.territory_reference import (METHOD_RATIO, SECTORS, Reference, bmo_share_difficult, defm_latest_month,
                                        departement_values, region_values)
from models.domain.town_facts import CATCHMENT_BANDS, fact_records, network_sites
from models.domain.territory import Territory, sites_key
from models.domain.travel import DEFAULT_SETTINGS, describe

__all__ = ["Figure", "TownProfile", "UnknownCommune", "profile", "indicator_rows"]

PARTNER_RADIUS_KM = 20.0      # partners listed within this straight-line distance
PARTNER_MIN_NEAREST = {"lycees_pro": 1, "missions_locales": 1, "france_services": 1, "france_travail": 1,
                       "cnam_sites": 3}  # always show at least these nearest ones, even farther away
PARTNER_MAX = {"france_services": 8}  # keep lists short enough to print
TREND_FROM = "2015-T1"
BMO_TOP = 10

SRC_RP = ("INSEE, recensement de la population", "communes", "RP 2021")
SRC_RP18 = ("INSEE, recensement de la population", "communes", "RP 2018 (pas d'équivalent 2021 dans les sources)")
SRC_ETAB = ("INSEE, établissements (comparateur de territoires)", "communes", "fin 2018")
SRC_FILO = ("INSEE, Filosofi", "communes", "2021")
SRC_POP = ("INSEE, populations légales (population municipale)", "communes", "2021, en vigueur au 1er janvier 2024")


@dataclass
class Figure:
    """One diagnostic figure with its provenance and comparisons."""

    key: str
    group: str
    label: str
    value: float | None
    unit: str
    source: str
    dataset: str           # key in geodata/sources.json (for the /sources page)
    date: str
    departement: float | None = None
    region: float | None = None
    method: str = ""       # how the département / region values are computed
    note: str = ""         # e.g. why the value is missing

    def fmt(self, x) -> str:
        return format_value(x, self.unit)


def format_value(x, unit: str) -> str:
    if F.is_missing(x):
        return "—"
    if unit == "%":
        return F.pct(x)
    if unit == "€":
        return f"{F.num(x)}{F.NBSP}€"
    return F.num(x) + (f"{F.NBSP}{unit}" if unit else "")


@dataclass
class TownProfile:
    code_insee: str
    nom: str
    departement: str
    departement_nom: str
    epci_nom: str
    ze_nom: str
    bv_nom: str
    bmo_nom: str
    densite: int | None
    densite_libelle: str
    population: int
    is_acv: bool
    lon: float
    lat: float
    point_source: str
    figures: list[Figure] = field(default_factory=list)
    chomage_trend: pd.DataFrame | None = None       # trimestre, zone, region_estimee
    bmo_top: pd.DataFrame | None = None             # metier, projets, projets_difficiles, part_difficiles, secret_*
    bmo_secret_rows: int = 0
    partners: dict[str, pd.DataFrame] = field(default_factory=dict)
    catchment: dict[int, float] = field(default_factory=dict)
    travel_note: str = ""
    facts: dict = field(default_factory=dict)         # the town facts (models.domain.town_facts), one truth per fact
    ter_validite: str = ""                            # validity of the TER stops feed, e.g. "2024-12-20 au 2025-03-20"

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def _val(x):
    return None if F.is_missing(x) or pd.isna(x) else float(x)


def _ratio(num, den, scale=100.0):
    num, den = _val(num), _val(den)
    return None if num is None or not den else num / den * scale


def _figures(c: pd.Series) -> list[Figure]:
    dep, reg = departement_values(c.departement), region_values()

    def fig(key, group, label, value, unit, src, method=None, note="", date=None, ref_key=None):
        ref_key = ref_key or key
        d, r = dep.get(ref_key, Reference(None, "")), reg.get(ref_key, Reference(None, ""))
        return Figure(key, group, label, _val(value), unit, src[0], src[1], date or src[2], d.value, r.value,
                      method or r.method, note)

    defm_month = c.demandeurs_emploi_mois if isinstance(c.demandeurs_emploi_mois, str) else None
    defm_month = defm_month or defm_latest_month()
    emploi, eco, rev = "Emploi et chômage", "Tissu économique", "Revenus"
    figs = [
        fig("population", "Population", "Population municipale", c.population, "hab.", SRC_POP),
        fig("chomage_ze", emploi, f"Taux de chômage de la zone d'emploi ({c.ze_nom})", c.chomage_ze, "%",
            ("INSEE, taux de chômage localisés (CVS)", "chomage_ze", c.chomage_ze_trimestre),
            note="taux de la zone d'emploi, pas de la commune"),
        fig("demandeurs_emploi", emploi, "Demandeurs d'emploi inscrits (fin de mois)", c.demandeurs_emploi, "",
            ("France Travail / DARES, DEFM", "demandeurs_emploi", defm_month),
            note="" if _val(c.demandeurs_emploi) is not None else
            "non publié pour cette commune (publié pour 180 communes d'environ 5 000 habitants et plus)"),
        fig("taux_chomage_rp", emploi, "Taux de chômage des 15–64 ans (au sens du recensement)",
            _ratio(c.chomeurs_1564, c.actifs_1564), "%", SRC_RP),
        fig("chomeurs_1564", emploi, "Chômeurs de 15–64 ans", c.chomeurs_1564, "", SRC_RP),
        fig("actifs_1564", emploi, "Actifs de 15–64 ans", c.actifs_1564, "", SRC_RP),
        fig("taux_activite", emploi, "Taux d'activité des 15–64 ans", _ratio(c.actifs_1564, c.pop_1564), "%", SRC_RP),
        fig("emplois", emploi, "Emplois au lieu de travail", c.emplois, "", SRC_RP18),
        fig("concentration_emploi", emploi, "Emplois pour 100 actifs résidents (concentration de l'emploi)",
            _ratio(c.emplois, c.actifs_1564_2018), "", SRC_RP18),
        fig("etab_total", eco, "Établissements actifs", c.etab_total, "", SRC_ETAB),
    ]
    for col, name in SECTORS.items():
        figs.append(fig(f"part_{col}", eco, f"Part des établissements : {name}", _ratio(c[col], c.etab_total), "%",
                        SRC_ETAB))
    figs += [
        fig("revenu_median", rev, "Revenu disponible médian par unité de consommation", c.revenu_median, "€", SRC_FILO,
            note="" if _val(c.revenu_median) is not None else "non publié (secret statistique, petite commune)"),
        fig("taux_pauvrete", rev, "Taux de pauvreté (seuil à 60 % du revenu médian)", c.taux_pauvrete, "%", SRC_FILO,
            note="" if _val(c.taux_pauvrete) is not None else
            "non publié pour cette commune (publié pour les communes de plus de 1 000 ménages environ)"),
    ]
    share = bmo_share_difficult(c.bmo_code)
    figs.append(Figure("bmo_part_difficiles", f"Besoins de recrutement (bassin BMO {bmo_basin(c.bmo_nom)})",
                       "Part des projets de recrutement jugés difficiles", share, "%",
                       "France Travail / Crédoc, enquête BMO", "bmo", "2024", None,
                       reg["bmo_part_difficiles"].value, METHOD_RATIO + " (cellules publiées) ; pas de valeur "
                       "départementale (bassins BMO)", "valeur du bassin BMO, pas de la commune"))
    return figs


@lru_cache(maxsize=1)
def _ze_actifs() -> pd.Series:
    return Territory.from_geodata().communes.groupby("ze_code").actifs_1564.sum()


@lru_cache(maxsize=None)
def _region_trend() -> pd.Series:
    """Regional estimate per quarter: mean of the ZE rates weighted by their active population (RP 2021)."""
    s = Territory.from_geodata().data("chomage_ze_series")
    w = s.ze_code.map(_ze_actifs())
    return (s.taux * w).groupby(s.trimestre).sum() / w.groupby(s.trimestre).sum()


def unemployment_trend(ze_code: str, since: str = TREND_FROM) -> pd.DataFrame:
    """Quarterly unemployment rate of a zone d'emploi and the regional estimate: trimestre, zone, region_estimee."""
    s = Territory.from_geodata().data("chomage_ze_series")
    z = s[(s.ze_code == ze_code) & (s.trimestre >= since)].set_index("trimestre").taux
    reg = _region_trend()
    return pd.DataFrame({"trimestre": z.index, "zone": z.to_numpy(), "region_estimee": reg.reindex(z.index).to_numpy()})


def bmo_needs(bmo_code: str, top: int = BMO_TOP) -> tuple[pd.DataFrame, int]:
    """Occupations with the most recruitment projects in a BMO bassin, and the number of secret rows.

    Secret cells stay NaN (shown "secret statistique"), never 0; ``part_difficiles`` only where both are known.
    """
    b = Territory.from_geodata().data("bmo")
    b = b[b.bmo_code == bmo_code]
    n_secret = int(b.secret_projets.sum())
    out = b[b.projets.notna()].sort_values(["projets", "metier"], ascending=[False, True]).head(top).copy()
    out["part_difficiles"] = out.projets_difficiles / out.projets * 100
    cols = ["metier", "famille", "projets", "projets_difficiles", "part_difficiles", "projets_saisonniers",
            "secret_projets", "secret_difficiles"]
    return out[cols].reset_index(drop=True), n_secret


def nearby_partners(code_insee: str, settings=None) -> dict[str, pd.DataFrame]:
    """Partners by kind (see :data:`models.domain.partners.KINDS`): within PARTNER_RADIUS_KM, at least the nearest."""
    out = {}
    for kind in KINDS:
        df = partners_near(code_insee, kind, max_km=PARTNER_RADIUS_KM, settings=settings)
        if len(df) < PARTNER_MIN_NEAREST[kind]:
            df = partners_near(code_insee, kind, n=PARTNER_MIN_NEAREST[kind], settings=settings)
        if kind in PARTNER_MAX:
            df = df.head(max(PARTNER_MAX[kind], int(df.dans_la_commune.sum())))
        out[kind] = df
    return out


def profile(code_insee: str) -> TownProfile:
    """The profile of one commune (cached per process and network version; do not mutate the result).

    Raises
    ------
    UnknownCommune
        Malformed code, or not a commune of the territory (French message).
    """
    code = str(commune_row(code_insee).code_insee)
    sites = network_sites()
    return _profile(code, sites_key(sites))


def ter_validity() -> str:
    """Validity dates of the TER stops feed, from the provenance manifest (French)."""
    v = Territory.from_geodata().data("sources").get("datasets", {}).get("ter_arrets", {}).get("validite") or {}
    if isinstance(v, dict) and v.get("debut") and v.get("fin"):
        return f"du {F.date(v['debut'])} au {F.date(v['fin'])}"
    return str(v) if v else "dates de validité inconnues"


@lru_cache(maxsize=512)
def _profile(code: str, network_key: tuple) -> TownProfile:
    c = commune_row(code)
    facts = fact_records([code])[0]
    bmo_top, n_secret = bmo_needs(c.bmo_code)
    s = DEFAULT_SETTINGS
    return TownProfile(
        code_insee=code, nom=c.nom, departement=c.departement, departement_nom=c.departement_nom,
        epci_nom=c.epci_nom, ze_nom=c.ze_nom, bv_nom=c.bv_nom, bmo_nom=c.bmo_nom,
        densite=None if pd.isna(c.densite) else int(c.densite), densite_libelle=c.densite_libelle,
        population=int(c.population), is_acv=bool(c.is_acv), lon=float(c.lon), lat=float(c.lat),
        point_source=c.point_source,
        figures=_figures(c), chomage_trend=unemployment_trend(c.ze_code), bmo_top=bmo_top, bmo_secret_rows=n_secret,
        partners=nearby_partners(code), catchment={m: float(facts[f"pop_{m}min"]) for m in CATCHMENT_BANDS},
        travel_note=f"Distances à vol d'oiseau ; {describe(s)}.",
        facts=facts, ter_validite=ter_validity(),
    )


def indicator_rows(p: TownProfile) -> pd.DataFrame:
    """One row per indicator (the CSV export): value, unit, département, region, method, source, date, note."""
    src = Territory.from_geodata().data("sources")["datasets"]
    rows = [{"code_insee": p.code_insee, "commune": p.nom, "groupe": f.group, "indicateur": f.label, "cle": f.key,
             "valeur": f.value, "unite": f.unit, "departement": f.departement, "region": f.region,
             "calcul_departement_region": f.method, "source": f.source, "date": f.date,
             "jeu_de_donnees": src.get(f.dataset, {}).get("title", f.dataset), "remarque": f.note}
            for f in p.figures]
    for m, pop in p.catchment.items():
        rows.append({"code_insee": p.code_insee, "commune": p.nom, "groupe": "Bassin de population",
                     "indicateur": f"Population à moins de {m} min (estimé)", "cle": f"population_{m}min",
                     "valeur": pop, "unite": "hab.", "departement": None, "region": None,
                     "calcul_departement_region": "", "source": SRC_POP[0] + " ; temps estimés (models/domain/travel.py)",
                     "date": SRC_POP[2], "jeu_de_donnees": src["communes"]["title"], "remarque": p.travel_note})
    return pd.DataFrame(rows)


def warm() -> None:
    """Compute the département and region references once (app start): they serve every town."""
    from models.domain import concept_fit

    region_values()
    for dep in Territory.from_geodata().communes.departement.unique():
        departement_values(str(dep))
    _region_trend()
    concept_fit.warm()


def clear_caches() -> None:
    _profile.cache_clear()
    _region_trend.cache_clear()
    _ze_actifs.cache_clear()
