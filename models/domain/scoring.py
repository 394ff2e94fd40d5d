"""Multi-criteria ranking of candidate towns (page /classement, CLI ``python -m models.scoring``).

Candidates: the 25 Action Cœur de Ville towns of the region, plus any commune the user adds.

Method (shown on the page, tested in ``tests/unit/test_scoring.py``)
--------------------------------------------------------------------
1. **Criteria table**, computed once per candidate set (:func:`criteria_table`): one raw value per town and
   criterion (see :data:`CRITERIA`). Unknown values stay NaN.
2. **Normalisation**, two scales (each criterion says which, :attr:`Criterion.scale`):

   * ``"minmax"`` for measures (population, rates, minutes…): over the candidate set, direction applied. For a
     criterion where more is better ``n = (x − min) / (max − min)``; where less is better
     ``n = (max − x) / (max − min)``. So the best candidate gets 1 and the worst 0 on each criterion. A criterion
     with the same value for every candidate that has it does not separate them: ``n = 0.5`` (neutral) for all.
   * ``"saturation"`` for counts (lycées, services…) and distances (station, mission locale): a fixed scale,
     independent of the other candidates, ``n = x / (x + h)`` where more is better and ``n = h / (h + x)`` where
     less is better, ``h`` being the criterion's half-saturation (:attr:`Criterion.half`: the count or distance
     worth one half). One more service adds ``h / ((x + h)(x + 1 + h)) ≤ 1 / (1 + h)`` of a criterion: with
     ``h ≥ 1`` a single missing service never costs more than half a criterion, however the other candidates
     stand (min–max turned a yes/no into the full swing: 100/14 ≈ 7 points with the default weights).
3. **Score** (0–100) = ``100 × Σ w·n / Σ w``: weighted mean of the normalised values.
4. **Missing values** (rule ``"renormalise"``, the default): a town whose value is unknown for a criterion is
   scored on the criteria it has — the weights are re-normalised over its available criteria
   (``Σ w`` over those only). Its contribution for the missing criterion is NaN (not 0), the criterion is
   listed in ``manquants`` and ``couverture`` gives the share of the total weight actually used. A town
   with no weighted criterion known gets no score (NaN) and ranks last.
   Alternative rule ``"zero"``: the missing criterion counts as the worst value (n = 0, contribution 0)
   and the town is flagged the same way.
5. **Contributions**: ``100 × w·n / Σ w`` per criterion; they sum to the score (missing ones excluded).
6. **Ranks**: 1 = best score; equal scores share the rank; no score → last.

The criteria table is the slow part (catchments, distances); re-weighting is vector math on a small
matrix (:class:`CriteriaTable`), so a slider move re-ranks in well under a millisecond.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from models.text import fr_format as F
from models.text.display_names import plain
from models.domain import town_facts as TF
from models.domain.concept_fit import LYCEES_VIVIER_MIN
from models.domain.territory import Territory, sites_key
from models.domain.town_facts import BY_KEY as FACTS, network_sites, town_facts

GARE_DEMI_KM = 5.0  # station distance worth half the rail criterion (≈ a short bus or bike ride to the station)
WEIGHT_MAX = 5.0
MISSING_RULES = {
    "renormalise": "poids re-normalisés sur les critères connus de la ville (la ville est signalée)",
    "zero": "critère inconnu compté comme la plus mauvaise valeur (0) (la ville est signalée)",
}
DIRECTIONS = {1: "plus = mieux", -1: "moins = mieux"}


@dataclass(frozen=True)
class Criterion:
    """One criterion of the ranking.

    Attributes
    ----------
    key : str
        Column of the criteria table and name on the command line.
    short : str
        Code in the page URL (``/classement?w=pop:1,...``).
    label, unit : str
        French label and unit for the UI.
    direction : int
        Default direction: +1 more is better, −1 less is better.
    weight : float
        Default weight (0–5).
    definition : str
        How the value is obtained and what is weak about it (shown on the page).
    source, date : str
        Producer of the data and its date or vintage (shown on /classement and /sources).
    scale : {"minmax", "saturation"}
        Normalisation (module docstring): min–max over the candidates, or the fixed saturating scale.
    half : float
        Half-saturation ``h`` of a ``"saturation"`` criterion, in its unit (the mission locale's is read from
        :data:`models.domain.town_facts.ML_PROCHE_KM` when the table is built: see :func:`half_saturation`).
    """

    key: str
    short: str
    label: str
    unit: str
    direction: int
    weight: float
    definition: str
    source: str = ""
    date: str = ""
    scale: str = "minmax"
    half: float = 0.0

    def source_text(self) -> str:
        """« Source : producer (date) » for the UI."""
        return f"Source : {self.source} ({plain(self.date)})." if self.date else f"Source : {self.source}."

    def explanation(self) -> str:
        """Definition, scale, source and date in one French paragraph (tooltips, /classement, /sources)."""
        return f"{self.definition} Échelle : {self.scale_text()}. {self.source_text()}"

    def scale_text(self) -> str:
        """The scale in plain French (criteria explanations of /classement and /sources)."""
        if self.scale == "minmax":
            return "min–max sur les villes candidates (la meilleure 1, la moins bonne 0)"
        h = half_saturation(self)
        hs = F.num_short(h, 1)
        if self.direction > 0:
            steps = " ; ".join(f"{k} → {F.num(k / (k + h), 2)}" for k in range(4))
            return (f"échelle saturante fixe n = x / (x + {hs}) ({steps}) : une unité de moins coûte au plus "
                    f"{F.pct(100 / (1 + h), 0)} du critère")
        steps = " ; ".join(f"{F.num_short(d, 1)}{F.NBSP}km → {F.num(h / (h + d), 2)}" for d in (0, h, 2 * h))
        return f"échelle saturante fixe n = {hs} / ({hs} + distance) ({steps})"


def half_saturation(c: Criterion) -> float:
    """``h`` of a saturating criterion; the mission locale's is the one "nearby" radius of the town facts."""
    return TF.ML_PROCHE_KM if c.key == "mission_locale_km" else c.half


