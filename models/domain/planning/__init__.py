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

The package, by concern: ``rules`` (candidate sets, the 25 % rule, the break-even rule, the link to the simulator),
``problem`` (the instance and its result), ``greedy`` and ``exact`` (the two methods of the coverage objective),
``learners`` (the net-new-learners objective), ``solve`` (either method, either objective), ``request`` (what the
page asks: cached per request and network). The command line is ``models/cli/planner.py``.
"""
from models.domain.planning.exact import MAX_EXACT_CANDIDATES, TIME_BUDGET_STATUS
from models.domain.planning.problem import PlanningProblem, PlanResult, network_codes, network_frame, network_points
from models.domain.planning.request import (PlanOutcome, PlanRequest, _plan, _problem, candidate_table, eligibility_for,
                                           learners_problem, network_sites_frame, plan, problem_for,
                                           request_candidates, viability_for)
from models.domain.planning.rules import (CANDIDATE_SETS, DEFAULT_BV_MIN_POPULATION, DEFAULT_CONCEPT,
                                         MAX_OUTSIDE_ACV_SHARE, OBJECTIVES, Eligibility, Viability, candidate_codes,
                                         concept_economics, host_min_population, pvd_codes, small_candidates)
from models.domain.planning.solve import solve
