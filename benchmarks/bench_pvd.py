"""Issue #16 (item 2): the exact method on the "toutes" candidate set, k = 12, 30 min, 25 % rule, reference network.

- "toutes" with the host population (171 communes of at least 5,000 inhabitants, the default);
- 1,500 candidates (the 1,500 communes that add the most demand alone, petites communes included): budget 60 s
  with a proof of optimality (issue: exact up to at least 1,500 candidates);
- every commune (5,097 candidates, petites communes included) within the page's 20 s time budget: the best set found
  (never worse than greedy), optimality not proved; ``BENCH_PVD_FULL=1`` also runs it to the proof (about 190 s
  measured on 2026-12-05, 2 shared cores).
"""
from __future__ import annotations

import os
import time
from dataclasses import replace

import numpy as np

from benchmarks import Measure

ISSUE = "#16 PVD"
K = 12


def _solve(problem, time_limit):
    from models.domain import planning as planner

    t0 = time.perf_counter()
    res = planner.solve(problem, K, "exact", eligibility=planner.Eligibility.acv(), time_limit=time_limit)
    return time.perf_counter() - t0, res


def run() -> list[Measure]:
    from models.domain import planning as planner
    from models.stores.network import reference_network

    net = reference_network()
    out = []
    hosts = planner.problem_for(planner.PlanRequest(kind="toutes", k=K), net)
    s, res = _solve(hosts, 60)
    out.append(Measure(ISSUE, f"exact, toutes ≥ 5 000 hab. ({len(hosts.candidates)} cand., prouvé={res.optimal})",
                       s, "s", 5))
    every = planner.problem_for(planner.PlanRequest(kind="toutes", k=K, include_small=True), net)
    order = np.argsort(-every.marginal_demand(), kind="stable")[:1500]
    sub = replace(every, candidates=[every.candidates[j] for j in order], cover=every.cover[:, order])
    s, res = _solve(sub, 120)
    out.append(Measure(ISSUE, f"exact, 1 500 candidats (prouvé={res.optimal})", s, "s", 60))
    s, res = _solve(every, 20)
    out.append(Measure(ISSUE, f"exact, {len(every.candidates)} cand., budget 20 s (prouvé={res.optimal})", s, "s"))
    if os.environ.get("BENCH_PVD_FULL"):
        s, res = _solve(every, 600)
        out.append(Measure(ISSUE, f"exact, {len(every.candidates)} cand., sans limite (prouvé={res.optimal})", s, "s"))
    return out
