"""Concept simulator: ramp-up, P&L per year (0 to 6), public funding, viability of a training site.

Four concepts (``clef_en_main``, ``fab_id``, ``progressif``, ``hub``) are four parameter sets read from
``models/parameters.toml`` (every assumption with unit, range and rationale). Pure Python, no Dash:

>>> from models.domain.simulator import default_parameters, simulate
>>> res = simulate(default_parameters("clef_en_main").replace(auditeurs_croisiere=100))
>>> res.kpis["break_even_learners"]  # doctest: +SKIP

Model, per year ``t`` (0 = set-up):

- learners ``L_t`` = 0 in year 0, ``auditeurs_croisiere`` x ``montee_annee_t`` in years 1-3, the cruising
  volume in year 4, then ``croissance_apres_annee_4`` per year; split by the (normalised) modality shares;
- revenue = learners x revenue per learner of their modality x billed share (``facturation_annee_t``), paid by
  the modality's payer (OPCO, Région, France Travail, individuals/CPF, companies);
- costs = dedicated staff (FTE x loaded cost), teaching (course hours / group size x hourly cost), teaching
  fees per learner, premises (m² x rent x share paid), overheads, regional support (% of revenue), and in
  year 0 the territorial study and the investment;
- operating result = revenue - costs; while ``t <= annees_financement_public`` a deficit is covered by the
  funders (State, Region, local authority, calls for projects) in their shares, the rest by Cnam own funds;
- net = operating result + public funding + own funds; cumulative = running sum of net.

Run ``python -m models.simulator --concept hub --json`` for the command line.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from models.text import fr_format as F

PARAMETERS_FILE = Path(__file__).resolve().parents[1] / "parameters.toml"  # models/parameters.toml
YEARS = tuple(range(7))          # 0 (set-up) .. 6
CRUISING_YEAR = 4
COST_CATEGORIES = {
    "personnel": "Personnel dédié",
    "enseignement": "Enseignement",
    "pedagogie": "Frais pédagogiques",
    "locaux": "Locaux",
    "fonctionnement": "Fonctionnement",
    "support_regional": "Support régional",
    "etude": "Diagnostic territorial",
    "investissement": "Investissement",
}
OWN_FUNDS_LABEL = "Fonds propres du Cnam"


class ParameterError(ValueError):
    """A parameter name or value that the simulator refuses; the message is French, for the user."""


@dataclass(frozen=True)
class ParamSpec:
    """One assumption: its default, unit, allowed range and why."""
    name: str
    label: str
    unit: str
    default: float
    min: float
    max: float
    rationale: str
    group: str
    integer: bool = False
    slider: bool = False
    common: bool = False      # shared by the four concepts (``[commun]`` of the TOML file)

    def describe_range(self) -> str:
        return f"[{_fr_number(self.min)} ; {_fr_number(self.max)}] {self.unit}"


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    description: str
    target: str
    specs: dict  # name -> ParamSpec (common first, then the concept's own, in file order)


@dataclass(frozen=True)
class Catalogue:
    """Everything read from the parameters file."""
    concepts: dict          # id -> Concept
    modalities: dict        # id -> {"libelle", "payeur"}
    payers: dict            # id -> label
    funders: dict           # id -> label
    context: dict           # 2016 regional figures


@dataclass(frozen=True)
class Parameters:
    """The values of one concept's parameters (validated), ready for :func:`simulate`."""
    concept: str
    values: dict

    def replace(self, **changes) -> "Parameters":
        """A copy with ``changes`` applied (validated; raises :class:`ParameterError`)."""
        return make_parameters(self.concept, {**self.values, **changes})

    def overrides(self) -> dict:
        """The values that differ from the concept's defaults."""
        specs = concept(self.concept).specs
        return {k: v for k, v in self.values.items() if v != specs[k].default}


@dataclass
class SimulationResult:
    """Output of :func:`simulate`: one dict per year (0-6) and the KPIs."""
    concept: str
    years: list
    kpis: dict
    params: Parameters = field(repr=False)

    def to_frame(self):
        """The yearly table as a flat pandas DataFrame (one row per year, nested dicts as columns)."""
        import pandas as pd

        rows = []
        for y in self.years:
            row = {k: v for k, v in y.items() if not isinstance(v, dict)}
            for key in ("learners_by_modality", "revenue_by_payer", "costs_by_category",
                        "public_funding_by_funder"):
                row.update({f"{key}.{k}": v for k, v in y[key].items()})
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        return {"concept": self.concept, "parameters": dict(self.params.values),
                "years": self.years, "kpis": self.kpis}


