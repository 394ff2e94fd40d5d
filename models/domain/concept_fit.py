"""Which implantation concept fits a commune: what it has and lacks, in plain French, from the town facts.

Three concepts (ids as in ``models/parameters.toml``): ``clef_en_main``, ``fab_id``, ``progressif``. Every
fact comes from :mod:`models.domain.town_facts` (one definition per fact). Each concept has **host conditions**
(all needed; without them the fit is "faible" whatever else the town has) and **assets** (criteria met →
``has``, not met → ``lacks``, data missing → ``unknown``, never counted as 0).

Rules (thresholds are the module constants below)
-------------------------------------------------
Demand of a concept = the learners a new site of that concept can expect in the town, competing with the current
network (:func:`models.domain.demand.candidates`, the one demand model), against the concept's break-even
(:func:`models.domain.simulator.default_break_even`), with the one viability rule (:func:`models.domain.demand.viability`):
at the central estimate → an asset; only at the high estimate → a lack; not even at the high one → a host
condition not met. A site that would take most of its learners from existing sites (a suburb) lacks an asset.

Host conditions common to the three: at least ``HOTE_POP_MIN`` (5 000) inhabitants — a village has neither the
premises nor the public of a site.

**Clef en main** (backed by a lycée) — host: a vocational lycée *in the commune*; the demand (above). Assets: ≥ ``LYCEES_VIVIER_MIN`` (3) vocational
lycées within 20 km; difficult recruitments of the BMO bassin ≥ the regional share.
**Fab ID** (third-place with the missions locales) — host: a mission locale nearby, the town fact ``ml_proche``
(:mod:`models.domain.town_facts`: head office in the commune, a town named by an ML, or a head office within
``town_facts.ML_PROCHE_KM``, 15 km — the same definition as the ranking's). Assets: a France Travail agency
within ``FT_PROCHE_KM``; zone unemployment above the
region; poverty above the regional mean; a TER station or coach stop in the commune (a site its public can reach
without a car), with who reaches it within 45 min by TER + bike (:func:`models.domain.transit.catchment`, Cnam site and
ACV towns, where the timetable journeys were computed).
**Progressif** (services first, then distance learning) — host: the demand (above). Assets: no Cnam site within ``CNAM_ELOIGNE_MIN`` (30 min); a France
Services in the commune; public higher education in the commune (the academic resources a hub counts on).

A commune that already hosts a site of the current network is **déjà desservie**: the site is to be
strengthened, not created — the verdict says so and no concept is "forte" there.
Score = assets and host conditions met / known (0–1). Level: ``faible`` when a host condition is missing, else
``forte`` (≥ ``LEVEL_FORTE`` 0.75), ``moyenne`` (≥ ``LEVEL_MOYENNE`` 0.5) or ``faible``; ``moyenne`` at most when
déjà desservie. Suggested concept: the best score among concepts whose host conditions are met, ties broken in
the order clef_en_main, fab_id, progressif.

``python -m models.concept_fit 88160 [--json]`` prints the fit of a commune.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pandas as pd

from models.domain import demand
from models.text import fr_format as F
from models.domain import town_facts as TF
from models.domain import transit
from models.text.display_names import bmo_basin
from models.domain.territory import Territory, check_code, sites_key
from models.domain.territory_reference import region_values
from models.domain.simulator import default_break_even
from models.domain.town_facts import LYCEES_RADIUS_KM, PETITE_COMMUNE_POP, fact_records, network_sites
from models.domain.travel import TravelSettings

CONCEPTS = {"clef_en_main": "Clef en main", "fab_id": "Fab ID", "progressif": "Progressif"}
CONCEPT_ORDER = tuple(CONCEPTS)

HOTE_POP_MIN = PETITE_COMMUNE_POP
LYCEES_VIVIER_KM = LYCEES_RADIUS_KM
LYCEES_VIVIER_MIN = 3
FT_PROCHE_KM = 15.0
CNAM_ELOIGNE_MIN = 30.0
LEVEL_FORTE = 0.75
LEVEL_MOYENNE = 0.5
STATUS_TEXT = {"candidate": "candidate", "trop_petite": "commune trop petite pour accueillir un site",
               "deja_desservie": "déjà desservie : site du Cnam à renforcer", "sans_conditions":
               "conditions d'accueil d'aucun concept réunies"}


@dataclass
class ConceptFit:
    """Fit of one concept to one commune."""

    concept: str
    label: str
    score: float                  # criteria met / criteria known, 0–1
    level: str                    # "forte" | "moyenne" | "faible"
    prerequisite_met: bool        # every host condition met
    has: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def n_known(self) -> int:
        return len(self.has) + len(self.lacks)


@dataclass
class Verdict:
    """The town in one look: is it a candidate, which concept, why (French, for "En bref")."""

    status: str                   # a key of STATUS_TEXT
    concept: str
    reason: str
    headline: str


def _where(n_commune: int, km: float, nom: str, commune: str) -> str:
    return f"dans la commune ({nom})" if n_commune else f"à {F.km(km)} ({nom}, {commune})"


def _population(f, host: list, lacks_host: list) -> None:
    txt = f"{F.num(f.population)} habitants"
    if f.population >= HOTE_POP_MIN:
        host.append(f"{txt} (au moins {F.num(HOTE_POP_MIN)} pour accueillir un site)")
    else:
        lacks_host.append(f"{txt} seulement : moins de {F.num(HOTE_POP_MIN)}, trop peu pour accueillir un site")


def _demand(f, concept: str, host: list, lacks_host: list, lacks: list) -> None:
    """Expected learners of a new site of ``concept`` vs its break-even; a suburb's learners mostly drawn."""
    est, be = f.demand[concept], default_break_even(concept)
    v = demand.viability(est, be)
    txt = (f"{F.num(est['central'])} auditeurs attendus par an (fourchette {F.num(est['low'])} à "
           f"{F.num(est['high'])}) pour un point mort de {F.num(v['needed'])}")
    if v["level"] == "centrale":
        host.append(f"{txt} : s'autofinance à l'estimation centrale")
    elif v["level"] == "haute":
        lacks.append(f"{txt} : s'autofinance seulement à l'estimation haute")
    else:
        lacks_host.append(f"{txt} : ne s'autofinance pas, même à l'estimation haute")
    if not est["existant"] and est["drawn"] > est["net_new"] and est["source_code"]:
        lacks.append(f"{F.num(est['drawn'])} de ces {F.num(est['central'])} auditeurs seraient pris à des sites "
                     f"existants (surtout {f.demand_source}) : le site déplacerait des auditeurs plus qu'il n'en "
                     "trouverait")


