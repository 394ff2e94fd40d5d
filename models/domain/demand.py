"""Expected learners per site — the one answer to "how many learners will this site have?".

A gravity model of the Huff family with an outside option (people who study nowhere), shared between
competing sites, calibrated on the public regional total. References: Huff (1963); Esri's "market share" and
"maximize attendance" location-allocation problems; DREES's APL (floating catchments, decay with time).

Formulation
-----------
Communes :math:`i` with potential :math:`P_i` (active people aged 15–64, INSEE RP: the Cnam teaches adults in
work or looking for it, so job-seekers are included), sites :math:`j` with attractiveness :math:`A_j` (an existing
centre = 1, a new site = the concept's ``attrait_*``; Fab ID's public is not modelled), estimated travel time :math:`t_{ij}` (minutes, the one
travel function :func:`models.domain.travel.minutes_between`), half-time :math:`h` (``demi_temps``)::

    U_ij = A_j · 2^(−(t_ij / h)²)                   attraction of site j for a resident of i (Gaussian decay)
    S_i  = Σ_j U_ij                                 access of i to the whole network
    D_ij = r · P_i · U_ij / (1 + S_i)               learners from i at site j (share of j, outside option 1)
    L_j  = Σ_i D_ij                                 expected learners of site j (cruising year)

Commune :math:`i` studies at the Cnam at the rate :math:`r·S_i/(1+S_i)`: it grows with access and saturates,
so a new site :math:`k` both **finds new learners** (:math:`S_i` rises) and **draws learners from the existing
sites** (:math:`U_{ij}/(1+S_i)` falls). With :math:`S^0_i` the access before the new sites, the learners site
:math:`j` loses in commune :math:`i` are :math:`r P_i U_{ij} (1/(1+S^0_i) − 1/(1+S_i))`, attributed to each new
site :math:`k` in proportion to :math:`U_{ik}`; a new site's *net new* learners are its learners minus those drawn,
and they add up to the network's total gain exactly.

Calibration: :math:`r` is set so that the reference network (the territory's own sites, each at its own
coordinates) totals ``total_apprenants`` (≈ 6,000 a year in 2016: ≈ 5,000 learners + ≈ 1,000 alternants). No
official enrolment per site is public: the model reproduces a total, not a site-by-site count. Every figure has a
**range**: low / high are the smallest / largest values over the stated ranges of the total, the half-time and the
new site's pull (``[demande]`` of ``models/parameters.toml``).

A new site ramps up over three years: year *t* = cruising × the concept's ``montee_annee_t`` (simulator parameters).

>>> from models.domain.demand import estimate
>>> res = estimate(added=["55545"], concept="hub")      # doctest: +SKIP
>>> res.sites.loc[res.sites.nouveau, ["nom", "central", "low", "high", "drawn", "net_new"]]  # doctest: +SKIP

Command line: ``python -m models.demand [--ajouter CODES] [--concept hub] --json``.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import product

import numpy as np
import pandas as pd

from models.domain.territory import Territory, sites_key
from models.domain.travel import TravelSettings

BASE_COLUMN = "actifs_1564"
CONCEPTS = ("clef_en_main", "progressif", "hub")  # Fab ID: its public is not counted (FAB_ID_NOTE)
DEFAULT_CONCEPT = "hub"
EXISTING_PULL = 1.0
MODEL_NOTE = ("Estimation d'un modèle gravitaire (Huff) calé sur le total régional public de 2016 "
              "(≈ 5 000 auditeurs + ≈ 1 000 alternants) : aucun effectif officiel par site n'est publié.")


# ------------------------------------------------------------------------------------------ assumptions
@dataclass(frozen=True)
class Assumption:
    name: str
    label: str
    unit: str
    central: float
    low: float
    high: float
    rationale: str


@lru_cache(maxsize=2)
def assumptions(path: str | None = None) -> dict[str, Assumption]:
    """The ``[demande]`` section of the parameters file, checked (``low ≤ central ≤ high``, positive)."""
    from models.domain.simulator import PARAMETERS_FILE

    with open(path or PARAMETERS_FILE, "rb") as fh:
        raw = tomllib.load(fh)["demande"]
    out = {}
    for name, r in raw.items():
        a = Assumption(name, r["libelle"], r["unite"], float(r["defaut"]), float(r["min"]), float(r["max"]),
                       r["justification"])
        if not 0 < a.low <= a.central <= a.high or not all(map(math.isfinite, (a.low, a.high))):
            raise ValueError(f"parameters.toml [demande] : {name} hors de sa plage ({a.low} ≤ {a.central} ≤ {a.high})")
        out[name] = a
    return out


def pull_of(concept: str) -> Assumption:
    """Attractiveness of a new site of ``concept`` relative to an existing centre (``attrait_<concept>``)."""
    if concept == "fab_id":
        raise ValueError(FAB_ID_NOTE)
    if concept not in CONCEPTS:
        raise ValueError(f"Concept inconnu : « {concept} » (attendu : {', '.join(CONCEPTS)})")
    return assumptions()[f"attrait_{concept}"]


@dataclass(frozen=True)
class Scenario:
    """One point of the assumptions: calibration total, half-time (min), pull of a new site."""

    total: float
    half_time: float
    pull: float


def scenarios(concept: str) -> tuple[Scenario, list[Scenario], list[Scenario]]:
    """The central scenario and the grids giving the low and the high figures.

    Every learner count is proportional to the total, so the low figures take the low total and the high ones the
    high total; the half-time and the pull span their ranges (3 × 3 points each).
    """
    a, pull = assumptions(), pull_of(concept)
    t, h = a["total_apprenants"], a["demi_temps"]
    grid = list(product((h.low, h.central, h.high), (pull.low, pull.central, pull.high)))
    return (Scenario(t.central, h.central, pull.central), [Scenario(t.low, x, p) for x, p in grid],
            [Scenario(t.high, x, p) for x, p in grid])


# ------------------------------------------------------------------------------------------ the model
def _decay(times: np.ndarray, half_time: float) -> np.ndarray:
    """Gaussian decay 2^(−(t/h)²): 1 at the door, ½ at ``half_time``, 1/16 at twice it (Gaussian 2SFCA, Dai 2010)."""
    return np.exp2(-(np.asarray(times, float) / half_time) ** 2)


def share_model(potential, utilities, base_utilities=None):
    """Learners per commune and site for a unit rate (``r = 1``), and what the new sites draw.

    Parameters
    ----------
    potential : ndarray (n,)
        :math:`P_i` (NaN → 0).
    utilities : ndarray (n, m)
        :math:`U_{ij}` of every site of the network (existing and new).
    base_utilities : ndarray (n,), optional
        :math:`S^0_i`, the access before the new sites (default: the access of the whole network).

    Returns
    -------
    flows : ndarray (n, m)  :math:`P_i U_{ij} / (1 + S_i)`
    """
    p = np.nan_to_num(np.asarray(potential, float))
    s = utilities.sum(axis=1)
    return (p / (1.0 + s))[:, None] * utilities


def participation(potential, access) -> np.ndarray:
    """:math:`P_i S_i / (1 + S_i)` for a unit rate: learners of commune *i* at any site."""
    s = np.asarray(access, float)
    return np.nan_to_num(np.asarray(potential, float)) * s / (1.0 + s)


@dataclass
class DemandResult:
    """Expected learners of every site of a network (cruising year), with ranges and competition.

    Attributes
    ----------
    sites : DataFrame
        One row per site: ``site_id``, ``code_insee``, ``nom``, ``nouveau`` (a new site), ``central``, ``low``,
        ``high`` (learners a year), ``before`` (existing sites: their learners without the new sites), ``drawn``
        (new sites: learners taken from existing sites; existing sites: learners who would go to another site if
        it closed), ``net_new`` (learners the Cnam would not have without this site).
    drawn_from : DataFrame
        New site × existing site: learners the new site takes from that site (central), largest first.
    total_before, total_after : float
        Learners of the network without / with the new sites (central); ``*_low`` / ``*_high`` their range.
    """

    sites: pd.DataFrame
    drawn_from: pd.DataFrame
    total_before: float
    total_after: float
    total_before_low: float
    total_before_high: float
    total_after_low: float
    total_after_high: float
    concept: str
    rate: float

    @property
    def net_new(self) -> float:
        return self.total_after - self.total_before

    @property
    def net_new_low(self) -> float:
        return self.total_after_low - self.total_before_low

    @property
    def net_new_high(self) -> float:
        return self.total_after_high - self.total_before_high

    def site(self, key: str) -> dict:
        """The row of a site, found by ``site_id`` or by ``code_insee`` (first site of that commune)."""
        s = self.sites
        rows = s[s["site_id"] == key]
        if rows.empty:
            rows = s[s["code_insee"] == key]
        if rows.empty:
            raise KeyError(f"Aucun site « {key} » dans ce réseau.")
        return rows.iloc[0].to_dict()

    def drawn_by(self, site_id: str) -> pd.DataFrame:
        """Existing sites a new site draws from: ``source_id``, ``source_nom``, ``learners`` (largest first)."""
        d = self.drawn_from
        return d[d["site_id"] == site_id].reset_index(drop=True)

    def to_dict(self) -> dict:
        """Plain dict for JSON: totals, one record per site (new sites with ``par_annee``: learners of years 0 to 4
        at the concept's ramp-up), the learners each new site draws from each existing one."""
        cols = ["site_id", "code_insee", "nom", "nouveau", "central", "low", "high", "before", "drawn", "net_new"]
        sites = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                 for r in self.sites[cols].to_dict("records")]
        for s in sites:
            if s["nouveau"]:
                s["par_annee"] = ramp(s["central"], self.concept)
        return {"concept": self.concept, "note": MODEL_NOTE, "rate": self.rate,
                "total_before": self.total_before, "total_after": self.total_after, "net_new": self.net_new,
                "net_new_range": [self.net_new_low, self.net_new_high], "sites": sites,
                "drawn_from": self.drawn_from.to_dict("records")}


