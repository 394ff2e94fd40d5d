"""Choosing new sites: maximal covering location problem (MCLP) with the existing sites kept.

Choose up to ``k`` new sites among candidate communes to maximise the demand within ``T`` minutes
(estimated) of the network (existing sites + new ones). Two methods:

- ``greedy``: add, one at a time, the candidate that covers the most demand not yet covered (instant);
- ``exact``: integer programme solved by HiGHS (``highspy``) with a zero optimality gap, so ``optimal=True``
  means proved optimal.

Optional constraints:

- viability of every new site: its expected learners (the demand model :mod:`models.domain.demand`, competition
  between all sites included, central estimate) ≥ the break-even learners of the chosen concept
  (:func:`models.domain.simulator.default_break_even`, the simulator's figure). A candidate that cannot break even
  alone never will with more sites (they only take learners from it): such candidates are left out; a chosen set
  whose sites fall under the break-even together is cut (no-good cut) and the programme solved again;
- budget: each new site costs the public funding its concept needs in years 0–3 (simulator), the total
  must stay within the budget.

Objectives: ``population`` (covered demand, the MCLP above) or ``apprenants`` (net new learners of the demand
model, :mod:`models.domain.planning.learners`: greedy with its bound, exact branch and bound). ``k`` is a maximum: a
site that adds nothing is never chosen, whatever the objective.

Which candidates matters: over all communes, coverage alone picks suburbs next to a centre and villages
no director would choose; the default candidates are the "Action cœur de ville" (ACV) towns. Every set leaves out
the communes under the concepts' host population (5,000 inhabitants, :mod:`models.domain.concept_fit`) unless asked
(``include_small``). "ACV + Petites villes de demain": the PVD towns count as "other towns" for the 25 % rule,
like any town outside ACV.

Read like spopt's ``MCLP``: build a :class:`PlanningProblem` (``from_region`` or ``from_cost_matrix``), then
:func:`solve` it. Command line::

    python -m models.planner --k 12 --minutes 30 [--method exact|greedy] --json
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from models.domain.catchment import WEIGHTS
from models.domain.coverage import FrenchArgumentParser, check_minutes, fail, split_codes
from models.domain.territory import Territory
from models.domain.travel import TravelSettings

CANDIDATE_SETS = {  # short: they fit a dropdown at 1280 px (the page explains each set under the table)
    "acv": "Villes « Action cœur de ville »",
    "acv_pvd": "ACV + Petites villes de demain",
    "acv_bv": "ACV + centres de bassin de vie",
    "bv": "Centres de bassin de vie",
    "toutes": "Toutes les communes (démonstration)",
}
DEFAULT_BV_MIN_POPULATION = 10_000
# Call for interest: towns outside "Action cœur de ville" may be chosen, up to 25 % of the chosen sites.
MAX_OUTSIDE_ACV_SHARE = 0.25
DEFAULT_CONCEPT = "clef_en_main"
# The exact method proves the optimum of "toutes" with host conditions (171 communes) in under a second, of 1,500
# candidates in about 21 s and of 5,097 (petites communes included) in about 190 s (benchmarks/bench_pvd.py). Beyond
# this count it runs within its time budget and returns its best set (never worse than greedy) without a proof,
# which the page says.
MAX_EXACT_CANDIDATES = 1500
TIME_BUDGET_STATUS = ("temps imparti écoulé avant la preuve de l'optimum : meilleure solution trouvée, au moins aussi "
                      "bonne que la méthode rapide")


# ------------------------------------------------------------------------------ link to the simulator
@lru_cache(maxsize=None)
def concept_economics(concept_id: str) -> dict:
    """Break-even learners and public funding years 0–3 of a concept at its default parameters.

    The only place where the planner reads the simulator. Returns ``{"concept", "label",
    "break_even_learners", "public_funding_0_3"}`` (``break_even_learners`` may be ``None``: never).
    """
    from models.domain import simulator

    if concept_id not in simulator.concept_ids():
        raise ValueError(f"Concept inconnu : {concept_id!r} (attendu : {', '.join(simulator.concept_ids())})")
    res = simulator.simulate(simulator.default_parameters(concept_id))
    return {"concept": concept_id, "label": simulator.concept(concept_id).label,
            "break_even_learners": simulator.default_break_even(concept_id),
            "public_funding_0_3": float(sum(y["public_funding"] for y in res.years if y["year"] <= 3))}


@dataclass(frozen=True)
class Eligibility:
    """Call-for-interest rule: chosen towns outside ``inside`` (the ACV towns) ≤ ``share`` of the chosen sites.

    With ``share=0.25``: 8 sites → at most 2 outside ACV; 3 sites → none.
    """

    inside: frozenset
    share: float = MAX_OUTSIDE_ACV_SHARE

    def __post_init__(self):
        if not 0 <= self.share <= 1:
            raise ValueError(f"Part maximale hors « Action cœur de ville » hors limites (0 à 100 %) : {self.share}")

    @classmethod
    def acv(cls, share: float = MAX_OUTSIDE_ACV_SHARE) -> "Eligibility":
        """The rule with the Action Cœur de Ville towns of the territory (25 in Grand Est) as the inside set."""
        com = Territory.from_geodata().communes
        return cls(frozenset(com.loc[com["is_acv"].astype(bool), "code_insee"]), share)

    def outside(self, candidates) -> np.ndarray:
        """Boolean mask: which ``candidates`` are outside the inside set."""
        return np.array([str(c) not in self.inside for c in candidates], bool)

    def max_outside(self, n_sites: int) -> int:
        return int(np.floor(self.share * n_sites + 1e-9))


@dataclass(frozen=True)
class Viability:
    """Every new site must reach ``break_even`` expected learners (demand model, competition included)."""

    break_even: float

    def __post_init__(self):
        if self.break_even is None or self.break_even < 0:
            raise ValueError(f"Point mort invalide : {self.break_even}")


OBJECTIVES = {"population": "population couverte", "apprenants": "apprenants nets attendus"}


# ------------------------------------------------------------------------------ candidates
def host_min_population() -> int:
    """The host condition common to the three concepts (:data:`models.domain.concept_fit.HOTE_POP_MIN`, 5,000)."""
    from models.domain.concept_fit import HOTE_POP_MIN

    return int(HOTE_POP_MIN)


def pvd_codes(territory: Territory | None = None) -> list[str]:
    """The Petites villes de demain of the territory (ANCT list of January 2021; 141 in Grand Est)."""
    territory = territory or Territory.from_geodata()
    return [str(c) for c in territory.layer("pvd")["code_insee"]]


def small_candidates(kind: str = "acv", bv_min_population: int = DEFAULT_BV_MIN_POPULATION,
                     territory: Territory | None = None) -> list[str]:
    """The communes of the set ``kind`` left out because they are under the host population (see
    :func:`candidate_codes`), largest first."""
    territory = territory or Territory.from_geodata()
    full = candidate_codes(kind, bv_min_population, territory=territory, include_small=True)
    pop = territory.index["population"].reindex(full)
    small = pop[pop < host_min_population()].sort_values(ascending=False, kind="stable")
    return list(small.index)


def candidate_codes(kind: str = "acv", bv_min_population: int = DEFAULT_BV_MIN_POPULATION,
                    added=(), exclude=(), territory: Territory | None = None, include_small: bool = False) -> list[str]:
    """Candidate communes for new sites.

    Parameters
    ----------
    kind : {"acv", "acv_pvd", "acv_bv", "bv", "toutes"}
        ACV towns; ACV towns + Petites villes de demain (ANCT, January 2021); ACV towns + central communes of the
        bassins de vie; central communes of the bassins de vie 2022 (``bv_code`` is the code of its central
        commune) with at least ``bv_min_population`` inhabitants; or every commune.
    include_small : bool
        Keep the communes under the host population of the concepts (:func:`host_min_population`, 5,000
        inhabitants: "commune trop petite pour accueillir un site" in the concept fit). Off by default: a set never
        proposes them unless the user asks. Communes the user adds are always kept.
    added : sequence of str
        Communes the user adds to the set (the founding documents allow similar towns up to 25 %).
    exclude : sequence of str
        Communes left out (e.g. those already hosting a site of the current network).
    """
    territory = territory or Territory.from_geodata()
    com = territory.communes
    acv = list(com.loc[com["is_acv"].astype(bool), "code_insee"])
    centres = com[(com["code_insee"] == com["bv_code"]) & (com["population"] >= bv_min_population)]
    centres = list(centres.sort_values("population", ascending=False)["code_insee"])
    if kind == "acv":
        codes = acv
    elif kind == "acv_pvd":
        codes = acv + pvd_codes(territory)
    elif kind == "acv_bv":
        codes = acv + centres
    elif kind == "bv":
        codes = centres
    elif kind == "toutes":
        codes = list(com["code_insee"])
    else:
        raise ValueError(f"Ensemble de candidats inconnu : {kind!r} (attendu : {', '.join(CANDIDATE_SETS)})")
    if not include_small:
        pop = territory.index["population"].reindex(codes).to_numpy(float)
        codes = [c for c, n in zip(codes, pop) if n >= host_min_population()]
    added = [str(c).strip() for c in added if str(c).strip()]
    territory.positions(added)  # unknown code → UnknownCommune (French)
    skip = {str(c) for c in exclude}
    return [c for c in dict.fromkeys(codes + added) if c not in skip]


def network_points(network, territory: Territory | None = None) -> tuple:
    """Hashable ``(code_insee, lon, lat)`` per site (the cache key of a network): ``network`` is a frame or
    records with ``lon``/``lat`` (sites at their own coordinates), or ``code_insee`` (sites at the town hall)."""
    if isinstance(network, pd.DataFrame):
        network = network.to_dict("records")
    network = list(network)
    if network and isinstance(network[0], (dict, tuple)):
        rows = [tuple(r) if isinstance(r, tuple) else (r["code_insee"], r["lon"], r["lat"]) for r in network]
        return tuple((str(c), float(x), float(y)) for c, x, y in rows)
    pts = (territory or Territory.from_geodata()).points_at_communes(list(dict.fromkeys(str(c) for c in network)))
    return tuple(zip(pts["code_insee"], pts["lon"].astype(float), pts["lat"].astype(float)))


def network_frame(network, territory: Territory | None = None) -> pd.DataFrame:
    """The network's sites as a frame ``code_insee``, ``lon``, ``lat`` (see :func:`network_points`)."""
    return pd.DataFrame(list(network_points(network, territory)), columns=["code_insee", "lon", "lat"])


