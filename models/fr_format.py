"""French number formatting for plain-language texts (``1 234``, ``9,1 %``)."""
from __future__ import annotations

import math

NBSP = "\u00a0"


def is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def num(x, decimals: int = 0) -> str:
    """``12345.6`` → ``'12 346'``; ``9.06, 1`` → ``'9,1'``; missing → ``'—'``."""
    if is_missing(x):
        return "—"
    s = f"{float(x):,.{decimals}f}"
    return s.replace(",", NBSP).replace(".", ",")


def pct(x, decimals: int = 1) -> str:
    return "—" if is_missing(x) else f"{num(x, decimals)}{NBSP}%"


def km(x) -> str:
    if is_missing(x):
        return "—"
    return f"{num(x, 1 if float(x) < 10 else 0)}{NBSP}km"


def minutes(x) -> str:
    return "—" if is_missing(x) else f"{num(x)}{NBSP}min"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{n} {singular if n <= 1 else (plural_form or singular + 's')}"
