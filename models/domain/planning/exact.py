"""The exact method: an integer programme solved by HiGHS (zero gap), re-solved with a no-good cut while a chosen
set falls under the break-even; started from the greedy choice, so never worse than it."""
from __future__ import annotations

import time

import numpy as np

from models.domain.planning.greedy import _greedy
from models.domain.planning.problem import PlanningProblem
from models.domain.planning.rules import _eligible_alone, _viable

# The exact method proves the optimum of "toutes" with host conditions (171 communes) in under a second, of 1,500
# candidates in about 21 s and of 5,097 (petites communes included) in about 190 s (benchmarks/bench_pvd.py). Beyond
# this count it runs within its time budget and returns its best set (never worse than greedy) without a proof,
# which the page says.
MAX_EXACT_CANDIDATES = 1500
TIME_BUDGET_STATUS = ("temps imparti écoulé avant la preuve de l'optimum : meilleure solution trouvée, au moins aussi "
                      "bonne que la méthode rapide")


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