def network_codes(network) -> list[str]:
    """The communes hosting a site of ``network`` (any form accepted by :func:`network_points`)."""
    return list(dict.fromkeys(c for c, _, _ in network_points(network)))


# ------------------------------------------------------------------------------ the problem
@dataclass
class PlanningProblem:
    """An MCLP instance with existing sites kept.

    Attributes
    ----------
    candidates : list of str
        Candidate identifiers (``code_insee``), column order of ``cover``.
    existing : list of str
        Existing sites (always kept).
    demand, population : ndarray, shape (n,)
        Demand (NaN = unknown → 0 in the objective) and inhabitants of every demand point.
    base_covered : ndarray of bool, shape (n,)
        Points within T of an existing site.
    cover : ndarray of bool, shape (n, m)
        Candidate j covers point i (within T).
    costs : ndarray, shape (m,), optional
        Cost of opening each candidate (for a budget).
    """

    candidates: list
    existing: list
    demand: np.ndarray
    population: np.ndarray
    base_covered: np.ndarray
    cover: np.ndarray
    minutes: float = 30.0
    weight: str = "population"
    settings: TravelSettings = field(default_factory=TravelSettings)
    costs: np.ndarray | None = None
    network_version: str | None = None
    point_codes: np.ndarray | None = None

    @classmethod
    def from_cost_matrix(cls, existing_times, candidate_times, demand, minutes, population=None,
                         candidates=None, existing=None, **kwargs) -> "PlanningProblem":
        """Instance from travel times: ``existing_times`` (n, e), ``candidate_times`` (n, m), minutes."""
        candidate_times = np.asarray(candidate_times, float)
        existing_times = np.asarray(existing_times, float).reshape(len(candidate_times), -1)
        demand = np.asarray(demand, float)
        population = demand if population is None else np.asarray(population, float)
        m, e = candidate_times.shape[1], existing_times.shape[1]
        return cls(candidates=list(candidates if candidates is not None else range(m)),
                   existing=list(existing if existing is not None else range(e)),
                   demand=demand, population=population,
                   base_covered=(existing_times <= minutes).any(axis=1),
                   cover=candidate_times <= minutes, minutes=float(minutes), **kwargs)

    @classmethod
    def from_region(cls, existing, candidates, minutes, settings: TravelSettings | None = None,
                    weight: str = "population", network_version: str | None = None,
                    territory: Territory | None = None) -> "PlanningProblem":
        """Instance over every commune of the territory (estimated times, see :mod:`models.domain.travel`).

        ``existing``: the network's sites as points (a frame or records with ``code_insee``, ``lon``, ``lat``:
        each site at its own coordinates) or ``code_insee`` (placed at the town hall). Candidates are town
        halls; those already hosting a site are dropped (a second site in the same commune adds nothing).
        """
        if weight not in WEIGHTS:
            raise ValueError(f"Pondération inconnue : {weight!r} (attendu : {', '.join(WEIGHTS)})")
        minutes = check_minutes(minutes)
        settings = settings or TravelSettings()
        territory = territory or Territory.from_geodata()
        points = network_frame(existing, territory)
        codes = list(dict.fromkeys(points["code_insee"]))
        candidates = [c for c in dict.fromkeys(str(c) for c in candidates) if c not in set(codes)]
        n = len(territory)
        base = (territory.minutes_to_points(points, settings, "code_insee") <= minutes).any(axis=1) if len(points) \
            else np.zeros(n, bool)
        cover = np.zeros((n, len(candidates)), bool)
        for s in range(0, len(candidates), 512):  # chunks: never the full float matrix in memory
            cover[:, s:s + 512] = (territory.minutes_from(candidates[s:s + 512], settings, np.float32) <= minutes).T
        com = territory.communes
        return cls(candidates=candidates, existing=codes, demand=com[weight].to_numpy(float),
                   population=com["population"].to_numpy(float), base_covered=base, cover=cover,
                   minutes=minutes, weight=weight, settings=settings, network_version=network_version,
                   point_codes=com["code_insee"].to_numpy())

    @property
    def weights(self) -> np.ndarray:
        return np.nan_to_num(self.demand, nan=0.0)

    def with_costs(self, costs) -> "PlanningProblem":
        from dataclasses import replace

        costs = np.broadcast_to(np.asarray(costs, float), (len(self.candidates),)).copy()
        return replace(self, costs=costs)

    def objective(self, chosen_idx) -> float:
        """Covered demand of the existing sites + candidates ``chosen_idx`` (column positions)."""
        covered = self.base_covered | self.cover[:, list(chosen_idx)].any(axis=1)
        return float(self.weights @ covered)

    def marginal_population(self) -> np.ndarray:
        """Population each candidate alone would newly serve (not already within T of an existing site)."""
        return (self.population * ~self.base_covered) @ self.cover

    def marginal_demand(self) -> np.ndarray:
        """Demand each candidate alone would add to the existing network."""
        return (self.weights * ~self.base_covered) @ self.cover


