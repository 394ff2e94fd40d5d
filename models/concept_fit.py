"""Which implantation concept fits a commune: what it has and lacks, in plain French, from the data.

Three concepts (ids as in ``models/parameters.toml``): ``clef_en_main``, ``fab_id``, ``progressif``.
Each is judged on a few criteria; each criterion is *met* (→ ``has``), *not met* (→ ``lacks``) or *unknown*
(data missing → ``unknown``, left out of the score, never counted as 0). Distances are straight-line km between
town-hall / partner points; times and catchments are estimates (:mod:`models.travel`).

Rules (thresholds are the module constants below)
-------------------------------------------------
Demand threshold of a concept = its learners target / the regional rate of Cnam learners in the population
(2016: 0.09 %, ``[contexte]`` of ``models/parameters.toml``): 80 / 0.09 % ≈ 88 900 inhabitants,
300 / 0.09 % ≈ 333 300 inhabitants.

**Clef en main** (backed by a lycée):
  1. *prerequisite* — a vocational lycée in the commune or within ``LYCEE_ADOSSEMENT_KM`` (10 km);
  2. at least ``LYCEES_VIVIER_MIN`` (3) vocational lycées within ``LYCEES_VIVIER_KM`` (20 km);
  3. population within ``CATCHMENT_CLEF_MIN`` (30 min, estimated) ≥ demand threshold for 80 learners;
  4. share of difficult recruitment projects in its BMO bassin ≥ the regional share.
**Fab ID** (insertion third-place with the missions locales and the public employment service):
  1. *prerequisite* — a mission locale in the commune or within ``ML_PROCHE_KM`` (15 km);
  2. a France Travail agency in the commune or within ``FT_PROCHE_KM`` (15 km);
  3. unemployment rate of the zone d'emploi > the regional estimate (actifs-weighted mean of the ZE rates);
  4. poverty rate of the commune > the regional mean of published communes (unknown for most small communes).
**Progressif** (services first, then distance learning; no partner required):
  1. no Cnam site within ``CNAM_ELOIGNE_MIN`` (30 min, estimated): the public is far from the Cnam today;
  2. population within ``CATCHMENT_PROGRESSIF_MIN`` (45 min, estimated) ≥ demand threshold for 300 learners;
  3. a France Services in the commune (first-level reception to share).

Score = criteria met / criteria known (0–1). Level: ``faible`` when the prerequisite is missing, else
``forte`` (score ≥ ``LEVEL_FORTE`` 0.75), ``moyenne`` (≥ ``LEVEL_MOYENNE`` 0.5) or ``faible``.
Suggested concept: among concepts whose prerequisite is met, the highest score; ties broken in the order
clef_en_main, fab_id, progressif (the most anchored concept first). Progressif has no prerequisite, so
there is always a suggestion. For a commune under ``PETITE_COMMUNE_POP`` (5 000) inhabitants that is not the
centre of its bassin de vie, the reason adds that a site would rather go to that centre.

``python -m models.concept_fit 88160 [--json]`` prints the fit of a commune.
"""
from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from models import fr_format as F
from models.partners import UnknownCommune, commune_row, distances_km, layer
from models.territory_reference import bmo_share_difficult, region_values
from models.travel import TravelSettings, minutes_from_km, travel_time_matrix

CONCEPTS = {"clef_en_main": "Clef en main", "fab_id": "Fab ID", "progressif": "Progressif"}
CONCEPT_ORDER = tuple(CONCEPTS)
AUDITEURS_CIBLE = {"clef_en_main": 80, "fab_id": 85, "progressif": 300}  # documents fondateurs 2019

