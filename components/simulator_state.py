"""State of /simulateur and its URL, as pure functions (no Dash): URL → state, user event → state, state → URL.

A state is ``{"concept": id, "ville": code_insee | None, "overrides": {name: float}, "scenario": id | None}``.
Every value in it has been validated once, by :func:`models.domain.simulator.make_parameters`, when it entered (from the
URL, a slider, the table or a loaded scenario); the view then builds its parameters with :func:`parameters`
without checking them again. The URL carries plain numbers (``95.5``), never a display format.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from models.domain.demand import town_estimate
from models.stores.scenarios import ScenarioError, default_store
from models.domain.simulator import Parameters, ParameterError, concept, concept_ids, make_parameters
from components.territory import current_territory, region_name

DEFAULT_CONCEPT = "clef_en_main"
RESERVED = {"ville", "concept", "scenario", "presentation"}  # URL keys that are not simulator parameters
LEARNERS = "auditeurs_croisiere"  # default = the demand model's estimate for the town; a user's value is kept


@dataclass(frozen=True)
class Event:
    """One user action. ``kind``: concept, ville, param (slider or table cell), reset, loaded, saved, deleted."""
    kind: str
    value: object = None
    name: str | None = None


def default_state(concept_id: str = DEFAULT_CONCEPT) -> dict:
    return {"concept": concept_id, "ville": None, "overrides": {}, "scenario": None}


@lru_cache(maxsize=1)
def slider_names() -> tuple[str, ...]:
    """Union of the parameters flagged ``curseur`` in any concept, in file order (one slider each)."""
    names = []
    for cid in concept_ids():
        names += [n for n, s in concept(cid).specs.items() if s.slider and n not in names]
    order = list(concept(DEFAULT_CONCEPT).specs)
    return tuple(sorted(names, key=order.index))


def nice_step(spec) -> float:
    """A round slider step (1, 2, 5 × 10^k) of about 1/200 of the range that lands on the minimum and default."""
    if spec.integer:
        return 1
    raw = (spec.max - spec.min) / 200
    for base in (1, 2, 5, 10):
        for exp in range(-3, 6):
            step = base * 10 ** exp
            if step >= raw and all(abs(v / step - round(v / step)) < 1e-9 for v in (spec.min, spec.default)):
                return step
    return raw


def known_commune(code) -> bool:
    return code is not None and str(code) in current_territory().index.index


def expected(state: dict) -> dict | None:
    """The demand model's learners for the state's town and concept (``None``: no town, or Fab ID)."""
    if not state.get("ville"):
        return None
    return town_estimate(state["ville"], state["concept"])


def learners_source(state: dict) -> str:
    """Where the cruising learners come from: ``"utilisateur"``, ``"estimation"`` or ``"cible"`` (programme)."""
    if LEARNERS in (state.get("overrides") or {}):
        return "utilisateur"
    return "estimation" if expected(state) is not None else "cible"


def parameters(state: dict) -> Parameters:
    """The parameters of a state that came out of this module (already validated: no second check).

    With a town and no value of the user's, the cruising learners are the demand model's central estimate.
    """
    specs = concept(state["concept"]).specs
    values = {n: s.default for n, s in specs.items()}
    est = expected(state)
    if est is not None:
        sp = specs[LEARNERS]
        values[LEARNERS] = float(min(sp.max, max(sp.min, round(est["central"]))))
    values.update({n: float(v) for n, v in (state.get("overrides") or {}).items() if n in specs})
    return Parameters(state["concept"], values)


def _url_number(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def search_string(state: dict) -> str:
    """The query string that reproduces ``state`` (ville, concept, scenario, then changed values by name)."""
    q = {"ville": state["ville"]} if state.get("ville") else {}
    q["concept"] = state["concept"]
    if state.get("scenario"):
        q["scenario"] = state["scenario"]
    for name, value in sorted((state.get("overrides") or {}).items()):
        q[name] = _url_number(value)
    return "?" + urlencode(q)


def _scenario_into(state: dict, query: dict, errors: list[str]) -> None:
    try:
        sc = default_store().load(query["scenario"])
        make_parameters(sc.concept, sc.overrides())
    except (ScenarioError, ParameterError) as exc:
        errors.append(str(exc))
        return
    if "concept" in query and sc.concept != state["concept"]:
        errors.append(f"Le scénario n° {sc.id} porte sur le concept « {concept(sc.concept).label} » : "
                      "c'est lui qui est affiché.")
    state.update(concept=sc.concept, overrides=sc.overrides(), scenario=sc.id)
    state["ville"] = state["ville"] or sc.code_insee


def state_from_query(query: dict) -> tuple[dict, list[str]]:
    """Validate the URL's query values: (state, French error messages). Bad values are dropped, never raised."""
    errors = []
    cid = str(query.get("concept") or DEFAULT_CONCEPT)
    if cid not in concept_ids():
        errors.append(f"Concept inconnu : « {cid[:40]} » ; concept « {concept(DEFAULT_CONCEPT).label} » affiché. "
                      f"Concepts possibles : {', '.join(concept_ids())}.")
        cid = DEFAULT_CONCEPT
    state = default_state(cid)
    ville = str(query.get("ville") or "").strip()
    if ville and not known_commune(ville):
        errors.append(f"Commune inconnue en {region_name()} : « {ville[:20]} » (code INSEE attendu, ex. 54329).")
    elif ville:
        state["ville"] = ville
    if query.get("scenario") not in (None, ""):
        _scenario_into(state, query, errors)
    candidates = {**state["overrides"]}
    for name, value in query.items():
        if name in RESERVED:
            continue
        try:  # one value at a time, so that one bad value does not drop the good ones
            make_parameters(state["concept"], {**candidates, name: value})
            candidates[name] = value
        except ParameterError as exc:
            errors.append(f"Paramètre de l'adresse ignoré — {exc}")
    state["overrides"] = _changed(state["concept"], make_parameters(state["concept"], candidates), candidates)
    return state, errors


