"""The ranking's state in the URL, so that a link reproduces the ranking.

``/classement?w=pop.1.p_p30.2.p_…_den.1.m&add=57463_08053&m=zero``

- ``w``: one item per criterion, ``<short code>.<weight>.<p|m>`` joined by ``_`` (``p`` = plus = mieux,
  ``m`` = moins = mieux); every criterion is written, so the link keeps its meaning if defaults change. A
  missing sign means the criterion's default direction; a missing criterion its default weight.
- ``add``: communes added to the 25 ACV towns, ``code_insee`` joined by ``_``.
- ``m``: missing-value rule, only when it is not the default (``renormalise``).

Only unreserved URL characters are used: nothing needs percent-encoding.
"""
from __future__ import annotations

from models.domain.scoring import (BY_KEY, CRITERIA, DEFAULT_DIRECTIONS, DEFAULT_WEIGHTS, KEYS, MISSING_RULES,
                            ScoringError, check_weights, ranking_candidates)

MAX_ADDED = 300
SIGN = {1: "p", -1: "m"}


def _fmt(x: float) -> str:
    return f"{float(x):g}"


def encode_query(weights: dict, directions: dict, added=(), missing: str = "renormalise") -> str:
    """Query string (with its leading ``?``) for the ranking state."""
    items = "_".join(f"{BY_KEY[k].short}.{_fmt(weights[k])}.{SIGN[int(directions[k])]}" for k in KEYS)
    parts = [f"w={items}"]
    if added:
        parts.append("add=" + "_".join(added))
    if missing != "renormalise":
        parts.append(f"m={missing}")
    return "?" + "&".join(parts)


def decode_query(w: str | None = None, add: str | None = None, m: str | None = None):
    """Parse the query values (strings from ``layout(**query)``), never raising.

    Returns
    -------
    weights, directions : dict
        Every criterion (defaults where the URL says nothing or something invalid).
    added : list of str
        Valid added ``code_insee`` (ACV towns and unknown codes dropped).
    missing : str
        Missing-value rule.
    errors : list of str
        French messages about what was ignored.
    """
    weights, directions, errors = dict(DEFAULT_WEIGHTS), dict(DEFAULT_DIRECTIONS), []
    by_short = {c.short: c for c in CRITERIA}
    for item in filter(None, str(w or "").split("_")):
        parts = item.split(".")
        # weights may carry a decimal point: short.1.5.p → ["short", "1", "5", "p"]
        short, sign = parts[0], parts[-1] if len(parts) > 2 and parts[-1] in ("p", "m") else None
        number = ".".join(parts[1:-1] if sign else parts[1:])
        crit = by_short.get(short) or BY_KEY.get(short)
        if crit is None:
            errors.append(f"Critère inconnu dans l'adresse : « {short[:20]} » (ignoré).")
            continue
        try:
            w1, d1 = check_weights({crit.key: number}, {crit.key: "plus" if sign != "m" else "moins"})
        except ScoringError as err:
            errors.append(f"{err} Valeur par défaut utilisée.")
            continue
        weights[crit.key] = w1[crit.key]
        if sign:
            directions[crit.key] = d1[crit.key]
    if sum(weights.values()) <= 0:
        errors.append("Tous les poids de l'adresse sont nuls : poids par défaut utilisés.")
        weights = dict(DEFAULT_WEIGHTS)

    added, acv = [], set(ranking_candidates())
    codes = [c for c in str(add or "").replace(",", "_").split("_") if c.strip()]
    if len(codes) > MAX_ADDED:
        errors.append(f"Trop de communes ajoutées dans l'adresse ({len(codes)}) : les {MAX_ADDED} premières gardées.")
        codes = codes[:MAX_ADDED]
    for code in codes:
        try:
            ranking_candidates([code])
        except ScoringError as err:
            errors.append(f"{err} Commune ignorée.")
            continue
        if code.strip() not in acv and code.strip() not in added:
            added.append(code.strip())

    missing = "renormalise" if m in (None, "") else str(m)
    if missing not in MISSING_RULES:
        errors.append(f"Règle des valeurs manquantes inconnue : « {missing[:20]} » : règle par défaut utilisée.")
        missing = "renormalise"
    return weights, directions, added, missing, errors


def values_by_key(items) -> dict:
    """``{criterion key: value}`` from the items of a pattern-matching (``ALL``) input or state."""
    return {item["id"]["key"]: item.get("value") for item in items}
