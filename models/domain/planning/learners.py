"""Choosing new sites for the most **net new learners** (the demand model, competition included).

Objective, with the demand model of :mod:`models.domain.demand` at its central assumptions (``p_i = r P_i``, existing
access ``s0_i``, a candidate's attraction ``U_ik``, ``g(s) = s / (1 + s)``)::

    F(X) = Σ_i p_i [ g(s0_i + Σ_{k∈X} U_ik) − g(s0_i) ]        net new learners of the chosen set X

``g`` is concave and increasing, so ``F`` is monotone submodular: each extra site adds less.

- ``greedy``: add the candidate with the largest gain; with a cardinality constraint it is within (1 − 1/e) of the
  optimum (Nemhauser, Wolsey & Fisher 1978), and the run gives a tighter, data-dependent bound: for every step's set
  S, OPT ≤ F(S) + the sum of the k largest gains from S (Minoux 1978; ``upper_bound``).
- ``exact``: branch and bound over sets, bounded by submodularity — a partial set A cannot gain more than
  F(A) + the r largest gains from A (r sites left). Depth first, the largest gain branched on first, the greedy set
  as the first incumbent; a branch is cut when its bound is within ``GAP_LEARNERS`` (half a learner) of the best
  set, so a finished search proves the set optimal to within half a learner. (An outer approximation with HiGHS —
  tangents of ``g`` as cuts — was tried first: 5 to 20 s on 23 candidates, against 0.05 to 0.3 s here.)

Rules shared with the coverage planner: at most ``k`` sites (a site that adds nothing is never chosen), the 25 %
rule (:class:`models.domain.planning.Eligibility`), a budget, and viability: every chosen site's expected learners
(central estimate, competition between the chosen sites included) ≥ the concept's break-even.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from models.domain import demand
from models.domain.territory import Territory

TOL = 1e-6
GAP_LEARNERS = 0.5  # the exact method proves the best set to within half a learner


@dataclass
class LearnersProblem:
    """The learners objective on candidates: ``p`` (n,), ``s0`` (n,), ``u`` (n, m) at the central assumptions."""

    candidates: list
    p: np.ndarray
    s0: np.ndarray
    u: np.ndarray

    @classmethod
    def build(cls, existing: pd.DataFrame, candidates, concept: str, territory: Territory | None = None):
        territory = territory or Territory.from_geodata()
        model = demand.model_for(territory)
        central, _, _ = demand.scenarios(concept)
        pts = territory.points_at_communes(list(candidates))
        ex = existing if "site_id" in existing else existing.assign(site_id=existing["code_insee"].astype(str))
        ex_u = demand._decay(model.times_to(ex), central.half_time) if len(existing) else np.zeros((len(territory), 0))
        u = central.pull * demand._decay(model.times_to(pts), central.half_time)
        p = model.rate(central.total, central.half_time) * model.potential
        return cls(list(candidates), p, demand.EXISTING_PULL * ex_u.sum(axis=1), u)

    def value(self, chosen) -> float:
        """F(X): net new learners of the set ``chosen`` (candidate positions)."""
        s = self.s0 + self.u[:, list(chosen)].sum(axis=1)
        return float(self.p @ (s / (1 + s) - self.s0 / (1 + self.s0)))

    def gains(self, s: np.ndarray) -> np.ndarray:
        """Gain of each candidate added to a network whose access is ``s``."""
        return self.p @ (1.0 / (1 + s))[:, None] - self.p @ (1.0 / (1 + s[:, None] + self.u))

    def learners_alone(self) -> np.ndarray:
        """Expected learners of each candidate opened alone beside the existing sites (an upper bound: competition
        from other new sites only lowers it)."""
        return (self.p[:, None] * self.u / (1 + self.s0[:, None] + self.u)).sum(axis=0)

    def learners(self, chosen) -> np.ndarray:
        """Expected learners of each chosen site in the set ``chosen`` (competition included)."""
        chosen = list(chosen)
        s = self.s0 + self.u[:, chosen].sum(axis=1)
        return (self.p / (1 + s)) @ self.u[:, chosen]

    def extensions(self, chosen: list, s: np.ndarray, candidates: np.ndarray, break_even: float):
        """Gain of each of ``candidates`` added to ``chosen`` (access ``s``), and whether it can join with every site
        still at ``break_even``. A site's learners only fall as sites are added, so a candidate that fails here fails
        in every larger set."""
        ut = self.u_rows
        w = self.p / (1 + s + ut[candidates])                      # one row per candidate
        gains = float(self.p @ (1.0 / (1 + s))) - w.sum(axis=1)
        ok = demand.reaches_break_even((w * ut[candidates]).sum(axis=1), break_even)
        if chosen:
            ok &= demand.reaches_break_even(w @ ut[chosen].T, break_even).all(axis=1)
        return gains, ok

    @cached_property
    def u_rows(self) -> np.ndarray:
        """``u`` transposed and contiguous: a candidate's attraction over the communes read as one row."""
        return np.ascontiguousarray(self.u.T)