def _clef_en_main(f, ref) -> ConceptFit:
    has, lacks, unknown, host_lacks = [], [], [], []
    _population(f, has, host_lacks)
    n_com = int(f.n_lycees_pro_commune)
    if n_com:
        has.append(f"{F.plural(n_com, 'lycée')} à voie professionnelle dans la commune — adossement possible")
    else:
        host_lacks.append(f"aucun lycée à voie professionnelle dans la commune (le plus proche : {f.lycee_pro_nom}, "
                          f"{f.lycee_pro_commune}, {F.km(f.lycee_pro_km)}) — pas d'adossement")
    _demand(f, "clef_en_main", has, host_lacks, lacks)
    n20 = int(f.lycees_pro_20km)
    txt = f"{F.plural(n20, 'lycée')} à voie professionnelle à moins de {F.km(LYCEES_VIVIER_KM)}"
    (has if n20 >= LYCEES_VIVIER_MIN else lacks).append(
        txt + (" — vivier d'alternants" if n20 >= LYCEES_VIVIER_MIN else f" (moins de {LYCEES_VIVIER_MIN})"))
    if F.is_missing(f.bmo_part_difficiles):
        unknown.append(f"part des recrutements difficiles du bassin {bmo_basin(f.bmo_nom)} non publiée")
    else:
        txt = (f"{F.pct(f.bmo_part_difficiles, 0)} des projets de recrutement jugés difficiles dans le bassin "
               f"{bmo_basin(f.bmo_nom)} vs {F.pct(ref['bmo_part_difficiles'].value, 0)} en région (BMO 2024)")
        (has if f.bmo_part_difficiles >= ref["bmo_part_difficiles"].value else lacks).append(txt)
    return _fit("clef_en_main", f, has, lacks, unknown, host_lacks)


def _without_car(f) -> str:
    """The Fab ID public's catchment without a car, from the TER timetable (where journeys were computed)."""
    c = transit.catchment(str(f.code_insee))
    if c is None:
        return ""
    return (f" : {F.num(c.population)} habitants de {F.plural(c.communes, 'commune')} y arrivent en "
            f"{F.num(c.minutes)}{F.NBSP}min au plus en TER (et vélo jusqu'à la gare), un mardi matin")