# ------------------------------------------------------------------------------------------- parameters
_fr_number = F.num_short


def _shown_number(x: float) -> str:
    """``x`` for a message; a huge finite number (``1e300``, which the French formatter cannot round) in
    scientific notation, so that its message never fails and drops the other values of a URL with it."""
    return _fr_number(x) if abs(x) < 1e15 else f"{x:.3g}".replace(".", ",").replace("-", "−")


def _spec(name: str, raw: dict, common: bool) -> ParamSpec:
    spec = ParamSpec(name=name, label=raw["libelle"], unit=raw["unite"], default=float(raw["defaut"]),
                     min=float(raw["min"]), max=float(raw["max"]), rationale=raw["justification"],
                     group=raw["groupe"], integer=bool(raw.get("entier", False)),
                     slider=bool(raw.get("curseur", False)), common=common)
    if not spec.min <= spec.default <= spec.max:
        raise ValueError(f"parameters.toml : défaut de {name} hors de sa plage {spec.describe_range()}")
    return spec


@lru_cache(maxsize=4)
def load_catalogue(path: str | None = None) -> Catalogue:
    """Read and check the parameters file (cached per path).

    Every concept must declare the same parameter names, and no name may be both common and per-concept.
    """
    with open(path or PARAMETERS_FILE, "rb") as fh:
        raw = tomllib.load(fh)
    common = {n: _spec(n, r, True) for n, r in raw["commun"].items()}
    concepts, names = {}, None
    for cid, c in raw["concepts"].items():
        own = {n: _spec(n, r, False) for n, r in c["parametres"].items()}
        if set(own) & set(common):
            raise ValueError(f"parameters.toml : {sorted(set(own) & set(common))} à la fois communs et propres")
        if names is not None and set(own) != names:
            raise ValueError(f"parameters.toml : le concept {cid} n'a pas les mêmes paramètres que les autres")
        names = set(own)
        concepts[cid] = Concept(cid, c["libelle"], c["description"], c["cible"], {**common, **own})
    modalities = raw["modalites"]
    for mid, m in modalities.items():
        for prefix in ("recette_", "heures_", "groupe_"):
            if prefix + mid not in common:
                raise ValueError(f"parameters.toml : {prefix + mid} manque dans [commun]")
        if m["payeur"] not in raw["payeurs"]:
            raise ValueError(f"parameters.toml : payeur inconnu {m['payeur']} pour {mid}")
    return Catalogue(concepts, modalities, raw["payeurs"], raw["financeurs"], raw["contexte"])


def concept_ids() -> list[str]:
    return list(load_catalogue().concepts)


def concept(concept_id: str) -> Concept:
    """The concept ``concept_id``; :class:`ParameterError` (French) if unknown."""
    cat = load_catalogue()
    if concept_id not in cat.concepts:
        raise ParameterError(f"Concept inconnu : « {concept_id} ». Concepts possibles : "
                             f"{', '.join(cat.concepts)}.")
    return cat.concepts[concept_id]