# runs only while CRITERIA is built, at import, before mutmut can switch a mutant on: not mutated, guarded by
# tests/unit/test_scoring.py::test_a_criterion_that_is_a_town_fact_reads_that_facts_words
def _from_fact(key: str, short: str, fact: str, weight: float = 1.0, direction: int = 1, note: str = "",  # pragma: no mutate block
               date: str = "", scale: str = "minmax", half: float = 0.0) -> Criterion:
    """A criterion that is a town fact as it is (label, unit, definition, source from :data:`models.domain.town_facts.FACTS`)."""
    f = FACTS[fact]
    return Criterion(key, short, f.label, f.unit, direction, weight, f"{f.definition}{note}", f.source, date,
                     scale, half)


LEARNERS_CONCEPT = "hub"  # the ranking compares towns for the same kind of site: the regional hub model

CRITERIA: tuple[Criterion, ...] = (
    _from_fact("population", "pop", "population", date="2021 (en vigueur au 1er janvier 2024)"),
    Criterion("apprenants_nets", "app", "Apprenants nets attendus (nouveau hub)", "apprenants/an", 1, 1.0,
              "Apprenants par an que le Cnam gagnerait avec un nouveau site « Hub de compétences » dans la ville, "
              "une fois déduits ceux qu'il prendrait aux sites existants (modèle de demande calé sur le total "
              "régional 2016, estimation centrale ; la fourchette est sur la fiche de la ville). Remplace la "
              "population à 30 min, qu'il contient : la demande proche, moins ce que les sites existants captent "
              "déjà.", "Modèle de demande de l'atlas (INSEE RP 2021, total régional du Cnam)",
              "actifs RP 2021 ; calage sur 2016"),
    _from_fact("minutes_site_cnam", "cnam", "cnam_min", date="MESR état 2017 + modifications enregistrées",
               note=" Plus c'est loin, plus un nouveau site comble un manque."),
    _from_fact("lycees_pro_ville", "lyc", "n_lycees_pro_commune", date="annuaire 2026-10-08",
               scale="saturation", half=1.0),
    _from_fact("lycees_pro_20km", "l20", "lycees_pro_20km", date="annuaire 2026-10-08", scale="saturation",
               half=float(LYCEES_VIVIER_MIN),
               note=f" {LYCEES_VIVIER_MIN} lycées (le vivier d'alternants du concept Clef en main) valent la moitié "
                    "du critère."),
    Criterion("mission_locale_km", "mlk", "Mission locale : distance (0 = dans la ville)", "km", -1, 1.0,
              "0 si la mission locale est dans la ville : son siège y est, ou elle porte le nom de la ville (« ML "
              "Saint-Louis Altkirch » dessert Saint-Louis) ; sinon distance à vol d'oiseau au siège le plus proche. "
              f"« Proche » = {F.num_short(TF.ML_PROCHE_KM, 1)}{F.NBSP}km au plus, la même définition que "
              "l'adéquation Fab ID : le critère "
              "vaut au moins la moitié exactement quand la mission locale est proche. Missions locales connues par "
              "leur siège seulement (antennes absentes de la source).",
              "i-milo, référentiel des structures (sièges)", "2023-09-18", "saturation"),
    Criterion("services_emploi", "fs", "France Services / France Travail dans la ville", "réseaux", 1, 1.0,
              "Nombre de réseaux présents dans la commune : France Services et agence France Travail — 0, 1 ou 2. "
              "Le second réseau ajoute un sixième du critère : une ville sans France Services mais avec son agence "
              "France Travail garde la moitié du critère.",
              "ANCT (France Services) ; Pôle emploi (agences)", "2024-08-01 ; 2019-11-13", "saturation", 1.0),
    _from_fact("gare_km", "gare", "gare_km", direction=-1, date="flux TER du 2024-12-20", scale="saturation",
               half=GARE_DEMI_KM,
               note=" La gare peut être dans une commune voisine (Saint-Avold : gare de Saint-Avold à Valmont, "
                    "2,4\u00a0km). Arrêts de car TER non comptés."),
    _from_fact("enseignement_superieur", "sup", "n_sup_commune", date="état 2017", scale="saturation", half=1.0),
    Criterion("chomage_ze", "chz", "Taux de chômage de la zone d'emploi", "%", 1, 1.0,
              "Taux de chômage localisé (CVS) de la zone d'emploi de la commune, dernier trimestre "
              "— pas celui de la commune.", "INSEE, taux de chômage localisés", "2023-T3"),
    Criterion("demandeurs_emploi", "de", "Demandeurs d'emploi", "pers.", 1, 1.0,
              "Demandeurs d'emploi en fin de mois. Publiés seulement pour 180 communes (≥ 5 000 hab. environ) : "
              "inconnus ailleurs.", "France Travail / DARES", "2024-12"),
    Criterion("recrutements_difficiles", "bmo", "Recrutements difficiles du bassin BMO", "%", 1, 1.0,
              "Part des projets de recrutement jugés difficiles dans le bassin BMO de la commune : somme des "
              "projets difficiles / somme des projets, sur les seuls métiers dont les deux nombres sont publiés "
              "(cellules sous secret statistique exclues).", "France Travail, enquête BMO", "2024"),
    Criterion("taux_pauvrete", "pvr", "Taux de pauvreté", "%", 1, 1.0,
              "Taux de pauvreté au seuil de 60 %. Secret pour la plupart des petites communes : inconnu.",
              "INSEE, Filosofi", "2021"),
    Criterion("densite", "den", "Classe de densité (1 = grand centre urbain, 7 = rural très dispersé)", "", -1, 1.0,
              "Grille communale de densité à 7 niveaux. Par défaut, plus la commune est dense, mieux c'est (moins = "
              "mieux).", "INSEE, grille communale de densité", "2024"),
)
BY_KEY = {c.key: c for c in CRITERIA}
BY_SHORT = {c.short: c for c in CRITERIA}
KEYS = [c.key for c in CRITERIA]
DEFAULT_WEIGHTS = {c.key: c.weight for c in CRITERIA}
DEFAULT_DIRECTIONS = {c.key: c.direction for c in CRITERIA}
LABELS = [c.label for c in CRITERIA]