def _fab_id(f, ref) -> ConceptFit:
    has, lacks, unknown, host_lacks = [], [], [], []
    _population(f, has, host_lacks)
    if f.ml_nommee:
        txt = (f"mission locale qui porte le nom de la ville ({f.ml_servie_nom}, siège à {f.ml_servie_commune}, "
               f"{F.km(f.ml_km)}) — antenne probable, non attestée par la source")
    else:
        txt = "mission locale " + _where(f.n_ml_commune, f.ml_km, f.ml_nom, f.ml_commune)
    if f.ml_proche:
        has.append(f"{txt} — tiers-lieu partageable")
    else:
        host_lacks.append(f"pas de mission locale à moins de {F.km(TF.ML_PROCHE_KM)} (la plus proche : {f.ml_nom}, "
                          f"{f.ml_commune}, {F.km(f.ml_km)})")
    ok = bool(f.n_ft_commune) or f.ft_km <= FT_PROCHE_KM
    txt = "agence France Travail " + _where(f.n_ft_commune, f.ft_km, F.display_name(f.ft_nom), f.ft_commune)
    (has if ok else lacks).append(txt if ok else f"{txt} (plus de {F.km(FT_PROCHE_KM)})")
    if f.gare_ter:
        has.append(f"gare TER dans la commune ({f.gare_nom}) — site accessible sans voiture{_without_car(f)}")
    elif f.arret_car_ter:
        has.append(f"arrêt de car TER dans la commune (gare la plus proche : {f.gare_nom}, à {F.km(f.gare_km)}) — "
                   f"site accessible sans voiture{_without_car(f)}")
    else:
        lacks.append(f"ni gare ni arrêt de car TER dans la commune (gare la plus proche : {f.gare_nom}, à "
                     f"{F.km(f.gare_km)}) — public sans voiture mal desservi")
    chom_reg, pauv_reg = ref["chomage_ze"].value, ref["taux_pauvrete"].value
    if F.is_missing(f.chomage_ze):
        unknown.append("taux de chômage de la zone d'emploi inconnu")
    else:
        txt = (f"chômage de la zone d'emploi ({f.ze_nom}) {F.pct(f.chomage_ze)} vs {F.pct(chom_reg)} en région "
               f"({f.chomage_ze_trimestre}, région estimée)")
        (has if f.chomage_ze > chom_reg else lacks).append(txt)
    if F.is_missing(f.taux_pauvrete):
        unknown.append("taux de pauvreté non publié pour cette commune (secret statistique ou petite commune)")
    else:
        txt = f"taux de pauvreté {F.pct(f.taux_pauvrete, 0)} vs {F.pct(pauv_reg, 0)} en moyenne régionale (Filosofi 2021)"
        (has if f.taux_pauvrete > pauv_reg else lacks).append(txt)
    return _fit("fab_id", f, has, lacks, unknown, host_lacks)


def _progressif(f, ref) -> ConceptFit:
    has, lacks, unknown, host_lacks = [], [], [], []
    _population(f, has, host_lacks)
    _demand(f, "progressif", has, host_lacks, lacks)
    if f.n_cnam_commune:
        lacks.append(f"site du Cnam déjà dans la commune ({f.cnam_nom}) — à renforcer plutôt qu'à créer")
    elif f.cnam_min > CNAM_ELOIGNE_MIN:
        has.append(f"aucun site du Cnam à moins de {F.minutes(CNAM_ELOIGNE_MIN)} (le plus proche : {f.cnam_commune}, "
                   f"≈ {F.minutes(f.cnam_min)} estimées) — public aujourd'hui éloigné")
    else:
        lacks.append(f"site du Cnam à ≈ {F.minutes(f.cnam_min)} ({f.cnam_commune}) — l'offre existe déjà à proximité")
    n_fs = int(f.n_fs_commune)
    if n_fs:
        has.append(f"France Services dans la commune ({F.plural(n_fs, 'structure')}) — accueil de premier niveau "
                   "à partager")
    else:
        lacks.append(f"pas de France Services dans la commune (la plus proche : {f.fs_nom}, à {F.km(f.fs_km)})")
    n_sup = int(f.n_sup_commune)
    if n_sup:
        has.append(f"{F.plural(n_sup, 'site')} d'enseignement supérieur public dans la commune — ressources "
                   "académiques locales")
    else:
        lacks.append("pas d'enseignement supérieur public dans la commune (MESR 2017)")
    return _fit("progressif", f, has, lacks, unknown, host_lacks)


def _fit(concept: str, f, has, lacks, unknown, host_lacks) -> ConceptFit:
    """Host conditions not met go first in ``lacks``; they force the level to "faible"."""
    lacks = host_lacks + lacks
    known = len(has) + len(lacks)
    score = len(has) / known if known else 0.0
    prereq = not host_lacks
    if not prereq:
        level = "faible"
    else:
        level = "forte" if score >= LEVEL_FORTE else "moyenne" if score >= LEVEL_MOYENNE else "faible"
        if f.n_cnam_commune and level == "forte":
            level = "moyenne"
    return ConceptFit(concept, CONCEPTS[concept], round(score, 3), level, prereq, has, lacks, unknown)


def _fits_from_facts(f) -> list[ConceptFit]:
    ref = region_values()
    return [_clef_en_main(f, ref), _fab_id(f, ref), _progressif(f, ref)]