def _changed(concept_id: str, params: Parameters, names) -> dict:
    """The validated values of ``names`` that differ from the concept's defaults (the learners: always kept,
    since their default is the town's estimate, not the file's)."""
    specs = concept(concept_id).specs
    return {n: params.values[n] for n in names if params.values[n] != specs[n].default or n == LEARNERS}


def apply_value(state: dict, name: str, value) -> tuple[dict, str | None]:
    """``state`` with parameter ``name`` set to ``value`` (validated here), or the same state and a message."""
    overrides = {**state["overrides"], name: value}
    try:
        params = make_parameters(state["concept"], overrides)
    except ParameterError as exc:
        return state, f"Valeur refusée — {exc} La valeur précédente est conservée."
    return {**state, "overrides": _changed(state["concept"], params, overrides), "scenario": None}, None


def reduce(state: dict, event: Event) -> tuple[dict, str | None]:
    """The new state after one user action, and a French message (or None). Pure."""
    state = {**default_state(), **(state or {})}
    state["overrides"] = dict(state.get("overrides") or {})
    if event.kind == "loaded" and event.value:
        sc = event.value
        return {"concept": sc["concept"], "ville": sc.get("ville"), "overrides": dict(sc["overrides"]),
                "scenario": sc["id"]}, None
    if event.kind == "saved" and event.value:
        return {**state, "scenario": event.value}, None
    if event.kind == "deleted":
        return ({**state, "scenario": None} if event.value == state.get("scenario") else state), None
    if event.kind == "concept":
        if event.value not in concept_ids():
            return state, f"Concept inconnu : « {str(event.value)[:40]} »."
        return (state if event.value == state["concept"] else default_state(event.value) | {
            "ville": state["ville"]}), None
    if event.kind == "reset":
        return {**state, "overrides": {}, "scenario": None}, None
    if event.kind == "param":
        if event.name is None or event.value is None:
            return state, None
        return apply_value(state, event.name, event.value)
    if event.kind == "ville":
        if event.value and not known_commune(event.value):
            return state, f"Commune inconnue : « {str(event.value)[:20]} »."
        return {**state, "ville": event.value or None}, None
    return state, None