class ScoringError(ValueError):
    """Bad input to the ranking (French message for the user)."""


# ---------------------------------------------------------------- criteria table (computed once per set)

def acv_codes(territory: Territory | None = None) -> list[str]:
    """The Action Cœur de Ville towns of the territory (default candidates: 25 in Grand Est)."""
    t = territory or Territory.from_geodata()
    return list(t.communes.loc[t.communes["is_acv"].astype(bool), "code_insee"])


def ranking_candidates(add=(), territory: Territory | None = None) -> list[str]:
    """ACV towns + ``add`` (deduplicated, order kept); unknown code → :class:`ScoringError`."""
    t = territory or Territory.from_geodata()
    codes = acv_codes(t)
    for code in add:
        code = str(code).strip()
        if code not in t:
            raise ScoringError(f"Code commune inconnu en {t.name} : « {code[:20]} ».")
        if code not in codes:
            codes.append(code)
    return codes


def criteria_table(codes, territory: Territory | None = None) -> pd.DataFrame:
    """Raw criteria of the towns ``codes``, one row per town (index ``code_insee``, input order).

    Every value is read from :func:`models.domain.town_facts.town_facts` (one definition per fact), so the ranking
    says about a town what its profile and the simulator say. Columns: ``nom``, ``departement``, ``lon``,
    ``lat``, ``is_acv``, one column per :data:`CRITERIA` key (NaN where unknown) and details for the table:
    ``mission_locale_nom``/``_commune``/``_nommee``/``_proche`` (the mission locale serving the town and the shared
    "nearby" fact), ``gare_nom``/``gare_commune``, ``nb_france_services``, ``nb_france_travail``,
    ``site_cnam_proche``.
    """
    t = territory or Territory.from_geodata()
    codes = [str(c) for c in codes]
    if not codes:
        raise ScoringError("Aucune ville candidate.")
    missing = [c for c in codes if c not in t]
    if missing:
        raise ScoringError(f"Code commune inconnu en {t.name} : « {missing[0][:20]} ».")
    f = town_facts(codes, territory=t)
    out = pd.DataFrame(index=pd.Index(codes, name="code_insee"))
    for col in ("nom", "departement", "lon", "lat", "is_acv"):
        out[col] = f[col].to_numpy()
    out["population"] = f["population"].to_numpy(float)
    out["population_30min"] = f["pop_30min"].to_numpy(float)
    out["apprenants_nets"] = _net_new_learners(codes, t)
    out["minutes_site_cnam"] = np.round(f["cnam_min"].to_numpy(float), 1)
    out["site_cnam_proche"] = f["cnam_commune"].to_numpy()
    out["lycees_pro_ville"] = f["n_lycees_pro_commune"].to_numpy(float)
    out["lycees_pro_20km"] = f["lycees_pro_20km"].to_numpy(float)
    out["mission_locale_km"] = f["ml_servie_km"].to_numpy(float)
    out["mission_locale_nom"] = f["ml_servie_nom"].to_numpy()
    out["mission_locale_commune"] = f["ml_servie_commune"].to_numpy()
    out["mission_locale_nommee"] = f["ml_nommee"].to_numpy(bool)
    out["mission_locale_proche"] = f["ml_proche"].to_numpy(bool)
    out["nb_france_services"] = f["n_fs_commune"].to_numpy(float)
    out["nb_france_travail"] = f["n_ft_commune"].to_numpy(float)
    out["services_emploi"] = (out["nb_france_services"] > 0).astype(float) + (out["nb_france_travail"] > 0)
    out["gare_km"] = np.round(f["gare_km"].to_numpy(float), 2)
    out["gare_nom"] = f["gare_nom"].to_numpy()
    out["gare_commune"] = f["gare_commune"].to_numpy()
    out["enseignement_superieur"] = f["n_sup_commune"].to_numpy(float)
    out["chomage_ze"] = f["chomage_ze"].to_numpy(float)
    out["demandeurs_emploi"] = f["demandeurs_emploi"].to_numpy(float)
    out["recrutements_difficiles"] = pd.to_numeric(f["bmo_part_difficiles"], errors="coerce").to_numpy(float)
    out["taux_pauvrete"] = f["taux_pauvrete"].to_numpy(float)
    out["densite"] = pd.to_numeric(f["densite"], errors="coerce").to_numpy(float)
    return out


