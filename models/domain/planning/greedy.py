"""The fast method: add, one at a time, the candidate that covers the most demand not yet covered."""
from __future__ import annotations

import numpy as np

from models.domain.planning.problem import PlanningProblem
from models.domain.planning.rules import _eligible_alone, _viable


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