@dataclass
class PlanResult:
    """Outcome of :func:`solve`.

    Attributes
    ----------
    chosen : list
        Chosen candidates, in greedy order (largest marginal gain first).
    sites : DataFrame
        One row per chosen site: code_insee, ordre, gain (marginal demand added in that order),
        served_population (attributed to this site only), expected_learners, break_even, viable, cost.
    covered_demand, base_covered_demand, total_demand : float
    covered_population, total_population : float
    optimal : bool
        Proved optimal (exact method) — greedy is never reported optimal.
    status : str
        Solver status in French.
    """

    method: str
    k: int
    chosen: list
    sites: pd.DataFrame
    covered_demand: float
    base_covered_demand: float
    total_demand: float
    covered_population: float
    total_population: float
    optimal: bool
    seconds: float
    status: str
    viability: Viability | None = None
    budget: float | None = None
    eligibility: Eligibility | None = None
    objective: str = "population"
    learners_gain: float | None = None     # net new learners of the chosen set (demand model, central)
    learners_bound: float | None = None    # greedy: proved upper bound on the best set's net new learners

    @property
    def covered_share(self) -> float:
        return self.covered_demand / self.total_demand if self.total_demand else 0.0

    @property
    def gain(self) -> float:
        return self.covered_demand - self.base_covered_demand

    def to_dict(self) -> dict:
        return {
            "method": self.method, "k": self.k, "chosen": [str(c) for c in self.chosen],
            "covered_population": self.covered_population, "total_population": self.total_population,
            "covered_share": self.covered_population / self.total_population if self.total_population else 0.0,
            "covered_demand": self.covered_demand, "base_covered_demand": self.base_covered_demand,
            "total_demand": self.total_demand, "covered_demand_share": self.covered_share, "gain": self.gain,
            "optimal": self.optimal, "seconds": self.seconds, "status": self.status, "budget": self.budget,
            "viability": None if self.viability is None else {"break_even": self.viability.break_even},
            "objective": self.objective, "learners_gain": self.learners_gain, "learners_bound": self.learners_bound,
            "max_outside_acv_share": None if self.eligibility is None else self.eligibility.share,
            "sites": json.loads(self.sites.to_json(orient="records", force_ascii=False)),
        }


def _eligible_alone(problem: PlanningProblem, viability: Viability | None, budget: float | None,
                    learners=None) -> np.ndarray:
    """Candidates that could be chosen at all: break-even reached alone (more sites only lower it), within budget."""
    ok = np.ones(len(problem.candidates), bool)
    if viability is not None:
        ok &= learners.learners_alone() >= viability.break_even - 1e-6
    if budget is not None and problem.costs is not None:
        ok &= problem.costs <= budget + 1e-9
    return ok


def _viable(learners, viability: Viability | None, chosen: list) -> bool:
    """Every site of ``chosen`` at or above the break-even, the sites competing with each other."""
    return viability is None or not chosen or bool(
        (learners.learners(chosen) >= viability.break_even - 1e-6).all())


