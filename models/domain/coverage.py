"""Coverage of the region by a network of sites within an estimated travel time.

``coverage(sites, minutes)`` answers: which communes have a site within T minutes (estimated, see
:mod:`models.domain.travel`), how much demand that is, by département / EPCI / zone d'emploi, and where the
"zones blanches" are — groups of contiguous uncovered communes (polygons touching, from
``geodata.commune_neighbours()``), ranked by population.

Demand weighting: ``population`` (default), ``pop_1564`` or ``demandeurs_emploi``. Jobseekers are only known
for about 180 communes (the larger ones): with that weighting the sums and shares are over those communes
only (``known_communes`` says how many) — unknown is never counted as zero.

Command line::

    python -m models.coverage --minutes 30 [--sites CODE,CODE…] [--weight population] --json
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from models.domain.catchment import WEIGHTS
from models.domain.territory import Territory
from models.domain.travel import DEFAULT_SETTINGS, TravelSettings, describe

MINUTES_RANGE = (5, 180)
LEVELS = {  # level → (code column, name column, French label)
    "departement": ("departement", "departement_nom", "Département"),
    "epci": ("epci_code", "epci_nom", "EPCI"),
    "ze": ("ze_code", "ze_nom", "Zone d'emploi"),
}


def _memo(territory: Territory, key: str, build):
    if key not in territory.memo:
        territory.memo[key] = build()
    return territory.memo[key]


def _arrays(territory: Territory) -> dict[str, np.ndarray]:
    """Columns of the territory's communes as numpy arrays (pandas indexing costs more than the maths)."""
    def build():
        com = territory.communes
        out = {c: com[c].to_numpy() for c in ["code_insee", "nom", "departement"]}
        out["population"] = com["population"].to_numpy(dtype=float)
        out.update({w: com[w].to_numpy(dtype=float) for w in WEIGHTS if w in com})
        return out
    return _memo(territory, "coverage.arrays", build)