LYCEE_ADOSSEMENT_KM = 10.0
LYCEES_VIVIER_KM = 20.0
LYCEES_VIVIER_MIN = 3
ML_PROCHE_KM = 15.0
FT_PROCHE_KM = 15.0
CNAM_ELOIGNE_MIN = 30.0
CATCHMENT_CLEF_MIN = 30
CATCHMENT_PROGRESSIF_MIN = 45
LEVEL_FORTE = 0.75
PETITE_COMMUNE_POP = 5000
LEVEL_MOYENNE = 0.5
DEFAULT_TAUX_REGIONAL_PCT = 0.09
PARAMETERS_FILE = Path(__file__).with_name("parameters.toml")


@dataclass
class ConceptFit:
    """Fit of one concept to one commune."""

    concept: str
    label: str
    score: float                  # criteria met / criteria known, 0–1
    level: str                    # "forte" | "moyenne" | "faible"
    prerequisite_met: bool
    has: list[str] = field(default_factory=list)
    lacks: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def n_known(self) -> int:
        return len(self.has) + len(self.lacks)


@lru_cache(maxsize=1)
def taux_regional_pct() -> float:
    """Regional rate of Cnam learners in the population (%), from ``models/parameters.toml``."""
    try:
        with PARAMETERS_FILE.open("rb") as fh:
            return float(tomllib.load(fh)["contexte"]["taux_regional_pct"])
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError):
        return DEFAULT_TAUX_REGIONAL_PCT


def demand_threshold(concept: str) -> float:
    """Inhabitants needed in the catchment to find the concept's learners at the regional rate."""
    return AUDITEURS_CIBLE[concept] / (taux_regional_pct() / 100)


def _nearest(d: np.ndarray, kind: str, prefix: str) -> dict:
    pts = layer(kind)
    j = np.argmin(d, axis=1)
    return {f"{prefix}_km": d[np.arange(len(j)), j], f"{prefix}_nom": pts.nom.to_numpy()[j],
            f"{prefix}_commune": pts.commune.to_numpy()[j]}


def town_facts(codes, settings: TravelSettings | None = None) -> pd.DataFrame:
    """The facts the rules use, one row per commune (vectorised), indexed by ``code_insee``.

    Raises :class:`UnknownCommune` for a code not in the region.
    """
    import geodata
    from models.catchment import CHUNK_ROWS, demand_vector

    codes = [str(c) for c in codes]
    idx = geodata.commune_index()
    missing = [c for c in codes if c not in idx.index]
    if missing:
        commune_row(missing[0])  # raises the French message
    com = idx.loc[codes]
    lon, lat = com.lon.to_numpy(), com.lat.to_numpy()
    out: dict[str, object] = {col: com[col].to_numpy() for col in (
        "nom", "population", "chomage_ze", "chomage_ze_trimestre", "ze_nom", "taux_pauvrete", "bmo_code", "bmo_nom",
        "demandeurs_emploi")}
    out["bmo_part_difficiles"] = [bmo_share_difficult(b) for b in com.bmo_code]
    small = (com.population.to_numpy() < PETITE_COMMUNE_POP) & (com.bv_code.to_numpy() != np.array(codes))
    out["pole"] = np.where(small & com.bv_nom.notna().to_numpy(), com.bv_nom.to_numpy(), None)

    d = distances_km(lon, lat, "lycees_pro")
    out["n_lycees_pro_commune"] = _in_commune("lycees_pro", codes)
    out["lycees_pro_20km"] = (d <= LYCEES_VIVIER_KM).sum(axis=1)
    out.update(_nearest(d, "lycees_pro", "lycee_pro"))
    for kind, prefix in (("missions_locales", "ml"), ("france_travail", "ft"), ("france_services", "fs"),
                         ("cnam_sites", "cnam")):
        out[f"n_{prefix}_commune"] = _in_commune(kind, codes)
        out.update(_nearest(distances_km(lon, lat, kind), kind, prefix))
    out["cnam_min"] = minutes_from_km(out["cnam_km"], settings)
    bands = sorted({CATCHMENT_CLEF_MIN, CATCHMENT_PROGRESSIF_MIN})
    pops = np.empty((len(codes), len(bands)))
    demand = np.nan_to_num(demand_vector("population"), nan=0.0)
    for start in range(0, len(codes), CHUNK_ROWS):  # one time matrix for both thresholds
        times = travel_time_matrix(codes[start:start + CHUNK_ROWS], None, settings, dtype=np.float32)
        for k, m in enumerate(bands):
            pops[start:start + CHUNK_ROWS, k] = (times <= m) @ demand
    for k, m in enumerate(bands):
        out[f"pop_{m}min"] = pops[:, k]
    return pd.DataFrame(out, index=pd.Index(codes, name="code_insee"))