def _greedy(problem: PlanningProblem, k: int, viability, budget, eligibility=None, learners=None) -> list[int]:
    weights = problem.weights
    remaining = (~problem.base_covered).astype(float)
    ok = _eligible_alone(problem, viability, budget, learners)
    outside = eligibility.outside(problem.candidates) if eligibility is not None else None
    cap = eligibility.max_outside(k) if eligibility is not None else k
    cols, rows = np.nonzero(problem.cover.T)  # sparse columns: rows covered by each candidate
    starts = np.searchsorted(cols, np.arange(len(problem.candidates)))
    has_rows = np.bincount(cols, minlength=len(problem.candidates)) > 0

    def per_candidate(values):
        out = np.zeros(len(problem.candidates))
        if len(rows):
            sums = np.add.reduceat(values[rows], np.minimum(starts, len(rows) - 1))
            out[has_rows] = sums[has_rows]
        return out

    chosen, spent = [], 0.0
    for _ in range(k):
        gains = per_candidate(weights * remaining)
        allowed = ok & (gains > 0)  # k is a maximum: a site that covers nothing new is never added
        allowed[chosen] = False
        if budget is not None and problem.costs is not None:
            allowed &= spent + problem.costs <= budget + 1e-9
        if outside is not None and int(outside[chosen].sum()) >= cap:
            allowed &= ~outside
        pick = next((int(j) for j in np.argsort(-np.where(allowed, gains, -1.0), kind="stable")
                     if allowed[j] and _viable(learners, viability, chosen + [int(j)])), None)
        if pick is None:
            break
        chosen.append(pick)
        spent += 0.0 if problem.costs is None else float(problem.costs[pick])
        remaining[problem.cover[:, pick]] = 0.0
    if outside is not None:  # fewer sites than k: drop the last outside picks until the share holds
        while int(outside[chosen].sum()) > eligibility.max_outside(len(chosen)):
            chosen.pop(max(i for i, j in enumerate(chosen) if outside[j]))
    return chosen


def _exact(problem: PlanningProblem, k: int, viability, budget, time_limit: float, eligibility=None,
           learners=None):
    """MIP with HiGHS, re-solved with a no-good cut while a chosen set falls under the break-even.

    Returns (chosen positions, proved optimal, status)."""
    t0 = time.perf_counter()
    cuts: list[list[int]] = []
    while True:
        chosen, optimal, status = _exact_once(problem, k, viability, budget,
                                              max(0.1, time_limit - (time.perf_counter() - t0)), eligibility,
                                              learners, cuts)
        if _viable(learners, viability, chosen):
            return chosen, optimal, status
        cuts.append(chosen)
        if time.perf_counter() - t0 > time_limit:
            return [], False, "aucune solution viable trouvée dans le temps imparti"


def _exact_once(problem: PlanningProblem, k: int, viability, budget, time_limit: float, eligibility, learners,
                cuts: list):
    import highspy

    ok = _eligible_alone(problem, viability, budget, learners)
    rows = np.flatnonzero(~problem.base_covered & problem.cover[:, ok].any(axis=1)) if ok.any() else np.array([], int)
    cols = np.flatnonzero(ok)
    a = problem.cover[np.ix_(rows, cols)]  # (r, c)
    r, c = a.shape
    w = problem.weights[rows]
    # variables: y (c, binary) | x (r, [0,1]); a tiny cost per site: never open one that adds nothing
    cost = np.r_[np.full(c, -1e-7), w]
    starts, index, value, lo, hi = [0], [], [], [], []

    def add_row(idx, val, row_lo, row_hi):
        index.extend(idx)
        value.extend(val)
        starts.append(len(index))
        lo.append(row_lo)
        hi.append(row_hi)

    csr = [np.flatnonzero(a[i]) for i in range(r)]
    for i in range(r):  # x_i <= sum of the y covering it
        add_row([c + i, *csr[i]], [1.0, *([-1.0] * len(csr[i]))], -highspy.kHighsInf, 0.0)
    add_row(range(c), [1.0] * c, -highspy.kHighsInf, float(k))
    if budget is not None and problem.costs is not None:
        add_row(range(c), problem.costs[cols], -highspy.kHighsInf, float(budget))
    if eligibility is not None:  # Σ outside y ≤ share · Σ y  ⇔  Σ (outside − share) y ≤ 0
        coef = eligibility.outside(problem.candidates)[cols].astype(float) - eligibility.share
        add_row(range(c), coef, -highspy.kHighsInf, 1e-9)
    local = {int(j): i for i, j in enumerate(cols)}
    for cut in cuts:  # no-good: not this set nor any set containing it (its sites would stay under break-even)
        add_row([local[j] for j in cut], [1.0] * len(cut), -highspy.kHighsInf, float(len(cut) - 1))
    h = _highs(c + r, cost, (starts, index, value, lo, hi), c, time_limit)
    start = _greedy(problem, k, viability, budget, eligibility, learners)  # exact is never worse than greedy
    if start and not any(set(cut) <= set(start) for cut in cuts):
        h.setSolution(_start_solution(problem, start, cols, rows, c + r))
    h.run()
    status = h.getModelStatus()
    if c == 0 or status == highspy.HighsModelStatus.kInfeasible:
        return [], status == highspy.HighsModelStatus.kOptimal or c == 0, "aucun candidat admissible"
    if h.getInfo().primal_solution_status != 2:  # no feasible integer solution within the time limit
        return [], False, "aucune solution trouvée dans le temps imparti"
    sol = np.asarray(h.getSolution().col_value)
    chosen = [int(cols[j]) for j in np.flatnonzero(sol[:c] > 0.5)]
    optimal = status == highspy.HighsModelStatus.kOptimal
    text = "optimum prouvé" if optimal else (
        TIME_BUDGET_STATUS if status == highspy.HighsModelStatus.kTimeLimit
        else f"arrêt avant preuve d'optimalité ({h.modelStatusToString(status)})")
    return chosen, optimal, text


