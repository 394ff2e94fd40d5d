""":func:`solve`: choose up to ``k`` new sites by either method and either objective."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

from models.domain.planning.exact import _exact
from models.domain.planning.greedy import _greedy
from models.domain.planning.problem import PlanningProblem, PlanResult
from models.domain.planning.rules import OBJECTIVES, Eligibility, Viability
from models.domain.demand import reaches_break_even


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
            sites["viable"] = reaches_break_even(sites["expected_learners"], viability.break_even)
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