@dataclass
class Rules:
    """What a set must respect: ``k`` sites at most, break-even (or None), costs and budget, 25 % rule."""

    k: int
    break_even: float | None = None
    costs: np.ndarray | None = None
    budget: float | None = None
    outside: np.ndarray | None = None   # candidate outside ACV
    max_outside_share: float | None = None

    def max_outside(self, n: int) -> int:
        return int(np.floor(self.max_outside_share * n + 1e-9)) if self.max_outside_share is not None else n

    def feasible(self, lp: LearnersProblem, chosen: list) -> bool:
        if len(chosen) > self.k:
            return False
        if self.costs is not None and self.budget is not None and self.costs[chosen].sum() > self.budget + 1e-9:
            return False
        if self.outside is not None and int(self.outside[chosen].sum()) > self.max_outside(len(chosen)):
            return False
        return self.break_even is None or bool(demand.reaches_break_even(lp.learners(chosen), self.break_even).all())


def greedy(lp: LearnersProblem, rules: Rules) -> tuple[list[int], float]:
    """Greedy choice and an upper bound on the optimum (Minoux's online bound, min over the steps)."""
    chosen: list[int] = []
    s = lp.s0.copy()
    bound = np.inf
    for _ in range(rules.k):
        g = lp.gains(s)
        g[chosen] = -np.inf
        top = np.sort(np.where(np.isfinite(g), np.maximum(g, 0), 0))[::-1][:rules.k]
        bound = min(bound, lp.value(chosen) + float(top.sum()))
        added = False
        for j in np.argsort(-g):
            if not np.isfinite(g[j]) or g[j] <= TOL:
                break
            trial = chosen + [int(j)]
            if _partial_ok(lp, rules, trial):
                chosen, s, added = trial, s + lp.u[:, j], True
                break
        if not added:
            break
    while rules.outside is not None and int(rules.outside[chosen].sum()) > rules.max_outside(len(chosen)):
        chosen.pop(max(i for i, j in enumerate(chosen) if rules.outside[j]))
    return chosen, max(bound, lp.value(chosen))


def _partial_ok(lp: LearnersProblem, rules: Rules, trial: list) -> bool:
    """A greedy step: budget and viability now; the 25 % rule checked against the final size ``k``."""
    if rules.costs is not None and rules.budget is not None and rules.costs[trial].sum() > rules.budget + 1e-9:
        return False
    if rules.outside is not None and int(rules.outside[trial].sum()) > rules.max_outside(rules.k):
        return False
    return rules.break_even is None or bool(demand.reaches_break_even(lp.learners(trial), rules.break_even).all())


def exact(lp: LearnersProblem, rules: Rules, time_limit: float = 20.0):
    """Exact search over sets: depth-first, the free candidate with the largest gain branched on first (include,
    then exclude), a node cut when F(A) + the r largest gains from A cannot beat the best set (submodularity:
    no completion of A gains more), or when a chosen site is already under its break-even (more sites only lower
    it) or the budget is exceeded. Returns (chosen, proved optimal, status, upper bound)."""
    t0 = time.perf_counter()
    best, _ = greedy(lp, rules)
    best = best if rules.feasible(lp, best) else []
    best_val = lp.value(best)
    alone = lp.gains(lp.s0)
    free0 = [j for j in np.argsort(-alone) if alone[j] > TOL]
    if rules.break_even is not None:
        la = lp.learners_alone()
        free0 = [j for j in free0 if demand.reaches_break_even(la[j], rules.break_even)]
    ut = lp.u_rows
    # viability is kept by filtering: the free candidates are only those that can join the set and keep every
    # site at break-even, so a child needs only the budget and the 25 % rule checked
    structural = replace(rules, break_even=None)
    stack = [([], np.array(free0, int), lp.s0.copy(), 0.0, None)]
    nodes, timed_out = 0, False
    while stack:
        if time.perf_counter() - t0 > time_limit:
            timed_out = True
            break
        chosen, free, s, val, g = stack.pop()
        nodes += 1
        r = rules.k - len(chosen)
        if r <= 0 or not len(free):
            continue
        if g is None:                                              # gains from this set (the exclude child has them)
            g = float(lp.p @ (1.0 / (1 + s))) - (1.0 / (1 + s + ut[free])) @ lp.p
        order = np.argsort(-g)
        if val + g[order[:r]].sum() <= best_val + GAP_LEARNERS:
            continue
        j = int(free[order[0]])
        keep = g[order[1:]] > TOL
        rest = free[order[1:]][keep]
        stack.append((chosen, rest, s, val, g[order[1:]][keep]))  # exclude j (explored after)
        trial = chosen + [j]
        s2 = s + ut[j]
        if _partial_ok(lp, structural, trial):
            v2 = val + float(g[order[0]])
            if v2 > best_val + TOL and structural.feasible(lp, trial):
                best, best_val = trial, v2
            g2 = None
            if rules.break_even is not None and len(rest):         # who can still join without breaking even
                g2, ok = lp.extensions(trial, s2, rest, rules.break_even)
                rest, g2 = rest[ok], g2[ok]
            stack.append((trial, rest, s2, v2, g2))                # include j (explored first)
    status = "arrêt avant preuve d'optimalité" if timed_out else "optimum prouvé (à moins d'un demi-apprenant)"
    return best, not timed_out, status, nodes