@lru_cache(maxsize=None)
def _counts_by_commune(kind: str) -> dict[str, int]:
    return layer(kind).code_insee.value_counts().to_dict()


def _in_commune(kind: str, codes: list[str]) -> np.ndarray:
    counts = _counts_by_commune(kind)
    return np.array([counts.get(c, 0) for c in codes])


def warm() -> None:
    """Read every cached input once (app start), so a user's first town costs only its own computations."""
    region_values()
    for kind in ("lycees_pro", "missions_locales", "france_travail", "france_services", "cnam_sites"):
        _counts_by_commune(kind)
    taux_regional_pct()


def _where(n_commune: int, km: float, nom: str, commune: str) -> str:
    return f"dans la commune ({nom})" if n_commune else f"à {F.km(km)} ({nom}, {commune})"


def _fits_from_facts(f) -> list[ConceptFit]:
    ref = region_values()
    chom_reg, pauv_reg = ref["chomage_ze"].value, ref["taux_pauvrete"].value
    bmo_reg = ref["bmo_part_difficiles"].value
    fits = []

    # Clef en main
    has, lacks, unknown = [], [], []
    n_com = int(f.n_lycees_pro_commune)
    prereq = n_com > 0 or f.lycee_pro_km <= LYCEE_ADOSSEMENT_KM
    if n_com:
        has.append(f"{F.plural(n_com, 'lycée')} à voie professionnelle dans la commune — adossement possible")
    elif prereq:
        has.append(f"lycée à voie professionnelle à {F.km(f.lycee_pro_km)} ({f.lycee_pro_nom}, "
                   f"{f.lycee_pro_commune}) — adossement possible hors de la commune")
    else:
        lacks.append(f"aucun lycée à voie professionnelle à moins de {F.km(LYCEE_ADOSSEMENT_KM)} (le plus proche : "
                     f"{f.lycee_pro_nom}, {f.lycee_pro_commune}, {F.km(f.lycee_pro_km)}) — pas d'adossement")
    n20 = int(f.lycees_pro_20km)
    txt = f"{F.plural(n20, 'lycée')} à voie professionnelle à moins de {F.km(LYCEES_VIVIER_KM)}"
    (has if n20 >= LYCEES_VIVIER_MIN else lacks).append(
        txt + (" — vivier d'alternants" if n20 >= LYCEES_VIVIER_MIN else f" (moins de {LYCEES_VIVIER_MIN})"))
    _catchment(f, "clef_en_main", CATCHMENT_CLEF_MIN, has, lacks)
    if F.is_missing(f.bmo_part_difficiles):
        unknown.append(f"part des recrutements difficiles du bassin {f.bmo_nom} non publiée")
    else:
        txt = (f"{F.pct(f.bmo_part_difficiles, 0)} des projets de recrutement jugés difficiles dans le bassin "
               f"{f.bmo_nom} vs {F.pct(bmo_reg, 0)} en région (BMO 2024)")
        (has if f.bmo_part_difficiles >= bmo_reg else lacks).append(txt)
    fits.append(_fit("clef_en_main", prereq, has, lacks, unknown))

    # Fab ID
    has, lacks, unknown = [], [], []
    prereq = bool(f.n_ml_commune) or f.ml_km <= ML_PROCHE_KM
    txt = "mission locale " + _where(f.n_ml_commune, f.ml_km, f.ml_nom, f.ml_commune)
    if prereq:
        has.append(f"{txt} — tiers-lieu partageable")
    else:
        lacks.append(f"pas de mission locale à moins de {F.km(ML_PROCHE_KM)} (la plus proche : {f.ml_nom}, "
                     f"{f.ml_commune}, {F.km(f.ml_km)})")
    ok = bool(f.n_ft_commune) or f.ft_km <= FT_PROCHE_KM
    txt = "agence France Travail " + _where(f.n_ft_commune, f.ft_km, f.ft_nom, f.ft_commune)
    (has if ok else lacks).append(txt if ok else f"{txt} (plus de {F.km(FT_PROCHE_KM)})")
    if F.is_missing(f.chomage_ze):
        unknown.append("taux de chômage de la zone d'emploi inconnu")
    else:
        txt = (f"chômage de la zone d'emploi ({f.ze_nom}) {F.pct(f.chomage_ze)} vs {F.pct(chom_reg)} en région "
               f"({f.chomage_ze_trimestre}, région estimée)")
        (has if f.chomage_ze > chom_reg else lacks).append(txt)
    if F.is_missing(f.taux_pauvrete):
        unknown.append("taux de pauvreté non publié pour cette commune (secret statistique ou petite commune)")
    else:
        txt = f"taux de pauvreté {F.pct(f.taux_pauvrete, 0)} vs {F.pct(pauv_reg, 0)} en moyenne régionale (2019)"
        (has if f.taux_pauvrete > pauv_reg else lacks).append(txt)
    fits.append(_fit("fab_id", prereq, has, lacks, unknown))

    # Progressif
    has, lacks, unknown = [], [], []
    if f.n_cnam_commune:
        txt = f"site du Cnam dans la commune ({f.cnam_nom})"
    else:
        txt = (f"site du Cnam le plus proche : {f.cnam_commune} à {F.km(f.cnam_km)}, "
               f"≈ {F.minutes(f.cnam_min)} estimées")
    if f.cnam_min > CNAM_ELOIGNE_MIN and not f.n_cnam_commune:
        has.append(f"aucun site du Cnam à moins de {F.minutes(CNAM_ELOIGNE_MIN)} ({txt}) — public aujourd'hui éloigné")
    else:
        lacks.append(f"{txt} — l'offre existe déjà à proximité")
    _catchment(f, "progressif", CATCHMENT_PROGRESSIF_MIN, has, lacks)
    n_fs = int(f.n_fs_commune)
    if n_fs:
        has.append(f"France Services dans la commune ({F.plural(n_fs, 'structure')}) — accueil de premier niveau "
                   "à partager")
    else:
        lacks.append(f"pas de France Services dans la commune (la plus proche : {f.fs_nom}, à {F.km(f.fs_km)})")
    fits.append(_fit("progressif", True, has, lacks, unknown))
    return fits