def _level_index(territory: Territory, level: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of every commune for ``level`` and the (code, nom) of each group, sorted by code."""
    def build():
        code, name, _ = LEVELS[level]
        com = territory.communes
        keys = com[[code, name]].drop_duplicates(code).sort_values(code).reset_index(drop=True)
        groups = pd.Index(keys[code]).get_indexer(com[code])
        return groups, keys.rename(columns={code: "code", name: "nom"})
    return _memo(territory, f"coverage.level.{level}", build)


def connected_groups(mask: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Label of the connected group of each node where ``mask`` is True (-1 elsewhere).

    Hook-and-jump over the edges whose both ends are in ``mask``: every root hooks onto the smallest root
    it touches, then labels jump to their root; a few rounds suffice. The label of a group is its smallest
    node position.
    """
    keep = mask[src] & mask[dst]
    src, dst = src[keep], dst[keep]
    lab = np.arange(len(mask))
    while True:
        ls, ld = lab[src], lab[dst]
        differ = ls != ld
        if not differ.any():
            break
        np.minimum.at(lab, np.maximum(ls[differ], ld[differ]), np.minimum(ls[differ], ld[differ]))
        while True:  # jump to the root: labels only decrease and stay in the group
            jumped = lab[lab]
            if np.array_equal(jumped, lab):
                break
            lab = jumped
    return np.where(mask, lab, -1)


def site_points(sites, territory: Territory) -> pd.DataFrame:
    """Sites as points: a frame with ``lon``/``lat`` (e.g. a network's sites) is used as it is; a list of
    ``code_insee`` is placed at those communes' town halls. Unknown code → :class:`UnknownCommune`."""
    if isinstance(sites, pd.DataFrame):
        if sites[["lon", "lat"]].isna().any().any():
            raise ValueError("Site sans coordonnées : placez-le dans une commune.")
        return sites.reset_index(drop=True)
    return territory.points_at_communes(list(dict.fromkeys(str(s) for s in sites)))


def nearest_site(points: pd.DataFrame, territory: Territory,
                 settings: TravelSettings | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Estimated minutes from every commune to its nearest site, and that site's row position in ``points``.

    With no site, minutes are ``inf`` and the position is -1.
    """
    return territory.nearest_site(points, settings)


@dataclass
class CoverageResult:
    """Coverage of a network within ``minutes``; tables are computed on first access.

    Attributes
    ----------
    territory : Territory
        The communes covered (the order of every array below).
    points : DataFrame
        The sites as points (``site_id``, ``code_insee``, ``nom``, ``lon``, ``lat``).
    times : ndarray
        Estimated minutes from every commune to its nearest site.
    nearest_idx : ndarray of int
        Row of that site in ``points`` (-1 with no site); ``nearest`` is its ``code_insee``.
    covered : ndarray of bool
        ``times <= minutes``.
    covered_demand, total_demand, covered_share : float
        Over communes whose demand is known.
    covered_population, total_population, uncovered_population : float
        Always in inhabitants, whatever the weighting.
    known_communes : int
        Communes whose demand is known (all but ~4,935 for jobseekers).
    uncovered_communes : int
    """

    minutes: float
    weight: str
    territory: Territory
    points: pd.DataFrame
    settings: TravelSettings
    times: np.ndarray
    nearest_idx: np.ndarray
    network_version: str | None = None

    def __post_init__(self):
        a = _arrays(self.territory)
        self.sites = list(dict.fromkeys(self.points["code_insee"].astype(str)))
        codes = self.points["code_insee"].astype(str).to_numpy(dtype=object)
        self.nearest = np.where(self.nearest_idx >= 0, codes[np.maximum(self.nearest_idx, 0)] if len(codes) else "", "")
        self.covered = self.times <= self.minutes
        self.demand = a[self.weight]
        known = ~np.isnan(self.demand)
        dem0 = np.where(known, self.demand, 0.0)
        pop = a["population"]
        self.total_demand = float(dem0.sum())
        self.covered_demand = float(dem0 @ self.covered)
        self.covered_share = self.covered_demand / self.total_demand if self.total_demand else 0.0
        self.total_population = float(pop.sum())
        self.covered_population = float(pop @ self.covered)
        self.uncovered_population = self.total_population - self.covered_population
        self.known_communes = int(known.sum())
        self.uncovered_communes = int((~self.covered).sum())

    @property
    def uncovered_codes(self) -> np.ndarray:
        """``code_insee`` of the uncovered communes (region order)."""
        return _arrays(self.territory)["code_insee"][~self.covered]

    @cached_property
    def communes(self) -> pd.DataFrame:
        """One row per commune: code_insee, nom, level codes/names, population, demand, minutes (estimated
        time to the nearest site), nearest_site (its code_insee), covered (bool)."""
        out = self.territory.communes[["code_insee", "nom", "population"]
                                      + [c for pair in LEVELS.values() for c in pair[:2]]].copy()
        out["demand"] = self.demand
        out["minutes"] = self.times
        out["nearest_site"] = self.nearest
        out["covered"] = self.covered
        return out

    def by(self, level: str) -> pd.DataFrame:
        """Coverage by ``"departement"``, ``"epci"`` or ``"ze"``: communes, population, demand, shares."""
        groups, keys = _level_index(self.territory, level)
        cov, pop, dem = self.covered, _arrays(self.territory)["population"], self.demand
        known = ~np.isnan(dem)
        dem0 = np.where(known, dem, 0.0)
        n = len(keys)

        def total(values):
            return np.bincount(groups, weights=values, minlength=n)

        out = keys.copy()
        out["communes"] = np.bincount(groups, minlength=n)
        out["uncovered_communes"] = np.bincount(groups, weights=~cov, minlength=n).astype(int)
        out["population"] = total(pop)
        out["covered_population"] = total(pop * cov)
        out["demand"] = np.where(total(known) > 0, total(dem0), np.nan)
        out["covered_demand"] = np.where(total(known) > 0, total(dem0 * cov), np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["covered_share"] = np.where(out["demand"] > 0, out["covered_demand"] / out["demand"], np.nan)
        return out

    @cached_property
    def by_departement(self) -> pd.DataFrame:
        return self.by("departement")

    @cached_property
    def by_epci(self) -> pd.DataFrame:
        return self.by("epci")

    @cached_property
    def by_ze(self) -> pd.DataFrame:
        return self.by("ze")

    @cached_property
    def uncovered(self) -> pd.DataFrame:
        """Uncovered communes, most populated first."""
        u = self.communes.loc[~self.covered]
        return u.sort_values("population", ascending=False).reset_index(drop=True)

    @cached_property
    def zones_blanches(self) -> pd.DataFrame:
        """Groups of contiguous uncovered communes, most populated first.

        Columns: rang, communes (count), population, demand, principale (most populated commune),
        code_principale, departements, minutes_max, codes (list of code_insee).
        """
        src, dst = self.territory.edges
        mask = ~self.covered
        cols = ["rang", "communes", "population", "demand", "principale", "code_principale", "departements",
                "minutes_max", "codes"]
        if not mask.any():
            return pd.DataFrame(columns=cols)
        labels = connected_groups(mask, src, dst)[mask]
        a = _arrays(self.territory)
        pop = a["population"][mask]
        order = np.lexsort((-pop, labels))  # by zone, most populated first
        labels, pop = labels[order], pop[order]
        starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
        zone = np.cumsum(np.r_[True, labels[1:] != labels[:-1]]) - 1
        dem = self.demand[mask][order]
        known = np.bincount(zone, weights=~np.isnan(dem))
        codes = a["code_insee"][mask][order]
        deps = a["departement"][mask][order]
        z = pd.DataFrame({
            "communes": np.diff(np.r_[starts, len(labels)]),
            "population": np.bincount(zone, weights=pop).astype(np.int64),
            "demand": np.where(known > 0, np.bincount(zone, weights=np.nan_to_num(dem)), np.nan),
            "principale": a["nom"][mask][order][starts],
            "code_principale": codes[starts],
            "departements": [", ".join(sorted(set(d))) for d in np.split(deps, starts[1:])],
            "minutes_max": np.maximum.reduceat(self.times[mask][order], starts),
            "codes": [list(c) for c in np.split(codes, starts[1:])],
        })
        z = z.sort_values(["population", "communes"], ascending=False, kind="stable").reset_index(drop=True)
        z.insert(0, "rang", np.arange(1, len(z) + 1))
        return z

    def summary(self) -> dict:
        """Plain dict for JSON (the CLI output)."""
        dep = self.by_departement
        return {
            "minutes": self.minutes, "weight": self.weight, "estimated": True,
            **self.settings.as_dict(), "travel_label": describe(self.settings),
            "network_version": self.network_version, "sites": self.sites,
            "covered_population": self.covered_population, "total_population": self.total_population,
            "covered_share": self.covered_population / self.total_population if self.total_population else 0.0,
            "covered_demand": self.covered_demand, "total_demand": self.total_demand,
            "covered_demand_share": self.covered_share, "known_communes": self.known_communes,
            "uncovered_communes": self.uncovered_communes, "uncovered_population": self.uncovered_population,
            "zones_blanches": int(len(self.zones_blanches)),
            "by_departement": [
                {"departement": r.code, "nom": r.nom, "population": float(r.population),
                 "covered_population": float(r.covered_population),
                 "covered_share": float(r.covered_population / r.population) if r.population else 0.0,
                 "uncovered_communes": int(r.uncovered_communes)}
                for r in dep.itertuples()],
        }


def check_minutes(minutes) -> float:
    """``minutes`` as a float in 5–180, else ``ValueError`` (French)."""
    try:
        m = float(minutes)
    except (TypeError, ValueError):
        raise ValueError(f"Seuil de temps invalide : {minutes!r}") from None
    if not MINUTES_RANGE[0] <= m <= MINUTES_RANGE[1]:
        raise ValueError(f"Seuil de temps hors limites ({MINUTES_RANGE[0]} à {MINUTES_RANGE[1]} min) : {minutes}")
    return m


def coverage(sites, minutes: float, settings: TravelSettings | None = None, weight: str = "population",
             network_version: str | None = None, territory: Territory | None = None) -> CoverageResult:
    """Coverage of a territory by ``sites`` within ``minutes`` (estimated travel time).

    Parameters
    ----------
    sites : DataFrame or sequence of str
        The sites as points (``site_id``, ``code_insee``, ``nom``, ``lon``, ``lat``: e.g.
        ``Territory.current_sites()``, each at its own coordinates), or ``code_insee`` of communes, placed at
        their town hall.
    minutes : float
        Threshold, 5–180 minutes, inclusive: a commune exactly at ``minutes`` is covered.
    settings : TravelSettings, optional
    weight : {"population", "pop_1564", "demandeurs_emploi"}
    network_version : str, optional
        Label of the network version, carried into the result for display.
    territory : Territory, optional
        Default: ``Territory.from_geodata()`` (the region of geodata/).

    Raises
    ------
    UnknownCommune
        Unknown commune code.
    ValueError
        Threshold or weighting out of range.
    """
    minutes = check_minutes(minutes)
    if weight not in WEIGHTS:
        raise ValueError(f"Pondération inconnue : {weight!r} (attendu : {', '.join(WEIGHTS)})")
    territory = territory or Territory.from_geodata()
    points = site_points(sites, territory)
    times, nearest = nearest_site(points, territory, settings)
    return CoverageResult(minutes, weight, territory, points, settings or DEFAULT_SETTINGS, times, nearest,
                          network_version)