def _highs(n_var: int, cost, rows, n_int: int, time_limit: float):
    """A HiGHS instance (maximise, zero gap) of the row-wise matrix ``rows``; the first ``n_int`` are integer."""
    import highspy

    starts, index, value, lo, hi = rows
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_var, len(lo)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.zeros(n_var), np.ones(n_var)
    lp.row_lower_, lp.row_upper_ = np.asarray(lo, float), np.asarray(hi, float)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n_var, len(lo)
    lp.a_matrix_.start_ = np.asarray(starts, np.int32)
    lp.a_matrix_.index_ = np.asarray(index, np.int32)
    lp.a_matrix_.value_ = np.asarray(value, float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_int + [highspy.HighsVarType.kContinuous] * (n_var - n_int)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-6)
    h.setOptionValue("time_limit", float(time_limit))
    h.passModel(lp)
    return h


def _start_solution(problem, chosen, cols, rows, n_var):
    """HiGHS solution vector of a greedy choice (y and the covered points x)."""
    import highspy

    local = {int(j): i for i, j in enumerate(cols)}
    c, r = len(cols), len(rows)
    values = np.zeros(n_var)
    for j in chosen:
        values[local[j]] = 1.0
    values[c:c + r] = problem.cover[np.ix_(rows, chosen)].any(axis=1)
    sol = highspy.HighsSolution()
    sol.col_value = values.tolist()
    sol.value_valid = True
    return sol


def _order(problem: PlanningProblem, chosen: list[int], learners=None, objective: str = "population") -> list:
    """``(position, gain)`` of the chosen sites in greedy order (largest marginal gain first); sites that add nothing
    are dropped (k is a maximum)."""
    left, out = list(chosen), []
    remaining = ~problem.base_covered
    while left:
        if objective == "apprenants":
            done = [j for j, _ in out]
            base = learners.value(done)
            gains = [learners.value(done + [j]) - base for j in left]
        else:
            gains = [float((problem.weights * remaining) @ problem.cover[:, j]) for j in left]
        i = int(np.argmax(gains))
        j = left.pop(i)
        if gains[i] <= 1e-9:
            continue
        out.append((j, gains[i]))
        remaining = remaining & ~problem.cover[:, j]
    return out


def _site_table(problem: PlanningProblem, ordered: list, viability, learners) -> pd.DataFrame:
    """Chosen sites in greedy order: marginal gain, newly served and catchment population, cost, and the demand
    model's expected learners (competition between all the sites included) vs the break-even."""
    remaining = ~problem.base_covered
    rows = []
    for rank, (j, gain) in enumerate(ordered, 1):
        newly = remaining & problem.cover[:, j]
        rows.append({"code_insee": str(problem.candidates[j]), "ordre": rank, "gain": gain,
                     "served_population": float(problem.population @ newly),
                     "catchment_population": float(problem.population @ problem.cover[:, j]),
                     "cost": None if problem.costs is None else float(problem.costs[j])})
        remaining = remaining & ~problem.cover[:, j]
    sites = pd.DataFrame(rows, columns=["code_insee", "ordre", "gain", "served_population",
                                        "catchment_population", "cost"])
    if learners is not None:
        order = [j for j, _ in ordered]
        sites["expected_learners"] = learners.learners(order) if order else []
        if viability is not None:
            sites["break_even"] = viability.break_even
            sites["viable"] = sites["expected_learners"] >= viability.break_even - 1e-6
    return sites


def solve(problem: PlanningProblem, k: int, method: str = "greedy", viability: Viability | None = None,
          budget: float | None = None, time_limit: float = 60.0,
          eligibility: Eligibility | None = None, objective: str = "population", learners=None) -> PlanResult:
    """Choose up to ``k`` new sites; the existing ones are always kept.

    Parameters
    ----------
    problem : PlanningProblem
    k : int
        Maximum number of new sites (≥ 0); a site that adds nothing is never chosen.
    method : {"greedy", "exact"}
    viability : Viability, optional
        Require every new site to reach its break-even learners (needs ``learners``).
    budget : float, optional
        Maximum total cost (``problem.costs``, e.g. public funding years 0–3 per site).
    time_limit : float
        Seconds allowed to the exact method; beyond, the best solution found is returned with ``optimal=False``.
    eligibility : Eligibility, optional
        Call-for-interest rule: towns outside ACV at most 25 % of the chosen sites (both methods).
    objective : {"population", "apprenants"}
        Covered demand (MCLP) or net new learners (:mod:`models.domain.planning.learners`, needs ``learners``).
    learners : models.domain.planning.learners.LearnersProblem, optional
        The demand model on the same candidates: expected learners of the chosen sites, viability, objective.
    """
    from models.domain.planning import learners as PL

    if int(k) != k or k < 0:
        raise ValueError(f"Nombre de sites invalide : {k} (entier ≥ 0 attendu)")
    if method not in ("greedy", "exact"):
        raise ValueError(f"Méthode inconnue : {method!r} (attendu : greedy ou exact)")
    if objective not in OBJECTIVES:
        raise ValueError(f"Objectif inconnu : {objective!r} (attendu : {', '.join(OBJECTIVES)})")
    if budget is not None and budget < 0:
        raise ValueError(f"Budget négatif : {budget}")
    if budget is not None and problem.costs is None:
        raise ValueError("Un budget demande le coût de chaque site (PlanningProblem.with_costs).")
    if learners is None and (viability is not None or objective == "apprenants"):
        raise ValueError("Le point mort et l'objectif « apprenants » demandent le modèle de demande (learners).")
    k = int(k)
    t0 = time.perf_counter()
    bound = None
    if objective == "apprenants":
        rules = PL.Rules(k, None if viability is None else viability.break_even, problem.costs, budget,
                         None if eligibility is None else eligibility.outside(problem.candidates),
                         None if eligibility is None else eligibility.share)
        if method == "greedy":
            chosen, bound = PL.greedy(learners, rules)
            optimal, status = False, "heuristique gloutonne"
        else:
            chosen, optimal, status, _ = PL.exact(learners, rules, time_limit)
    elif method == "greedy":
        chosen, optimal, status = (_greedy(problem, k, viability, budget, eligibility, learners), False,
                                   "heuristique gloutonne")
    else:
        chosen, optimal, status = _exact(problem, k, viability, budget, time_limit, eligibility, learners)
    seconds = time.perf_counter() - t0
    ordered = _order(problem, chosen, learners, objective)
    order = [j for j, _ in ordered]
    sites = _site_table(problem, ordered, viability, learners)
    covered = problem.base_covered | problem.cover[:, order].any(axis=1)
    return PlanResult(
        method=method, k=k, chosen=[problem.candidates[j] for j in order], sites=sites,
        covered_demand=float(problem.weights @ covered),
        base_covered_demand=float(problem.weights @ problem.base_covered),
        total_demand=float(problem.weights.sum()), covered_population=float(problem.population @ covered),
        total_population=float(problem.population.sum()), optimal=optimal, seconds=seconds, status=status,
        viability=viability, budget=budget, eligibility=eligibility, objective=objective,
        learners_gain=None if learners is None else learners.value(order), learners_bound=bound)