def _catchment(f, concept: str, minutes: int, has: list, lacks: list) -> None:
    pop, need = getattr(f, f"pop_{minutes}min"), demand_threshold(concept)
    txt = (f"{F.num(pop)} habitants à moins de {minutes} min (estimé) pour {F.num(need, 0)} nécessaires "
           f"({AUDITEURS_CIBLE[concept]} auditeurs au taux régional de {F.num(taux_regional_pct(), 2)} %)")
    (has if pop >= need else lacks).append(txt)


def _fit(concept: str, prereq: bool, has, lacks, unknown) -> ConceptFit:
    known = len(has) + len(lacks)
    score = len(has) / known if known else 0.0
    if not prereq:
        level = "faible"
    else:
        level = "forte" if score >= LEVEL_FORTE else "moyenne" if score >= LEVEL_MOYENNE else "faible"
    return ConceptFit(concept, CONCEPTS[concept], round(score, 3), level, bool(prereq), has, lacks, unknown)


def _suggest(fits: list[ConceptFit], pole: str | None = None) -> tuple[str, str]:
    best = max(fits, key=lambda x: (x.prerequisite_met, x.score, -CONCEPT_ORDER.index(x.concept)))
    reason = f"{best.label} : {len(best.has)} atout(s) sur {best.n_known}"
    if best.has:
        reason += " — " + " ; ".join(best.has[:2])
    if best.concept == "progressif" and not any(x.prerequisite_met for x in fits if x.concept != "progressif"):
        reason += " ; ni lycée professionnel ni mission locale assez proches pour les deux autres concepts"
    if pole:
        reason += f" — petite commune : l'implantation se ferait plutôt au pôle de son bassin de vie ({pole})"
    return best.concept, reason





