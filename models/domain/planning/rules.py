"""The planner's rules: candidate sets, the 25 % call-for-interest rule (:class:`Eligibility`), the break-even
rule (:class:`Viability`) read from the simulator (:func:`concept_economics`, the only link to it), the objectives."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from models.domain.demand import reaches_break_even
from models.domain.territory import Territory

if TYPE_CHECKING:
    from models.domain.planning.problem import PlanningProblem

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


def _eligible_alone(problem: PlanningProblem, viability: Viability | None, budget: float | None,
                    learners=None) -> np.ndarray:
    """Candidates that could be chosen at all: break-even reached alone (more sites only lower it), within budget."""
    ok = np.ones(len(problem.candidates), bool)
    if viability is not None:
        ok &= reaches_break_even(learners.learners_alone(), viability.break_even)
    if budget is not None and problem.costs is not None:
        ok &= problem.costs <= budget + 1e-9
    return ok


def _viable(learners, viability: Viability | None, chosen: list) -> bool:
    """Every site of ``chosen`` at or above the break-even, the sites competing with each other."""
    return viability is None or not chosen or bool(
        reaches_break_even(learners.learners(chosen), viability.break_even).all())
