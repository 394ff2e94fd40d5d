"""The planning problem (MCLP with the existing sites kept) and its result: :class:`PlanningProblem` built from a
cost matrix or over the region, :class:`PlanResult`; a network as hashable points (:func:`network_points`)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from models.domain.catchment import WEIGHTS
from models.domain.coverage import check_minutes
from models.domain.planning.rules import Eligibility, Viability
from models.domain.territory import Territory
from models.domain.travel import TravelSettings


def network_points(network, territory: Territory | None = None) -> tuple:
    """Hashable ``(site_id, code_insee, lon, lat)`` per site (the cache key of a network): ``network`` is a frame
    or records with ``lon``/``lat`` (sites at their own coordinates, found by ``site_id`` like everywhere else:
    coverage, town facts, demand), or ``code_insee`` (sites at the town hall, the commune code as id)."""
    if isinstance(network, pd.DataFrame):
        network = network.to_dict("records")
    network = list(network)
    if network and isinstance(network[0], (dict, tuple)):
        rows = [_point(r) for r in network]
        return tuple((str(i), str(c), float(x), float(y)) for i, c, x, y in rows)
    pts = (territory or Territory.from_geodata()).points_at_communes(list(dict.fromkeys(str(c) for c in network)))
    return tuple(zip(pts["site_id"], pts["code_insee"], pts["lon"].astype(float), pts["lat"].astype(float)))


def _point(r) -> tuple:
    if isinstance(r, tuple):
        return r if len(r) == 4 else (r[0], *r)          # (code_insee, lon, lat): the commune code as id
    return r.get("site_id", r["code_insee"]), r["code_insee"], r["lon"], r["lat"]


def network_frame(network, territory: Territory | None = None) -> pd.DataFrame:
    """The network's sites as a frame ``site_id``, ``code_insee``, ``lon``, ``lat`` (see :func:`network_points`)."""
    return pd.DataFrame(list(network_points(network, territory)), columns=["site_id", "code_insee", "lon", "lat"])


def network_codes(network) -> list[str]:
    """The communes hosting a site of ``network`` (any form accepted by :func:`network_points`)."""
    return list(dict.fromkeys(c for _, c, _, _ in network_points(network)))


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
        base = (territory.minutes_to_points(points, settings) <= minutes).any(axis=1) if len(points) \
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