def _net_new_learners(codes: list[str], territory: Territory) -> np.ndarray:
    """Net new learners of a new hub in each town beside the current network (demand model, central)."""
    from models.domain import demand

    table = demand.candidates(codes, LEARNERS_CONCEPT, network_sites(territory), territory, as_new=True)
    return table["net_new"].to_numpy(float)


# ---------------------------------------------------------------- weights and directions

def check_weights(weights: dict | None = None, directions: dict | None = None) -> tuple[dict, dict]:
    """Complete ``weights``/``directions`` with the defaults and validate them.

    Keys may be criterion keys or URL short codes; directions accept ``1``/``-1``, ``"plus"``/``"moins"``.

    Raises
    ------
    ScoringError
        Unknown criterion, weight not a number or outside 0–WEIGHT_MAX (5), unknown direction, all weights 0.
    """
    w, d = dict(DEFAULT_WEIGHTS), dict(DEFAULT_DIRECTIONS)
    for name, value in (weights or {}).items():
        crit = _criterion(name)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ScoringError(f"Poids non numérique pour « {crit.label} » : « {str(value)[:20]} ».") from None
        if not (math.isfinite(value) and 0.0 <= value <= WEIGHT_MAX):
            raise ScoringError(f"Poids hors limites pour « {crit.label} » : {value:g} (attendu de 0 à {WEIGHT_MAX:g}).")
        w[crit.key] = value
    for name, value in (directions or {}).items():
        d[_criterion(name).key] = parse_direction(value)
    if sum(w.values()) <= 0:
        raise ScoringError("Au moins un critère doit avoir un poids supérieur à 0.")
    return w, d