def _verdict(fits: list[ConceptFit], f) -> Verdict:
    best = max(fits, key=lambda x: (x.prerequisite_met, x.score, -CONCEPT_ORDER.index(x.concept)))
    assets = best.has[1:] if f.population >= HOTE_POP_MIN else best.has  # has[0]: the population condition
    main_reason = assets[0] if assets else ""
    if f.n_cnam_commune:
        status = "deja_desservie"
        headline = (f"{f.nom} accueille déjà un site du Cnam ({f.cnam_nom}, source : {f.cnam_source}) : "
                    "déjà desservie, le site est à renforcer plutôt qu'à créer.")
    elif f.population < HOTE_POP_MIN:
        status = "trop_petite"
        pole = f" ; le pôle de son bassin de vie, {f.pole}, serait l'hôte naturel" if f.pole else ""
        headline = (f"{f.nom} ({F.num(f.population)} habitants) est trop petite pour accueillir un site du "
                    f"Cnam{pole}.")
    elif not any(x.prerequisite_met for x in fits):
        status = "sans_conditions"
        headline = f"{f.nom} ne réunit les conditions d'accueil d'aucun des trois concepts : " + best.lacks[0] + "."
    else:
        status = "candidate"
        fit_words = {"forte": "le concept qui convient le mieux", "moyenne": "le concept qui convient le mieux, en "
                     "partie", "faible": "le concept le moins mal adapté"}[best.level]
        headline = f"{f.nom} est une ville candidate : {best.label}, {fit_words}."
    n = len(best.has)
    reason = f"{best.label} : {F.plural(n, 'atout')} sur {best.n_known}" + (f" — {main_reason}" if main_reason else "")
    if f.pole and status != "trop_petite":
        reason += f" — petite commune : l'implantation se ferait plutôt au pôle de son bassin de vie ({f.pole})"
    return Verdict(status, best.concept, reason, headline)


_CACHE: dict[tuple, tuple[list[ConceptFit], Verdict]] = {}


DEMAND_CONCEPTS = ("clef_en_main", "progressif")


def _results(codes, settings: TravelSettings | None) -> list[tuple[list[ConceptFit], Verdict]]:
    codes = [check_code(c) for c in codes]
    sites = network_sites()
    net = sites_key(sites)
    todo = [c for c in dict.fromkeys(codes) if (c, settings, net) not in _CACHE]
    if todo:
        rows = fact_records(todo, settings=settings)
        tables = {k: demand.candidates(todo, k, sites).to_dict("records") for k in DEMAND_CONCEPTS}
        names = Territory.from_geodata().names
        for i, (code, row) in enumerate(zip(todo, rows)):
            est = {k: tables[k][i] for k in DEMAND_CONCEPTS}
            source = est["clef_en_main"]["source_code"]
            f = SimpleNamespace(**row, code_insee=code, demand=est, demand_source=names.get(source, source))
            fits = _fits_from_facts(f)
            _CACHE[(code, settings, net)] = (fits, _verdict(fits, f))
    return [_CACHE[(c, settings, net)] for c in codes]


def concept_fit(code_insee: str, settings: TravelSettings | None = None) -> list[ConceptFit]:
    """Fit of the three concepts to a commune.

    Raises
    ------
    UnknownCommune
        The code is malformed or not a commune of the territory (French message).
    """
    return _results([code_insee], settings)[0][0]


def verdict(code_insee: str, settings: TravelSettings | None = None) -> Verdict:
    """Candidate or not, suggested concept and its main reason (see the module rules)."""
    return _results([code_insee], settings)[0][1]


def suggest_concept(code_insee: str, settings: TravelSettings | None = None) -> tuple[str, str]:
    """``(concept id, reason in French)`` of the best-fitting concept."""
    v = verdict(code_insee, settings)
    return v.concept, v.reason


def concept_fit_table(codes, settings: TravelSettings | None = None) -> pd.DataFrame:
    """Vectorised variant for many communes (the ranking): one row per code, in input order.

    Columns: ``code_insee``, ``score_<concept>``, ``niveau_<concept>``, ``concept_suggere``, ``raison``,
    ``statut``.
    """
    codes = [str(c) for c in codes]
    rows = []
    for c, (fits, v) in zip(codes, _results(codes, settings)):
        row = {"code_insee": c}
        for fit in fits:
            row[f"score_{fit.concept}"] = fit.score
            row[f"niveau_{fit.concept}"] = fit.level
        row["concept_suggere"], row["raison"], row["statut"] = v.concept, v.reason, v.status
        rows.append(row)
    return pd.DataFrame(rows, columns=["code_insee", *(f"{p}_{c}" for c in CONCEPTS for p in ("score", "niveau")),
                                       "concept_suggere", "raison", "statut"])


def warm() -> None:
    """Read every cached input once (app start)."""
    region_values()


def clear_caches() -> None:
    _CACHE.clear()