class DemandModel:
    """The model on a territory: potentials, reference network and calibrated rates (cached per scenario).

    Parameters
    ----------
    territory : Territory
        Communes with ``lon``, ``lat`` and :data:`BASE_COLUMN`; its ``sites`` are the reference network the
        rate is calibrated on.
    settings : TravelSettings, optional
        Travel model (default: calibrated).
    """

    def __init__(self, territory: Territory, settings: TravelSettings | None = None):
        self.territory = territory
        self.settings = settings or TravelSettings()
        self._rates: dict[tuple, float] = {}
        self._times: dict[tuple, np.ndarray] = {}
        self._decays: dict[tuple, tuple] = {}

    @cached_property
    def potential(self) -> np.ndarray:
        return np.nan_to_num(self.territory.column(BASE_COLUMN))

    def times_to(self, points: pd.DataFrame) -> np.ndarray:
        """Minutes from every commune to each point (``lon``, ``lat``), memoised per point set."""
        key = tuple(zip(points["lon"].round(6), points["lat"].round(6)))
        if key not in self._times:
            if len(self._times) > 64:
                self._times.clear()
            self._times[key] = self.territory.minutes_to_points(points, self.settings, "site_id") \
                if len(points) else np.zeros((len(self.territory), 0))
        return self._times[key]

    @cached_property
    def reference_times(self) -> np.ndarray:
        return self.times_to(self.territory.sites)

    def rate(self, total: float, half_time: float) -> float:
        """:math:`r` such that the reference network totals ``total`` learners with ``half_time``."""
        key = (total, half_time)
        if key not in self._rates:
            s = (EXISTING_PULL * self.decay(self.reference_times, half_time)).sum(axis=1)
            self._rates[key] = total / participation(self.potential, s).sum()
        return self._rates[key]

    def decay(self, times: np.ndarray, half_time: float) -> np.ndarray:
        """:func:`_decay` of a memoised time matrix (by identity), memoised per half-time."""
        key = (id(times), half_time)
        if key not in self._decays or self._decays[key][0] is not times:
            if len(self._decays) > 256:
                self._decays.clear()
            self._decays[key] = (times, _decay(times, half_time))
        return self._decays[key][1]

    def utilities(self, times: np.ndarray, new: np.ndarray, sc: Scenario) -> np.ndarray:
        pull = np.where(new, sc.pull, EXISTING_PULL)
        return pull[None, :] * self.decay(times, sc.half_time)

    def flows(self, times: np.ndarray, new: np.ndarray, sc: Scenario) -> tuple[np.ndarray, np.ndarray, float]:
        """Learners per commune × site with and without the new sites (``new`` mask), and the rate."""
        u = self.utilities(times, new, sc)
        r = self.rate(sc.total, sc.half_time)
        after = r * share_model(self.potential, u)
        before = r * share_model(self.potential, np.where(new[None, :], 0.0, u))
        return after, before, r


