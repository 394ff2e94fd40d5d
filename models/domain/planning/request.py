"""Requests as the page and a notebook make them: :class:`PlanRequest` (hashable, cached per request and network),
:func:`plan` → :class:`PlanOutcome` (the result with names, ACV, the demand model's learners and the French reasons),
:func:`candidate_table`."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from models.domain.planning.problem import PlanningProblem, PlanResult, network_codes, network_points
from models.domain.planning.rules import (DEFAULT_BV_MIN_POPULATION, DEFAULT_CONCEPT, Eligibility, Viability,
                                         candidate_codes, concept_economics, pvd_codes)
from models.domain.planning.solve import solve
from models.domain.demand import reaches_break_even
from models.domain.territory import Territory
from models.domain.travel import TravelSettings


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
            sites["viable"] = reaches_break_even(sites["expected_learners"], be) if be is not None else False
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
    df = pd.DataFrame(list(points), columns=["site_id", "code_insee", "lon", "lat"])
    return df.assign(nom=df["code_insee"].map(names), nouveau=False)


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
            out["viable"] = reaches_break_even(out["expected_learners"], viability.break_even)
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