def compare(problem: PlanningProblem, k: int, **kwargs) -> dict:
    """Greedy and exact on the same instance, with the gap (exact − greedy, in demand and in %)."""
    g = solve(problem, k, "greedy", **kwargs)
    e = solve(problem, k, "exact", **kwargs)
    gap = e.covered_demand - g.covered_demand
    return {"greedy": g, "exact": e, "gap": gap,
            "gap_pct": 100 * gap / e.covered_demand if e.covered_demand else 0.0}


# ------------------------------------------------------------------------------ requests (the page, a notebook)
@dataclass(frozen=True)
class PlanRequest:
    """Everything that defines an optimisation, hashable (so results are cached per request).

    ``method``: ``"greedy"``, ``"exact"`` or ``"both"`` (exact, with the greedy gap). ``rule``: the 25 % rule,
    ``"auto"`` (on when a candidate is outside ACV), ``"1"`` (on) or ``"0"`` (off). ``objective``: ``"population"``
    (covered demand) or ``"apprenants"`` (net new learners). ``include_hosting``: keep as candidates the towns
    that already host a site of the network (off: a "new" site goes to a town without one). ``include_small``:
    keep the communes under the concepts' host population (off: never proposed unless the user asks).
    """

    minutes: float = 30
    weight: str = "population"
    travel: str = "calibre"
    time_factor: float = 1.0
    kind: str = "acv"
    bv_min_population: int = DEFAULT_BV_MIN_POPULATION
    added: tuple = ()
    include_hosting: bool = False
    concept: str = DEFAULT_CONCEPT
    viable: bool = False
    budget: float | None = None
    k: int = 12
    method: str = "exact"
    rule: str = "auto"
    objective: str = "population"
    include_small: bool = False   # keep the communes under the concepts' host population (5,000 inhabitants)

    @property
    def settings(self) -> TravelSettings:
        return TravelSettings(self.travel, self.time_factor)


@dataclass
class PlanOutcome:
    """A solved request: the result, the greedy one when ``method="both"``, and what the view needs.

    ``demand``: the demand model on the network with the chosen sites added (:func:`models.domain.demand.estimate`,
    ``None`` for Fab ID, whose public is not modelled): every learner figure of the plan comes from it.
    """

    request: PlanRequest
    result: PlanResult
    candidates: int
    economics: dict
    viability: Viability | None
    eligibility: Eligibility | None
    greedy: PlanResult | None = None
    demand: object | None = None

    @property
    def gap(self) -> float | None:
        """Exact − greedy objective (``method="both"`` only): covered demand, or net new learners."""
        if self.greedy is None:
            return None
        if self.request.objective == "apprenants":
            return self.result.learners_gain - self.greedy.learners_gain
        return self.result.covered_demand - self.greedy.covered_demand

    @cached_property
    def sites(self) -> pd.DataFrame:
        """Chosen sites with ``nom``, ``acv`` and the demand model's learners (``expected_learners`` = central,
        ``low``, ``high``, ``drawn``, ``net_new``) vs the concept's break-even, ``viable`` at the central estimate."""
        sites = self.result.sites.copy()
        sites.insert(1, "nom", sites["code_insee"].map(Territory.from_geodata().names))
        sites["acv"] = sites["code_insee"].isin(Eligibility.acv().inside)
        if self.demand is not None and len(sites):
            new = self.demand.sites[self.demand.sites["nouveau"]].set_index("code_insee")
            for col, name in (("central", "expected_learners"), ("low", "low"), ("high", "high"),
                              ("drawn", "drawn"), ("net_new", "net_new")):
                sites[name] = sites["code_insee"].map(new[col]).astype(float)
            be = self.economics["break_even_learners"]
            sites["break_even"] = be
            sites["viable"] = sites["expected_learners"] >= be - 1e-6 if be is not None else False
        return sites

    def empty_reason(self, table: pd.DataFrame | None = None) -> str:
        """Why no site is proposed, in French (``table``: :func:`candidate_table` of the request)."""
        from models.text import fr_format as F

        if not self.candidates:
            return "Aucune ville candidate dans cet ensemble (toutes ont peut-être déjà un site)."
        if self.request.viable and table is not None and "expected_learners" in table and len(table):
            best = table.sort_values("expected_learners", ascending=False).iloc[0]
            return (f"Aucun candidat n'atteint le point mort ({F.num(self.economics['break_even_learners'])} "
                    f"apprenants par an) : le meilleur, {best['nom']}, en attend {F.num(best['expected_learners'])} "
                    f"(fourchette {F.num(best['low'])} à {F.num(best['high'])}).")
        if self.request.budget is not None:
            return "Aucun site ne tient dans le budget (financement public des années 0 à 3 par site)."
        return "Aucun candidat n'ajoute rien au réseau actuel sous ces conditions."

    def headline(self) -> str:
        """« 12 sites : +N apprenants nets attendus (fourchette a à b), dont M au-dessus du point mort »."""
        from models.text import fr_format as F

        n = len(self.result.chosen)
        if not n:
            return "Aucun nouveau site : aucun candidat n'ajoute rien sous ces conditions."
        head = F.plural(n, "nouveau site", "nouveaux sites")
        if self.demand is None:
            return f"{head} (demande non estimée pour ce concept)."
        d, s = self.demand, self.sites
        m = int(s["viable"].sum()) if "viable" in s else 0
        return (f"{head} : +{F.num(d.net_new)} apprenants nets attendus par an (fourchette {F.num(d.net_new_low)} à "
                f"{F.num(d.net_new_high)}), dont {F.plural(m, 'site')} au-dessus du point mort "
                f"({F.num(self.economics['break_even_learners'])} auditeurs).")