def _drawn(after: np.ndarray, before: np.ndarray, util: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Learners each new site takes from each existing site: (m, m), ``[k, j]`` = new k from existing j."""
    loss = np.where(new[None, :], 0.0, before - after)           # (n, m): learners existing j loses in i
    u_new = np.where(new[None, :], util, 0.0)
    delta = u_new.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(delta > 0, u_new / delta, 0.0)            # (n, m): part of i's loss due to new k
    return share.T @ loss


def _marginal_net(after: np.ndarray, util: np.ndarray, potential: np.ndarray, rate: float) -> np.ndarray:
    """Learners the network would lose with each site closed (its net contribution), one per site."""
    s = util.sum(axis=1, keepdims=True)
    without = s - util
    p = rate * potential[:, None]
    return (p * (s / (1 + s) - without / (1 + without))).sum(axis=0)


def _range(model: DemandModel, times, new, grid: list[Scenario]) -> tuple[np.ndarray, np.ndarray]:
    """Per-site learners and the totals before / after the new sites for each scenario of ``grid``."""
    per_site, totals_before, totals_after = [], [], []
    p = model.potential
    for sc in grid:
        u = model.utilities(times, new, sc)
        r = model.rate(sc.total, sc.half_time)
        s_after = u.sum(axis=1)
        s_before = s_after - u[:, new].sum(axis=1)
        per_site.append(r * ((p / (1 + s_after)) @ u))
        totals_after.append(r * float(p @ (s_after / (1 + s_after))))
        totals_before.append(r * float(p @ (s_before / (1 + s_before))))
    return np.array(per_site), np.array([totals_before, totals_after])


def model_for(territory: Territory | None = None, settings: TravelSettings | None = None) -> DemandModel:
    """The model of ``territory`` (default: the region of geodata/), built once per territory and travel model."""
    territory = territory or Territory.from_geodata()
    key = ("demand.model", settings)
    if key not in territory.memo:
        territory.memo[key] = DemandModel(territory, settings)
    return territory.memo[key]


def _site_frame(sites: pd.DataFrame | None, added, territory: Territory) -> pd.DataFrame:
    if sites is None:
        sites = territory.current_sites()
    cols = ["site_id", "code_insee", "nom", "lon", "lat"]
    s = sites[cols].copy()
    s["code_insee"] = s["code_insee"].astype(str)
    s["site_id"] = s["site_id"].astype(str)
    if "nouveau" in sites:  # the caller says which sites are new (e.g. the planner's existing network)
        s["nouveau"] = sites["nouveau"].astype(bool).to_numpy()
    else:
        s["nouveau"] = ~s["site_id"].isin(set(territory.sites["site_id"].astype(str)))
    added = [str(c).strip() for c in added if str(c).strip()]
    if added:
        pts = territory.points_at_communes(list(dict.fromkeys(added)))  # unknown code → UnknownCommune
        pts["site_id"] = "nouveau-" + pts["code_insee"]
        pts["nom"] = pts["nom"].map(lambda n: f"Nouveau site — {n}")
        pts["nouveau"] = True
        s = pd.concat([s, pts[cols + ["nouveau"]]], ignore_index=True)
    return s.drop_duplicates("site_id").reset_index(drop=True)


def estimate(sites: pd.DataFrame | None = None, added=(), concept: str = DEFAULT_CONCEPT,
             territory: Territory | None = None, settings: TravelSettings | None = None) -> DemandResult:
    """Expected learners of every site of a network, new sites competing with the existing ones.

    Parameters
    ----------
    sites : DataFrame, optional
        The network (``site_id``, ``code_insee``, ``nom``, ``lon``, ``lat``), default the current network
        (:meth:`Territory.current_sites`). Sites that are not in the territory's reference are new, unless
        a boolean column ``nouveau`` says which are.
    added : sequence of str
        Communes where a new site is added (placed at the town hall).
    concept : str
        Concept of the new sites (their pull, see ``[demande]``).
    territory, settings
        Default: the region of geodata/ and the calibrated travel model.

    Raises
    ------
    UnknownCommune
        An added code that is not a commune of the territory (French message).
    ValueError
        Unknown concept.
    """
    territory = territory or Territory.from_geodata()
    pull_of(concept)
    model = model_for(territory, settings)
    net = _site_frame(sites, added, territory)
    new = net["nouveau"].to_numpy(bool)
    times = model.times_to(net)
    central, low_grid, high_grid = scenarios(concept)
    after, before, rate = model.flows(times, new, central)
    util = model.utilities(times, new, central)
    # every learner count is proportional to the total: one pass over (half-time, pull), scaled to low and high
    unit, unit_tot = _range(model, times, new, [replace(sc, total=1.0) for sc in low_grid])
    lo_t, hi_t = low_grid[0].total, high_grid[0].total
    lows, low_tot, highs, high_tot = unit * lo_t, unit_tot * lo_t, unit * hi_t, unit_tot * hi_t
    drawn = _drawn(after, before, util, new)
    learners = after.sum(axis=0)
    marginal = _marginal_net(after, util, model.potential, rate)
    out = net[["site_id", "code_insee", "nom", "nouveau"]].copy()
    out["central"] = learners
    out["low"] = lows.min(axis=0)
    out["high"] = highs.max(axis=0)
    out["before"] = np.where(new, 0.0, before.sum(axis=0))
    out["drawn"] = np.where(new, drawn.sum(axis=1), learners - marginal)
    out["net_new"] = np.where(new, learners - drawn.sum(axis=1), marginal)
    ids, names, codes = (net[c].to_numpy() for c in ("site_id", "nom", "code_insee"))
    k, j = np.nonzero((drawn >= 0.5) & new[:, None] & ~new[None, :])
    drawn_from = pd.DataFrame({"site_id": ids[k], "source_id": ids[j], "source_nom": names[j],
                               "source_code": codes[j], "learners": drawn[k, j]})
    drawn_from = drawn_from.sort_values(["site_id", "learners"], ascending=[True, False]).reset_index(drop=True)
    return DemandResult(out, drawn_from, float(before.sum()), float(after.sum()),
                        float(low_tot[0].min()), float(high_tot[0].max()),
                        float(low_tot[1].min()), float(high_tot[1].max()), concept, rate)


def _standalone(model: DemandModel, ex_decay: np.ndarray, cand_decay: np.ndarray, sc: Scenario,
                with_loss: bool = False) -> dict:
    """Each candidate alone added to the existing sites: its learners, the network's gain, the loss per site.

    ``ex_decay`` (n, e) and ``cand_decay`` (n, m) are the decays at ``sc.half_time``.
    """
    p = model.rate(sc.total, sc.half_time) * model.potential
    u0 = EXISTING_PULL * ex_decay
    s0 = u0.sum(axis=1)
    uk = sc.pull * cand_decay
    inv_after = 1.0 / (1.0 + s0[:, None] + uk)
    learners = p @ (uk * inv_after)
    gain = p @ (1.0 / (1 + s0))[:, None] - p @ inv_after          # g(s0 + u) − g(s0), g(s) = s / (1 + s)
    out = {"central": learners, "net_new": gain}
    if with_loss:
        out["loss"] = ((p / (1 + s0))[:, None] - p[:, None] * inv_after).T @ u0      # (m, e)
    return out


def candidates(codes, concept: str = DEFAULT_CONCEPT, sites: pd.DataFrame | None = None,
               territory: Territory | None = None, as_new: bool = False) -> pd.DataFrame:
    """Each candidate town alone as a new site of ``concept`` beside the network ``sites`` (vectorised).

    The same figures as :func:`estimate` with that one town added: ``code_insee``, ``central``, ``low``, ``high``,
    ``drawn``, ``net_new``, ``source_code`` / ``source_learners`` (the existing commune it takes most from).
    A town hosting a site of the network gets that site's own figures (``existant=True``), unless ``as_new``:
    then every town is a new site, even beside an existing one (the ranking compares towns that way).
    """
    territory = territory or Territory.from_geodata()
    pull_of(concept)
    codes = [str(c) for c in codes]
    territory.positions(codes)  # unknown → UnknownCommune
    if sites is None:
        sites = territory.current_sites()
    net = sites_key(sites)
    rows = territory.memo.setdefault(("demand.candidates", concept, net, as_new), {})  # one row per town, reused
    todo = [c for c in dict.fromkeys(codes) if c not in rows]
    if todo:
        rows.update(zip(todo, _candidates(todo, concept, sites, territory, as_new).to_dict("records")))
    return pd.DataFrame([rows[c] for c in codes])


def _network_estimate(sites: pd.DataFrame, concept: str, territory: Territory) -> DemandResult:
    """:func:`estimate` of the network alone (memoised per network and concept)."""
    key = ("demand.network", concept, sites_key(sites))
    if key not in territory.memo:
        territory.memo[key] = estimate(sites, (), concept, territory)
    return territory.memo[key]


def _own_figures(sites: pd.DataFrame, concept: str, territory: Territory) -> dict:
    """``{commune: {central, low, high, drawn, net_new}}`` of the network's sites summed per host commune
    (memoised per network and concept)."""
    key = ("demand.own", concept, sites_key(sites))
    if key not in territory.memo:
        per_site = _network_estimate(sites, concept, territory).sites
        territory.memo[key] = per_site.groupby("code_insee")[["central", "low", "high", "drawn", "net_new"]] \
            .sum().to_dict("index")
    return territory.memo[key]


def _existing(sites: pd.DataFrame, territory: Territory) -> dict:
    """The network as the candidate computation reads it (memoised per network): its times and its communes."""
    key = ("demand.existing", sites_key(sites))
    if key not in territory.memo:
        existing = _site_frame(sites, (), territory)
        communes, group = np.unique(existing["code_insee"].to_numpy(str), return_inverse=True)
        territory.memo[key] = {"times": model_for(territory).times_to(existing), "communes": communes,
                               "group": group}
    return territory.memo[key]


def _candidates(codes: list, concept: str, sites: pd.DataFrame, territory: Territory,
                as_new: bool = False) -> pd.DataFrame:
    model = model_for(territory)
    ex = _existing(sites, territory)
    pos = territory.positions(codes)
    pts = pd.DataFrame({"site_id": codes, "lon": territory.column("lon")[pos], "lat": territory.column("lat")[pos]})
    cand_times = model.times_to(pts)
    central, low_grid, high_grid = scenarios(concept)
    decays = {h: (model.decay(ex["times"], h), _decay(cand_times, h))
              for h in {sc.half_time for sc in low_grid + [central]}}
    c = _standalone(model, *decays[central.half_time], central, with_loss=True)
    # learners are proportional to the total: one pass over (half-time, pull) at total 1, scaled to low and high
    unit = np.array([_standalone(model, *decays[sc.half_time], replace(sc, total=1.0))["central"] for sc in low_grid])
    lows, highs = unit.min(axis=0) * low_grid[0].total, unit.max(axis=0) * high_grid[0].total
    names = ex["communes"]
    loss = np.zeros((len(names), len(codes)))
    np.add.at(loss, ex["group"], c["loss"].T)                            # (existing communes, candidates)
    top = loss.argmax(axis=0) if len(loss) else np.zeros(len(codes), int)
    cols = {"central": c["central"], "low": lows, "high": highs, "drawn": c["central"] - c["net_new"],
            "net_new": c["net_new"]}
    hosted = set(names)
    existant = np.array([code in hosted and not as_new for code in codes])
    source = np.where(existant, None, names[top] if len(loss) else None)
    source_learners = np.where(existant, 0.0, loss[top, np.arange(len(codes))] if len(loss) else 0.0)
    if existant.any():  # a town with a site: that site's own figures, not a second site's
        own = _own_figures(sites, concept, territory)
        idx = [i for i, e in enumerate(existant) if e]
        for k in cols:
            cols[k] = cols[k].copy()
            cols[k][idx] = [own[codes[i]][k] for i in idx]
    drawn_from = [dict(zip(names, loss[:, i])) if not existant[i] else {} for i in range(len(codes))]
    return pd.DataFrame({"code_insee": codes, "existant": existant, **cols, "source_code": source,
                         "source_learners": source_learners, "drawn_from": drawn_from})


FAB_ID_NOTE = ("Fab ID accueille des personnes éloignées de l'emploi, que les chiffres publics du Cnam ne comptent pas : "
               "aucune donnée ne permet d'estimer ce public ; la cible du programme (85 personnes par an) reste "
               "une hypothèse.")


def town_estimate(code_insee: str, concept: str = DEFAULT_CONCEPT, sites: pd.DataFrame | None = None,
                  territory: Territory | None = None) -> dict | None:
    """Expected learners of a site of ``concept`` in a town, competing with the network ``sites``.

    A town that already hosts sites of the network: their learners (``existant=True``); otherwise a new site at
    the town hall. ``None`` for Fab ID (:data:`FAB_ID_NOTE`). Returns ``code_insee, nom, existant, central, low,
    high, drawn, net_new, drawn_from`` (list of ``{"nom", "code_insee", "learners"}``, largest first), ``ramp``.
    """
    from models.domain.territory import check_code

    if concept == "fab_id":
        return None
    pull_of(concept)
    territory = territory or Territory.from_geodata()
    code = check_code(code_insee)
    territory.row(code)
    if sites is None:
        sites = territory.current_sites()
    key = ("demand.town", code, concept, sites_key(sites))
    if key not in territory.memo:
        territory.memo[key] = _town_estimate(code, concept, sites, territory)
    return territory.memo[key]


def _town_estimate(code: str, concept: str, sites: pd.DataFrame, territory: Territory) -> dict:
    row = candidates([code], concept, sites, territory).iloc[0]
    total = {k: float(row[k]) for k in ("central", "low", "high", "drawn", "net_new")}
    drawn_from = sorted(({"nom": territory.names.get(c, c), "code_insee": c, "learners": float(v)}
                         for c, v in row["drawn_from"].items() if v >= 0.5), key=lambda d: -d["learners"])
    return {"code_insee": code, "nom": territory.names[code], "concept": concept, "existant": bool(row["existant"]),
            **total, "drawn_from": drawn_from, "ramp": ramp(total["central"], concept)}


BREAK_EVEN_TOLERANCE = 1e-6  # learners are floats from the model: 62.9999999 reaches a break-even of 63


def reaches_break_even(learners, break_even: float):
    """The one viability test: expected learners ≥ the concept's break-even (float tolerance
    :data:`BREAK_EVEN_TOLERANCE`). ``learners``: a number, an array or a Series (answer of the same shape)."""
    return learners >= break_even - BREAK_EVEN_TOLERANCE


def viability(expected: dict | None, break_even: float | None) -> dict:
    """Does a site pay its way from year 4? The one rule: expected learners ≥ the concept's break-even.

    Returns ``{"level", "text", "needed"}``: level ``"centrale"`` (at the central estimate), ``"haute"`` (only at
    the high estimate), ``"jamais"`` (not even at the high one, or no break-even), ``"inconnu"`` (no estimate).
    """
    from models.text import fr_format as F

    if expected is None:
        return {"level": "inconnu", "text": "demande non estimée", "needed": break_even}
    if break_even is None:
        return {"level": "jamais", "text": "n'atteint jamais son point mort, quel que soit le nombre d'auditeurs",
                "needed": None}
    need = math.ceil(break_even - 1e-9)
    if reaches_break_even(expected["central"], break_even):
        return {"level": "centrale", "needed": need,
                "text": "s'autofinance dès l'année 4 à l'estimation centrale"}
    if reaches_break_even(expected["high"], break_even):
        return {"level": "haute", "needed": need,
                "text": "s'autofinance dès l'année 4 seulement à l'estimation haute"}
    return {"level": "jamais", "needed": need,
            "text": f"ne s'autofinance pas, même à l'estimation haute — il faudrait {F.num(need)} auditeurs"}


def ramp(cruising: float, concept: str) -> list[float]:
    """Learners of years 0 to 4 of a new site: 0, then cruising × the concept's ``montee_annee_1..3`` %, then cruising."""
    from models.domain.simulator import default_parameters

    v = default_parameters(concept).values
    return [0.0] + [cruising * v[f"montee_annee_{t}"] / 100 for t in (1, 2, 3)] + [float(cruising)]