def _criterion(name) -> Criterion:
    name = str(name).strip()
    crit = BY_KEY.get(name) or BY_SHORT.get(name)
    if crit is None:
        raise ScoringError(f"Critère inconnu : « {name[:30]} » (critères : {', '.join(KEYS)}).")
    return crit


def parse_direction(value) -> int:
    """``1``/``"plus"``/``"+"`` → 1 ; ``-1``/``"moins"``/``"-"`` → −1; anything else → :class:`ScoringError`."""
    text = str(value).strip().lower()
    if text in ("1", "+1", "+", "plus", "1.0"):
        return 1
    if text in ("-1", "-", "moins", "-1.0"):
        return -1
    raise ScoringError(f"Sens inconnu : « {text[:20]} » (attendu : plus ou moins).")


# ---------------------------------------------------------------- re-weighting (fast)

class CriteriaTable:
    """The criteria of a candidate set, ready to be re-weighted many times.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`criteria_table` (or any frame with the :data:`KEYS` columns, index ``code_insee``).

    Examples
    --------
    >>> ct = CriteriaTable.from_codes(ranking_candidates())       # doctest: +SKIP
    >>> ct.rank({"population": 1, "chomage_ze": 2}).head()     # doctest: +SKIP
    """

    def __init__(self, table: pd.DataFrame):
        self.table = table
        self.codes = table.index.astype(str).to_numpy()
        x = table[KEYS].to_numpy(dtype=float)
        self.known = ~np.isnan(x)
        with np.errstate(invalid="ignore", all="ignore"):
            lo, hi = np.nanmin(np.where(self.known, x, np.inf), axis=0), np.nanmax(np.where(self.known, x, -np.inf), axis=0)
            span = hi - lo
            up = (x - lo) / np.where(span > 0, span, 1.0)
        saturating = np.array([c.scale == "saturation" for c in CRITERIA])
        half = np.array([half_saturation(c) for c in CRITERIA], dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            sat = np.clip(x, 0.0, None) / (np.clip(x, 0.0, None) + half)   # fixed scale, "more is better"
        up[:, saturating] = sat[:, saturating]
        constant = ~(span > 0) & ~saturating  # min–max with the same value for all (or no value): neutral 0.5
        up[:, constant] = 0.5
        self.up = np.where(self.known, up, np.nan)     # normalised, "more is better"
        self.constant = constant

    @classmethod
    def from_codes(cls, codes) -> "CriteriaTable":
        return cls(criteria_table(codes))

    def normalised(self, directions: dict | None = None) -> np.ndarray:
        """Normalised values (n × k), direction applied, NaN where unknown."""
        _, d = check_weights(None, directions)
        sign = np.array([d[k] for k in KEYS])
        return np.where(sign > 0, self.up, 1.0 - self.up)

    def rank(self, weights: dict | None = None, directions: dict | None = None,
             missing: str = "renormalise") -> pd.DataFrame:
        """Scores, contributions and ranks, best first.

        Parameters
        ----------
        weights, directions : dict, optional
            Per criterion (keys or short codes); missing entries take the defaults (:data:`CRITERIA`).
        missing : {"renormalise", "zero"}
            Missing-value rule (module docstring).

        Returns
        -------
        DataFrame
            ``code_insee``, ``nom``, ``rang``, ``score``, ``couverture`` (share of the weight used, 0–1),
            ``manquants`` (labels of the weighted criteria unknown for the town, "; "-joined),
            ``contrib_<key>`` per criterion (NaN when unknown), sorted by rank.
        """
        if missing not in MISSING_RULES:
            raise ScoringError(f"Règle des valeurs manquantes inconnue : « {str(missing)[:20]} » "
                               f"(attendu : {', '.join(MISSING_RULES)}).")
        w, d = check_weights(weights, directions)
        wv = np.array([w[k] for k in KEYS])
        n = self.normalised(d)  # the one normalisation (also what the criterion tests read)
        n[:, self.constant] = 0.5
        weighted_known = self.known & (wv > 0)
        if missing == "renormalise":
            denom = (self.known * wv).sum(axis=1)
        else:
            denom = np.full(len(n), wv.sum())
            n = np.where(self.known, n, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            contrib = 100.0 * n * wv / denom[:, None]
        contrib = np.where(self.known, contrib, np.nan if missing == "renormalise" else 0.0)
        score = np.where(denom > 0, np.nansum(contrib, axis=1), np.nan)
        coverage = (weighted_known * wv).sum(axis=1) / wv.sum()

        lacking = (~self.known) & (wv > 0)
        manquants = ["; ".join(LABELS[j] for j in np.flatnonzero(row)) for row in lacking]
        rang = _ranks(score)
        names = self.table["nom"].to_numpy()
        order = sorted(range(len(score)), key=lambda i: (rang[i], names[i]))
        data = {"code_insee": self.codes[order], "nom": names[order], "rang": rang[order], "score": score[order],
                "couverture": coverage[order], "manquants": [manquants[i] for i in order]}
        for j, key in enumerate(KEYS):
            data[f"contrib_{key}"] = contrib[order, j]
        return pd.DataFrame(data)  # built at once: inserting columns one by one costs ~1 ms each


def _ranks(score: np.ndarray) -> np.ndarray:
    """1 + number of strictly better scores (ties share the rank); no score (NaN) → after all scored towns."""
    known = ~np.isnan(score)
    s = np.where(known, np.round(score, 9), -np.inf)  # float noise must not split ties
    rang = 1 + (s[None, :] > s[:, None]).sum(axis=1)
    rang[~known] = known.sum() + 1
    return rang.astype(int)


@lru_cache(maxsize=32)
def _table_for(codes: tuple[str, ...], network_key: tuple) -> CriteriaTable:
    return CriteriaTable.from_codes(list(codes))


def cached_table(codes: tuple[str, ...]) -> CriteriaTable:
    """:class:`CriteriaTable` of a candidate set, computed once per process, set and network version (the time
    to the nearest Cnam site follows the current network)."""
    sites = network_sites()
    return _table_for(tuple(codes), sites_key(sites))


def ranking(weights: dict | None = None, directions: dict | None = None, add=(),
            missing: str = "renormalise") -> pd.DataFrame:
    """Rank the ACV towns + ``add`` (see :meth:`CriteriaTable.rank`), raw criteria joined."""
    codes = tuple(ranking_candidates(add))
    table = cached_table(codes)
    ranked = table.rank(weights, directions, missing)
    return ranked.join(table.table[KEYS], on="code_insee")


def records(ranked: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: NaN → None, contributions grouped under ``contributions``."""
    def clean(v):
        if isinstance(v, (float, np.floating)):
            return None if math.isnan(v) else round(float(v), 4)
        if isinstance(v, np.integer):
            return int(v)
        return v

    rows = []
    for r in ranked.to_dict("records"):
        rows.append({
            "rang": clean(r["rang"]), "code_insee": r["code_insee"], "nom": r["nom"], "score": clean(r["score"]),
            "couverture": clean(r["couverture"]), "manquants": [m for m in r["manquants"].split("; ") if m],
            "contributions": {k: clean(r[f"contrib_{k}"]) for k in KEYS},
            "valeurs": {k: clean(r[k]) for k in KEYS if k in r},
        })
    return rows
