"""The state of /couverture, in the URL, so that a link reproduces the same map and the same chosen towns.

``/couverture?minutes=30&poids=population&temps=calibre&facteur=1&candidats=acv_bv&k=8&methode=optimal&concept=clef_en_main
&objectif=apprenants&viable=0&budget=&ajouts=57463_08053&inclure=0&petites=0&regle=auto&opt=1``

``petites=1``: keep the communes under the concepts' host population (5,000 inhabitants) among the candidates.

Every key is validated here once (:func:`check`), for the query string and for the page's controls alike;
the page's callbacks then trust the state. ``opt=1`` means "the optimisation was run": reloading the link
runs it again with the same parameters, and the solvers are deterministic, so the same towns come back.
Pure module: no Dash.
"""
from __future__ import annotations

import math
from urllib.parse import urlencode

from models.domain import planning as planner
from models.domain.catchment import WEIGHTS
from models.domain.travel import METHODS as TRAVEL_MODELS
from models.text.fr_format import parse_number
from components.territory import current_territory

METHODS = {"rapide": "rapide (glouton, instantané)", "optimal": "optimal garanti (programme linéaire en nombres "
           "entiers)", "comparer": "les deux, pour comparer"}
SOLVER_METHOD = {"rapide": "greedy", "optimal": "exact", "comparer": "both"}
LEVELS = {"departement": "Département", "epci": "EPCI", "ze": "Zone d'emploi"}
RULES = {"auto": "automatique", "1": "appliquée", "0": "non appliquée"}
MAX_ADDED = 60
DEFAULTS = {"minutes": 30, "poids": "population", "temps": "calibre", "facteur": 1.0, "candidats": "acv",
            "bv": planner.DEFAULT_BV_MIN_POPULATION, "k": 12, "methode": "optimal",
            "concept": planner.DEFAULT_CONCEPT, "objectif": "population", "viable": False, "budget": None, "ajouts": [],
            "inclure": False, "petites": False, "regle": "auto", "niveau": "departement", "opt": False}
# Keys that change the optimisation's answer: changing one hides a result computed with the old value.
PLAN_KEYS = ("minutes", "poids", "temps", "facteur", "candidats", "bv", "k", "methode", "concept", "objectif",
             "viable", "budget", "ajouts", "inclure", "petites", "regle")
LABELS = {"minutes": "Temps de trajet maximal", "temps": "Modèle de temps", "facteur": "Facteur sur les temps",
          "k": "Nombre de nouveaux sites", "bv": "Seuil des centres de bassin de vie", "objectif": "Objectif",
          "budget": "Budget", "poids": "Pondération", "candidats": "Ensemble de candidats",
          "methode": "Méthode", "concept": "Concept", "niveau": "Niveau", "regle": "Règle des 25 %",
          "ajouts": "Communes ajoutées", "viable": "Point mort", "inclure": "Communes déjà dotées",
          "petites": "Petites communes", "opt": "opt"}
NUMBERS = {"minutes": (15, 90, int), "facteur": (0.5, 2.0, float),
           "k": (0, 40, int), "bv": (0, 200_000, int), "budget": (0, 1e9, float)}
CHOICES = {"poids": WEIGHTS, "candidats": planner.CANDIDATE_SETS, "methode": METHODS, "niveau": LEVELS,
           "regle": RULES, "temps": TRAVEL_MODELS, "objectif": planner.OBJECTIVES}
FLAGS = ("viable", "inclure", "petites", "opt")


class StateError(ValueError):
    """A value the page cannot use (French message naming the field)."""


def _concepts() -> list[str]:
    from models.domain import simulator

    return simulator.concept_ids()


def _number(key: str, raw):
    lo, hi, cast = NUMBERS[key]
    try:
        value = parse_number(raw)
    except (TypeError, ValueError):
        value = math.nan
    if math.isnan(value) or not lo <= value <= hi or (cast is int and value != int(value)):
        kind = "un nombre entier" if cast is int else "un nombre"
        raise StateError(f"{LABELS[key]} : « {raw} » invalide ({kind} de {lo:g} à {hi:g} attendu).")
    return cast(value)


def _codes(raw) -> list[str]:
    import geodata

    items = raw if isinstance(raw, (list, tuple)) else str(raw or "").replace(",", "_").split("_")
    codes = list(dict.fromkeys(str(c).strip() for c in items if str(c).strip()))
    known = set(current_territory().communes["code_insee"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise StateError(f"{LABELS['ajouts']} : code commune inconnu « {unknown[0][:12]} ».")
    if len(codes) > MAX_ADDED:
        raise StateError(f"{LABELS['ajouts']} : {len(codes)} communes, au plus {MAX_ADDED}.")
    return codes


def check(key: str, raw):
    """The validated value of ``key`` from ``raw`` (URL string or control value); ``StateError`` otherwise.

    An empty ``budget`` means "no budget limit".
    """
    if key == "budget" and raw in (None, ""):
        return None
    if key in NUMBERS:
        return _number(key, raw)
    if key in CHOICES:
        if str(raw) not in CHOICES[key]:
            raise StateError(f"{LABELS[key]} : « {str(raw)[:30]} » inconnu.")
        return str(raw)
    if key == "concept":
        if str(raw) not in _concepts():
            raise StateError(f"{LABELS[key]} : « {str(raw)[:30]} » inconnu.")
        return str(raw)
    if key in FLAGS:
        if raw in (True, False, None):
            return bool(raw)
        if str(raw) not in ("0", "1"):
            raise StateError(f"{LABELS[key]} : « {str(raw)[:10]} » invalide (0 ou 1 attendu).")
        return str(raw) == "1"
    if key == "ajouts":
        return _codes(raw)
    raise StateError(f"Paramètre inconnu : « {str(key)[:30]} ».")


def parse_query(query: dict) -> tuple[dict, list[str]]:
    """State from the query string (strings), never raising: invalid values → default + a French message."""
    state, errors = dict(DEFAULTS), []
    for key, raw in query.items():
        if key not in DEFAULTS:
            continue  # unknown keys (e.g. from an older link) are ignored
        try:
            state[key] = check(key, raw)
        except StateError as err:
            errors.append(f"{err} Valeur par défaut utilisée.")
    return state, errors


def update(state: dict, changes: dict) -> tuple[dict, list[str]]:
    """``state`` with the valid ``changes`` (control values) applied; a changed plan key clears ``opt``."""
    new, errors = dict(state), []
    for key, raw in changes.items():
        try:
            new[key] = check(key, raw)
        except StateError as err:
            errors.append(str(err))
    if any(new[k] != state[k] for k in PLAN_KEYS) and not changes.get("opt"):
        new["opt"] = False
    return new, errors


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return "_".join(value)
    if value is None:
        return ""
    return f"{value:.10g}" if isinstance(value, float) else str(value)


def encode_query(state: dict) -> str:
    """Query string (leading ``?``) with every key, so that a link keeps its meaning if defaults change."""
    return "?" + urlencode({key: _text(state[key]) for key in DEFAULTS}, safe="_")


def plan_request(state: dict) -> "planner.PlanRequest":
    """The planner's request for this state (the page's only way into the optimiser)."""
    return planner.PlanRequest(
        minutes=state["minutes"], weight=state["poids"], travel=state["temps"], time_factor=state["facteur"],
        kind=state["candidats"], bv_min_population=state["bv"], added=tuple(state["ajouts"]),
        include_hosting=state["inclure"], concept=state["concept"], viable=state["viable"],
        budget=state["budget"], k=state["k"], method=SOLVER_METHOD[state["methode"]], rule=state["regle"],
        objective=state["objectif"], include_small=state["petites"])