LORRAINE = ("54", "55", "57", "88")
LORRAINE_2012_13, REGION_LEARNERS_2016 = 2800.0, 5000.0


def spatial_check(territory: Territory | None = None) -> dict:
    """Share of the reference network's learners in the former Lorraine (54, 55, 57, 88) vs the public figures.

    Public: ≈ 2,800 auditeurs at the Cnam Lorraine in 2012–13, ≈ 5,000 auditeurs (alternants apart) in Grand Est in
    2016, so ≈ 56 %. A check of the spatial spread (it picks the half-time), not a fit: four years apart, rounded.
    """
    territory = territory or Territory.from_geodata()
    res = estimate(territory.sites, (), DEFAULT_CONCEPT, territory)
    dep = res.sites["code_insee"].str[:2]
    lorraine = float(res.sites.loc[dep.isin(LORRAINE), "central"].sum())
    return {"part_lorraine_modele_pct": 100 * lorraine / res.total_after,
            "part_lorraine_publique_pct": 100 * LORRAINE_2012_13 / REGION_LEARNERS_2016,
            "lorraine_modele": lorraine, "total_modele": res.total_after}


def clear_caches(territory: Territory | None = None) -> None:
    """Forget the parameters and the models (all of ``territory``'s, default: the region of geodata/)."""
    assumptions.cache_clear()
    memo = (territory or Territory.from_geodata()).memo
    for key in [k for k in memo if isinstance(k, tuple) and k and str(k[0]).startswith("demand.")]:
        del memo[key]