def viability_for(concept: str) -> tuple[Viability | None, dict]:
    """The break-even rule of ``concept`` (the simulator's break-even at its default assumptions) and its
    economics; ``None`` when the concept never breaks even."""
    econ = concept_economics(concept)
    if econ["break_even_learners"] is None:
        return None, econ
    return Viability(econ["break_even_learners"]), econ


def network_sites_frame(points: tuple, territory: Territory | None = None) -> pd.DataFrame:
    """The network's sites as the demand model reads them (all existing: ``nouveau`` False)."""
    names = (territory or Territory.from_geodata()).names
    df = pd.DataFrame(list(points), columns=["code_insee", "lon", "lat"])
    return df.assign(site_id=[f"site-{i}" for i in range(len(df))], nom=df["code_insee"].map(names), nouveau=False)


def learners_problem(problem: PlanningProblem, points: tuple, concept: str):
    """The demand model on the problem's candidates (``None`` for Fab ID: its public is not modelled)."""
    from models.domain import demand
    from models.domain.planning import learners as PL

    if concept not in demand.CONCEPTS:
        return None
    return PL.LearnersProblem.build(network_sites_frame(points), problem.candidates, concept)


def request_candidates(request: PlanRequest, network) -> list[str]:
    """Candidate towns of ``request``: without the towns hosting a site of ``network`` unless ``include_hosting``."""
    exclude = () if request.include_hosting else tuple(network_codes(network))
    return candidate_codes(request.kind, request.bv_min_population, request.added, exclude=exclude,
                           include_small=request.include_small)


def eligibility_for(request: PlanRequest, candidates) -> Eligibility | None:
    """The 25 % rule if asked, or (``rule="auto"``) when a candidate lies outside ACV."""
    rule = Eligibility.acv()
    if request.rule == "0" or (request.rule == "auto" and not rule.outside(candidates).any()):
        return None
    return rule


@lru_cache(maxsize=8)
def _problem(minutes, weight, travel, factor, kind, bv_min, added, include_hosting, points: tuple, label,
             include_small=False):
    request = PlanRequest(minutes, weight, travel, factor, kind, bv_min, added, include_hosting,
                          include_small=include_small)
    cands = request_candidates(request, points)
    problem = PlanningProblem.from_region(points, cands, minutes, request.settings, weight, label)
    hosted = set(network_codes(points))
    hosting = [c for c in cands if c in hosted]  # from_region drops them: added back when asked
    if hosting:
        extra = PlanningProblem.from_region([], hosting, minutes, request.settings, weight, label)
        problem = replace(problem, candidates=problem.candidates + extra.candidates,
                          cover=np.hstack([problem.cover, extra.cover]))
    return problem


def problem_for(request: PlanRequest, network, label: str | None = None) -> PlanningProblem:
    """The MCLP instance of ``request`` over the region (cached: built once per candidate/network change).

    ``network``: the current network's sites (frame or records with ``lon``/``lat``, each site at its own
    coordinates) or their ``code_insee`` (town halls), see :func:`network_points`.
    """
    r = request
    return _problem(r.minutes, r.weight, r.travel, r.time_factor, r.kind, r.bv_min_population, tuple(r.added),
                    r.include_hosting, network_points(network), label, r.include_small)


def candidate_table(request: PlanRequest, network, label: str | None = None) -> pd.DataFrame:
    """One row per candidate, most demand added first: commune facts, demand/inhabitants it alone adds,
    inhabitants within T, origin, ACV, and the learners a site there would expect alone beside the network
    (demand model: ``expected_learners``, ``low``, ``high``, ``net_new``) vs the concept's break-even."""
    from models.domain import demand

    problem = problem_for(request, network, label)
    viability, econ = viability_for(request.concept)
    com = Territory.from_geodata().index.reindex(problem.candidates)
    acv = Eligibility.acv().inside
    hosting, added = set(network_codes(network)), set(request.added)
    out = pd.DataFrame({
        "code_insee": problem.candidates, "nom": com["nom"].to_numpy(), "departement": com["departement"].to_numpy(),
        "densite_libelle": com["densite_libelle"].to_numpy(), "population": com["population"].to_numpy(int),
        "gain": problem.marginal_demand(), "gain_population": problem.marginal_population(),
        "catchment": problem.population @ problem.cover,
        "acv": [c in acv for c in problem.candidates], "heberge": [c in hosting for c in problem.candidates]})
    pvd = set(pvd_codes()) if request.kind == "acv_pvd" else set()
    out["origine"] = np.select(
        [out["code_insee"].isin(added), out["acv"], out["code_insee"].isin(pvd),
         com["bv_code"].to_numpy() == out["code_insee"].to_numpy()],
        ["ajout de l'utilisateur", "ville ACV", "Petite ville de demain", "centre de bassin de vie"], "commune")
    if request.concept in demand.CONCEPTS and len(out):
        est = demand.candidates(problem.candidates, request.concept,
                                network_sites_frame(network_points(network))).set_index("code_insee")
        for col, name in (("central", "expected_learners"), ("low", "low"), ("high", "high"),
                          ("net_new", "net_new")):
            out[name] = out["code_insee"].map(est[col]).astype(float)
        if viability is not None:
            out["break_even"] = viability.break_even
            out["viable"] = out["expected_learners"] >= viability.break_even - 1e-6
    return out.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