def parse_value(spec: ParamSpec, value) -> float:
    """Check one value against its spec and return it as a float.

    Raises :class:`ParameterError` with a French message naming the parameter for a missing, non-numeric,
    non-finite, non-integer (when required) or out-of-range value.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ParameterError(f"Paramètre « {spec.name} » ({spec.label}) : valeur manquante.")
    if isinstance(value, bool):
        raise ParameterError(f"Paramètre « {spec.name} » : valeur non numérique « {value} ».")
    if isinstance(value, str):
        try:
            x = F.parse_number(value)
        except ValueError:
            raise ParameterError(f"Paramètre « {spec.name} » ({spec.label}) : « {value[:40]} » n'est pas "
                                 f"un nombre.") from None
    else:
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"Paramètre « {spec.name} » : valeur non numérique.") from None
    if not math.isfinite(x):
        raise ParameterError(f"Paramètre « {spec.name} » ({spec.label}) : valeur non finie.")
    if not spec.min <= x <= spec.max:
        raise ParameterError(f"Paramètre « {spec.name} » ({spec.label}) : {_shown_number(x)} hors de la plage "
                             f"autorisée {spec.describe_range()}.")
    if spec.integer and not x.is_integer():
        raise ParameterError(f"Paramètre « {spec.name} » ({spec.label}) : un nombre entier est attendu.")
    return x


def make_parameters(concept_id: str, values: dict | None = None) -> Parameters:
    """Defaults of ``concept_id`` updated with ``values`` (name -> number or string), all validated.

    Raises :class:`ParameterError` (French) for an unknown concept or parameter, a bad value, or funder
    shares adding up to more than 100 %.
    """
    specs = concept(concept_id).specs
    out = {n: s.default for n, s in specs.items()}
    for name, value in (values or {}).items():
        if name not in specs:
            raise ParameterError(f"Paramètre inconnu : « {str(name)[:60]} » pour le concept {concept_id}.")
        out[name] = parse_value(specs[name], value)
    shares = sum(out[f"part_{f}"] for f in load_catalogue().funders)
    if shares > 100 + 1e-9:
        raise ParameterError("Parts des financeurs (part_etat + part_region + part_collectivite + "
                             f"part_appels_projets) : {_fr_number(shares)} %, plus que 100 %.")
    if sum(out[f"part_{m}"] for m in load_catalogue().modalities) <= 0:
        raise ParameterError("Mix des modalités : toutes les parts (part_alternance, part_pst_jour, …) sont "
                             "nulles ; au moins une doit être positive.")
    return Parameters(concept_id, out)


def default_parameters(concept_id: str) -> Parameters:
    return make_parameters(concept_id)


# -------------------------------------------------------------------------------------------- the model
def _mix(v: dict, modalities) -> dict:
    total = sum(v[f"part_{m}"] for m in modalities)
    return {m: v[f"part_{m}"] / total for m in modalities}


def _learners(v: dict, t: int) -> float:
    cruise = v["auditeurs_croisiere"]
    if t == 0:
        return 0.0
    if t < CRUISING_YEAR:
        return cruise * v[f"montee_annee_{t}"] / 100
    return cruise * (1 + v["croissance_apres_annee_4"] / 100) ** (t - CRUISING_YEAR)


def _year(v: dict, t: int, learners: float, cat: Catalogue, mix: dict) -> dict:
    """Learners, revenue and costs of year ``t`` for ``learners`` learners (no funding yet)."""
    billed = v[f"facturation_annee_{t}"] / 100 if 1 <= t < CRUISING_YEAR else 1.0
    by_mod = {m: learners * share for m, share in mix.items()}
    revenue_by_payer = dict.fromkeys(cat.payers, 0.0)
    group_hours = 0.0
    for m, n in by_mod.items():
        revenue_by_payer[cat.modalities[m]["payeur"]] += n * v[f"recette_{m}"] * billed
        group_hours += n * v[f"heures_{m}"] / v[f"groupe_{m}"]
    revenue = sum(revenue_by_payer.values())
    if t == 0:
        surface = 0.0
    elif t < 3:
        surface = v["surface_m2"] * v[f"surface_annee_{t}"] / 100
    else:
        surface = v["surface_m2"]
    costs = {
        "personnel": (v["etp_annee_0"] if t == 0 else v["etp"]) * v["cout_etp"],
        "enseignement": group_hours * v["cout_horaire_enseignement"],
        "pedagogie": learners * v["cout_pedagogique_auditeur"],
        "locaux": surface * v["loyer_m2"] * v["part_loyer_a_charge"] / 100,
        "fonctionnement": 0.0 if t == 0 else v["frais_fonctionnement"],
        "support_regional": revenue * v["frais_support_regional"] / 100,
        "etude": v["etude_diagnostic"] if t == 0 else 0.0,
        "investissement": v["investissement"] if t == 0 else 0.0,
    }
    total_costs = sum(costs.values())
    return {"year": t, "learners": learners, "learners_by_modality": by_mod, "revenue": revenue,
            "revenue_by_payer": revenue_by_payer, "costs": total_costs, "costs_by_category": costs,
            "operating_result": revenue - total_costs}


def _cruising_result(v: dict, learners: float, cat: Catalogue, mix: dict) -> float:
    return _year(v, CRUISING_YEAR, learners, cat, mix)["operating_result"]


def break_even_learners(params: Parameters) -> float | None:
    """Learners per year at which the cruising-year (year 4) operating result is 0, at the cruising mix.

    Solved numerically (bracketing then bisection) on the model itself, without public funding. ``0.0`` if
    the site breaks even with no learner at all, ``None`` if no volume up to 10 million does (each extra
    learner costs more than it brings).
    """
    cat, v = load_catalogue(), params.values
    mix = _mix(v, cat.modalities)

    def f(n):
        return _cruising_result(v, n, cat, mix)

    lo, hi = 0.0, 100.0
    if f(lo) >= 0:
        return 0.0
    while f(hi) < 0:
        lo, hi = hi, hi * 2
        if hi > 1e7:
            return None
    for _ in range(60):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-6:
            break
    return hi


def simulate(params: Parameters) -> SimulationResult:
    """Yearly table (years 0-6) and KPIs for one parameter set.

    Parameters
    ----------
    params : Parameters
        From :func:`make_parameters` / :func:`default_parameters` (already validated).

    Returns
    -------
    SimulationResult
        ``years``: one dict per year with ``year, learners, learners_by_modality, revenue, revenue_by_payer,
        costs, costs_by_category, operating_result, public_funding, public_funding_by_funder,
        cnam_own_funds, net, cumulative, cumulative_operating``.
        ``kpis``: ``break_even_learners, self_financing_year, public_funding_total, cnam_own_funds_total,
        learners_year4, net_year4, cost_per_learner`` (year 4), ``cost_per_learner_period`` (years 0-6),
        ``cumulative_net_year6``, ``max_funding_need`` (largest cumulative operating deficit).
    """
    cat, v = load_catalogue(), params.values
    mix = _mix(v, cat.modalities)
    funded_until = int(v["annees_financement_public"])
    shares = {f: v[f"part_{f}"] / 100 for f in cat.funders}
    own_share = max(0.0, 1 - sum(shares.values()))  # Cnam own funds cover the rest of a funded deficit
    years, cumulative, cumulative_op = [], 0.0, 0.0
    for t in YEARS:
        y = _year(v, t, _learners(v, t), cat, mix)
        need = -y["operating_result"] if t <= funded_until and y["operating_result"] < 0 else 0.0
        y["public_funding_by_funder"] = {f: need * s for f, s in shares.items()}
        y["public_funding"] = sum(y["public_funding_by_funder"].values())
        y["cnam_own_funds"] = need - y["public_funding"] if own_share > 0 else 0.0
        y["net"] = 0.0 if need else y["operating_result"]
        cumulative += y["net"]
        cumulative_op += y["operating_result"]
        y["cumulative"] = cumulative
        y["cumulative_operating"] = cumulative_op
        years.append(y)

    self_financing = None
    for t in range(len(YEARS) - 1, 0, -1):  # first year from which the operating result stays >= 0
        if years[t]["operating_result"] < -1e-6:
            break
        self_financing = t
    y4 = years[CRUISING_YEAR]
    total_learners = sum(y["learners"] for y in years)
    kpis = {
        "break_even_learners": break_even_learners(params),
        "self_financing_year": self_financing,
        "public_funding_total": sum(y["public_funding"] for y in years),
        "cnam_own_funds_total": sum(y["cnam_own_funds"] for y in years),
        "learners_year4": y4["learners"],
        "net_year4": y4["net"],
        "operating_result_year4": y4["operating_result"],
        "cost_per_learner": y4["costs"] / y4["learners"] if y4["learners"] > 0 else None,
        "cost_per_learner_period": (sum(y["costs"] for y in years) / total_learners
                                    if total_learners > 0 else None),
        "cumulative_net_year6": years[-1]["cumulative"],
        "max_funding_need": -min(0.0, min(y["cumulative_operating"] for y in years)),
    }
    return SimulationResult(params.concept, years, kpis, params)


def sensitivity(params: Parameters, pct: float = 0.2) -> list[dict]:
    """Year-4 operating result when each assumption moves by ``-pct`` / ``+pct`` (one at a time).

    Moved values are clipped to the parameter's range (integers rounded). Parameters that do not change the
    year-4 result (ramp-up of years 1-3, year-0 costs, funding shares, zero defaults) are left out.

    Returns
    -------
    list of dict
        ``name, label, unit, base_value, low_value, high_value, low_result, high_result, base_result,
        swing`` sorted by decreasing ``swing`` (= |high_result - low_result|).
    """
    cat, v = load_catalogue(), dict(params.values)
    specs = concept(params.concept).specs
    learners = _learners(v, CRUISING_YEAR)
    base = _cruising_result(v, learners, cat, _mix(v, cat.modalities))
    out = []
    for name, spec in specs.items():
        x = v[name]
        results, moved = [], []
        for factor in (1 - pct, 1 + pct):
            y = min(spec.max, max(spec.min, x * factor))
            if spec.integer:
                y = float(round(y))
            v[name] = y
            mix = _mix(v, cat.modalities)
            results.append(_cruising_result(v, _learners(v, CRUISING_YEAR), cat, mix))
            moved.append(y)
        v[name] = x
        swing = abs(results[1] - results[0])
        if swing > 1e-6:
            out.append({"name": name, "label": spec.label, "unit": spec.unit, "base_value": x,
                        "low_value": moved[0], "high_value": moved[1], "low_result": results[0],
                        "high_result": results[1], "base_result": base, "swing": swing})
    out.sort(key=lambda r: r["swing"], reverse=True)
    return out


SPREAD_DRAWS, SPREAD_SEED, SPREAD_PCT = 1000, 2026, 0.25


def _margin_and_fixed(v: dict, cat: Catalogue) -> tuple:
    """Year-4 result = learners × margin − fixed, as arrays over draws (every ``v[name]`` may be an array)."""
    import numpy as np

    parts = {m: np.asarray(v[f"part_{m}"], float) for m in cat.modalities}
    total = sum(parts.values())
    revenue = sum(parts[m] / total * v[f"recette_{m}"] for m in cat.modalities)
    teaching = sum(parts[m] / total * v[f"heures_{m}"] / v[f"groupe_{m}"] for m in cat.modalities)
    margin = (revenue * (1 - np.asarray(v["frais_support_regional"]) / 100)
              - teaching * v["cout_horaire_enseignement"] - v["cout_pedagogique_auditeur"])
    fixed = (v["etp"] * v["cout_etp"] + v["surface_m2"] * v["loyer_m2"] * v["part_loyer_a_charge"] / 100
             + v["frais_fonctionnement"])
    return margin, fixed


def uncertain_parameters(concept_id: str) -> list[str]:
    """Parameters whose justification says « Hypothèse à vérifier » and that move the year-4 result."""
    skip = ("montee_annee_", "facturation_annee_", "surface_annee_", "part_etat", "part_region", "part_collectivite",
            "part_appels_projets", "etp_annee_0", "etude_diagnostic", "investissement", "annees_financement_public",
            "croissance_apres_annee_4", "auditeurs_croisiere")
    return [n for n, sp in concept(concept_id).specs.items()
            if sp.rationale.lower().startswith("hypothèse à vérifier") and not n.startswith(skip) and sp.default > 0]


def break_even_spread(params: Parameters, draws: int = SPREAD_DRAWS, seed: int = SPREAD_SEED,
                      pct: float = SPREAD_PCT) -> dict:
    """Spread of the break-even when every « hypothèse à vérifier » moves within ±``pct`` of its value.

    Each uncertain parameter (:func:`uncertain_parameters`) is drawn from a triangular law (value − pct, value,
    value + pct, clipped to its allowed range), ``draws`` times with a fixed ``seed``. The year-4 result is linear
    in learners (result = learners × margin − fixed costs), so each draw's break-even is ``fixed / margin``
    (never when the margin is ≤ 0). Returns ``p5``, ``p50``, ``p95`` (learners), ``never_share``, ``draws``,
    ``pct``, ``names``.
    """
    import numpy as np

    cat = load_catalogue()
    specs = concept(params.concept).specs
    rng = np.random.default_rng(seed)
    v = dict(params.values)
    names = uncertain_parameters(params.concept)
    for n in names:
        x, sp = v[n], specs[n]
        lo, hi = max(sp.min, x * (1 - pct)), min(sp.max, x * (1 + pct))
        v[n] = rng.triangular(lo, x, hi, draws) if hi > lo else np.full(draws, x)
    margin, fixed = _margin_and_fixed(v, cat)
    fixed = np.broadcast_to(fixed, (draws,))
    margin = np.broadcast_to(margin, (draws,))
    with np.errstate(divide="ignore", invalid="ignore"):
        be = np.where(margin > 0, np.maximum(fixed, 0) / margin, np.inf)
    finite = np.isfinite(be)
    q = np.percentile(be, [5, 50, 95]) if finite.any() else [math.inf] * 3
    return {"p5": float(q[0]), "p50": float(q[1]), "p95": float(q[2]), "never_share": float(1 - finite.mean()),
            "draws": draws, "pct": pct, "names": names}


@lru_cache(maxsize=None)
def default_break_even(concept_id: str) -> float | None:
    """Break-even learners of ``concept_id`` at its default assumptions (the planner's and the profile's figure)."""
    return break_even_learners(default_parameters(concept_id))


# ------------------------------------------------------------------------------------------ command line