_CACHE: dict[tuple[str, TravelSettings | None], tuple[list[ConceptFit], str | None]] = {}


def _ensure(codes: list[str], settings: TravelSettings | None) -> None:
    todo = [c for c in dict.fromkeys(codes) if (c, settings) not in _CACHE]
    if todo:
        facts = town_facts(todo, settings)
        for code, row in zip(facts.index, facts.to_dict("records")):
            row = SimpleNamespace(**row)
            _CACHE[(code, settings)] = (_fits_from_facts(row), row.pole)


def concept_fit(code_insee: str, settings: TravelSettings | None = None) -> list[ConceptFit]:
    """Fit of the three concepts to a commune (cached per process).

    Raises
    ------
    UnknownCommune
        The code is malformed or not a commune of Grand Est (French message).
    """
    code = str(commune_row(code_insee).code_insee)
    _ensure([code], settings)
    return _CACHE[(code, settings)][0]


def suggest_concept(code_insee: str, settings: TravelSettings | None = None) -> tuple[str, str]:
    """``(concept id, reason in French)`` of the best-fitting concept (see the module rules)."""
    code = str(commune_row(code_insee).code_insee)
    _ensure([code], settings)
    return _suggest(*_CACHE[(code, settings)])


def concept_fit_table(codes, settings: TravelSettings | None = None) -> pd.DataFrame:
    """Vectorised variant for many communes (the ranking): one row per code, in input order.

    Columns: ``code_insee``, ``score_<concept>``, ``niveau_<concept>`` for each concept, ``concept_suggere``,
    ``raison``. Results are cached per process, so a re-ranking costs a dictionary look-up per town.
    """
    codes = [str(c) for c in codes]
    _ensure(codes, settings)
    rows = []
    for c in codes:
        fits, pole = _CACHE[(c, settings)]
        row = {"code_insee": c}
        for fit in fits:
            row[f"score_{fit.concept}"] = fit.score
            row[f"niveau_{fit.concept}"] = fit.level
        row["concept_suggere"], row["raison"] = _suggest(fits, pole)
        rows.append(row)
    return pd.DataFrame(rows, columns=["code_insee", *(f"{p}_{c}" for c in CONCEPTS for p in ("score", "niveau")),
                                       "concept_suggere", "raison"])


def clear_caches() -> None:
    _CACHE.clear()
    taux_regional_pct.cache_clear()
    _counts_by_commune.cache_clear()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.concept_fit",
                                     description="Adéquation des concepts d'implantation à une commune.")
    parser.add_argument("code_insee", nargs="+")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        result = {c: {"concepts": [asdict(x) for x in concept_fit(c)], "suggestion": suggest_concept(c)}
                  for c in args.code_insee}
    except UnknownCommune as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for code, r in result.items():
        print(f"== {code} — suggestion : {r['suggestion'][1]}")
        for x in r["concepts"]:
            print(f"  {x['label']} (adéquation {x['level']}, {x['score']:.2f})")
            for prefix, key in (("+", "has"), ("-", "lacks"), ("?", "unknown")):
                for t in x[key]:
                    print(f"    {prefix} {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