@lru_cache(maxsize=16)
def _plan(request: PlanRequest, points: tuple, label, time_limit: float) -> PlanOutcome:
    from models.domain import demand

    problem = problem_for(request, points, label)
    viability, econ = viability_for(request.concept)
    learners = learners_problem(problem, points, request.concept)
    if (request.viable or request.objective == "apprenants") and learners is None:
        raise ValueError(demand.FAB_ID_NOTE + " Choisissez un autre concept pour viser des apprenants ou le point mort.")
    if request.viable and viability is None:
        raise ValueError(f"Le concept « {econ['label']} » n'atteint jamais son point mort : contrainte impossible.")
    problem = problem.with_costs(econ["public_funding_0_3"])
    eligibility = eligibility_for(request, problem.candidates)
    kwargs = {"viability": viability if request.viable else None, "budget": request.budget,
              "time_limit": time_limit, "eligibility": eligibility, "objective": request.objective,
              "learners": learners}
    greedy = solve(problem, request.k, "greedy", **kwargs) if request.method in ("greedy", "both") else None
    if request.method == "greedy":
        result, greedy = greedy, None
    else:
        result = solve(problem, request.k, "exact", **kwargs)
    estimate = None if learners is None else demand.estimate(network_sites_frame(points), result.chosen,
                                                             request.concept)
    return PlanOutcome(request, result, len(problem.candidates), econ, viability, eligibility, greedy, estimate)


def plan(request: PlanRequest, network, label: str | None = None, time_limit: float = 20.0) -> PlanOutcome:
    """Solve ``request`` on ``network`` (its sites, see :func:`problem_for`; cached per request and network).

    Raises ``ValueError`` (French) for an impossible request, ``KeyError`` for an unknown added commune.
    """
    return _plan(request, network_points(network), label, float(time_limit))


# ------------------------------------------------------------------------------ command line
def _parser() -> FrenchArgumentParser:
    p = FrenchArgumentParser(prog="python -m models.planner",
                             description="Choix de nouveaux sites Cnam (couverture ou apprenants, temps estimés).")
    p.add_argument("--k", type=int, default=12, help="nombre maximal de nouveaux sites (défaut 12)")
    p.add_argument("--minutes", type=float, default=30, help="seuil de temps (5 à 180 min, défaut 30)")
    p.add_argument("--method", default="greedy", choices=["greedy", "exact"], help="méthode")
    p.add_argument("--objectif", default="population", choices=list(OBJECTIVES),
                   help="population couverte, ou apprenants nets attendus (modèle de demande)")
    p.add_argument("--candidates", default="acv", choices=list(CANDIDATE_SETS), help="ensemble de candidats")
    p.add_argument("--bv-min-population", type=int, default=DEFAULT_BV_MIN_POPULATION,
                   help="population minimale d'une commune-centre de bassin de vie")
    p.add_argument("--petites-communes", action="store_true",
                   help="garder les communes de moins de 5 000 habitants (sous les conditions d'accueil des concepts)")
    p.add_argument("--add", help="communes candidates ajoutées (codes INSEE séparés par des virgules)")
    p.add_argument("--sites", help="sites existants (défaut : réseau de référence)")
    p.add_argument("--weight", default="population", choices=list(WEIGHTS), help="pondération de la demande")
    p.add_argument("--travel-model", default="calibre", choices=["calibre", "regle_1_3"],
                   help="modèle de temps (calibré sur des temps routés, ou l'ancienne règle ×1,3 à 60 km/h)")
    p.add_argument("--time-factor", type=float, default=1.0, help="facteur appliqué aux temps (0,5 à 2)")
    p.add_argument("--rule", default="auto", choices=["auto", "1", "0"],
                   help="règle de l'appel à candidatures : au plus 25 %% de sites hors « Action cœur de ville » "
                        "(auto : appliquée si des candidats sont hors ACV)")
    p.add_argument("--concept", default=DEFAULT_CONCEPT, help="concept des nouveaux sites (attrait, point mort, coût)")
    p.add_argument("--viable", action="store_true", help="exiger que chaque nouveau site atteigne son point mort")
    p.add_argument("--budget", type=float, help="budget total de financement public années 0–3 (€)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    return p


def main(argv=None) -> int:
    a = _parser().parse_args(argv)
    if a.k < 0:
        return fail(f"le nombre de sites doit être positif ou nul (reçu {a.k}).")
    try:
        minutes = check_minutes(a.minutes)
        TravelSettings(a.travel_model, a.time_factor)
        if a.sites is None:
            from models.stores.network import reference_label, reference_network

            existing, version = reference_network(), reference_label()
        else:
            existing, version = split_codes(a.sites), "liste --sites (sites placés à la mairie)"
        request = PlanRequest(minutes, a.weight, a.travel_model, a.time_factor, a.candidates, a.bv_min_population,
                              tuple(split_codes(a.add)), False, a.concept, a.viable, a.budget, a.k, a.method,
                              a.rule, a.objectif, a.petites_communes)
        outcome = plan(request, existing, version, time_limit=60.0)
    except (KeyError, ValueError) as err:
        return fail(str(err.args[0]) if err.args else str(err))
    res = outcome.result
    sites = json.loads(outcome.sites.to_json(orient="records", force_ascii=False))
    out = res.to_dict() | {"candidates": a.candidates, "candidate_count": outcome.candidates, "minutes": minutes,
                           "weight": a.weight, "estimated": True, "network_version": version,
                           "concept": outcome.economics, "headline": outcome.headline(), "sites": sites}
    if outcome.demand is not None:
        out["net_new_learners"] = [outcome.demand.net_new_low, outcome.demand.net_new, outcome.demand.net_new_high]
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        from models.text import fr_format as F

        method = {"exact": "optimal garanti", "greedy": "rapide"}[res.method]
        print(f"Méthode {method} ({res.status}, {F.seconds(res.seconds)}), objectif {OBJECTIVES[a.objectif]} : "
              f"couverture {F.pct(100 * out['covered_share'])} de la population à {F.num_short(minutes)} min (estimée) "
              f"({version})." + ("" if outcome.eligibility is None else
                                 " Règle des 25 % hors « Action cœur de ville » appliquée."))
        print(outcome.headline())
        for s in outcome.sites.itertuples():
            learners = "" if "expected_learners" not in outcome.sites else (
                f"  {F.num(s.expected_learners):>5} apprenants ({F.num(s.low)} à {F.num(s.high)})")
            print(f"  {s.ordre:>2}. {s.nom:<28} +{F.num(s.gain):>9}{learners}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
