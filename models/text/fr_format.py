"""French number formatting, the one place for it (Babel, locale ``fr_FR``): ``12 346``, ``9,1 %``, ``1,35 M€``.

Babel writes the thousands separator as a narrow no-break space (U+202F) and the decimal comma; units are
joined with a no-break space so that a number never wraps away from its unit on a projector.
"""
from __future__ import annotations

import math

from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

LOCALE = "fr_FR"
_LOCALE = Locale.parse(LOCALE)
NBSP = "\u00a0"
GROUP = "\u202f"  # Babel's fr_FR grouping separator


def is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=None)
def _pattern(decimals: int, optional: bool):
    """Babel's number pattern for ``decimals`` decimals (``optional``: trailing zeros dropped), parsed once."""
    return parse_pattern("#,##0" + ("." + ("#" if optional else "0") * decimals if decimals > 0 else ""))


@lru_cache(maxsize=8192)  # pages format the same values many times (0, 1, populations…)
def _format(value: float, decimals: int, optional: bool) -> str:
    value = round(float(value), decimals)
    if value == 0:
        value = 0.0  # never "-0"
    return _pattern(decimals, optional).apply(value, _LOCALE)


def num(x, decimals: int = 0) -> str:
    """``12345.6`` → ``'12 346'``; ``9.06, 1`` → ``'9,1'``; missing → ``'—'``; never ``-0``."""
    return "—" if is_missing(x) else _format(float(x), decimals, False)


def num_short(x, max_decimals: int = 2) -> str:
    """Up to ``max_decimals`` decimals, trailing zeros dropped: ``2.50`` → ``'2,5'``, ``3.0`` → ``'3'``."""
    return "—" if is_missing(x) else _format(float(x), max_decimals, True)


def pct(x, decimals: int = 1) -> str:
    """``9.06`` (already in %) → ``'9,1 %'``."""
    return "—" if is_missing(x) else f"{num(x, decimals)}{NBSP}%"


def km(x) -> str:
    if is_missing(x):
        return "—"
    return f"{num(x, 1 if float(x) < 10 else 0)}{NBSP}km"


def minutes(x) -> str:
    return "—" if is_missing(x) else f"{num(x)}{NBSP}min"


def seconds(x) -> str:
    """Elapsed time: ``0.034`` → ``'0,03 s'``."""
    return "—" if is_missing(x) else f"{num(x, 2)}{NBSP}s"


def euros(x) -> str:
    """Money rounded for reading at a distance: ``850 €``, ``12,5 k€``, ``35 k€``, ``1,35 M€``."""
    if is_missing(x):
        return "—"
    a = abs(float(x))
    if a >= 1e6:
        return f"{num(x / 1e6, 2)}{NBSP}M€"
    if a >= 1e4:
        return f"{num(x / 1e3, 0)}{NBSP}k€"
    if a >= 1e3:
        return f"{num(x / 1e3, 1)}{NBSP}k€"
    return f"{num(x)}{NBSP}€"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 lycée``, ``0 lycée``, ``3 lycées`` (French: 0 and 1 take the singular)."""
    n = int(n)
    return f"{num(n)} {singular if abs(n) <= 1 else (plural_form or singular + 's')}"


def parse_number(text) -> float:
    """A number typed the French or the English way (``'1 234,5'``, ``'1234.5'``) → float; ``ValueError``."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = repr(float(text))
    s = str(text).strip().replace(GROUP, "").replace(NBSP, "").replace(" ", "").replace(",", ".")
    return float(s)  # may be inf or nan: callers check the range


_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "et", "en", "sur", "sous", "aux", "au", "lès", "lez", "à"}


def display_name(text) -> str:
    """A name the source writes in capitals (``POLE EMPLOI EPINAL``) → ``Pole Emploi Epinal``; other names as is.

    Small French words stay lower case inside a name (``SAINT-DIE DES VOSGES`` → ``Saint-Die des Vosges``).
    Accents the source dropped cannot be restored.
    """
    if is_missing(text):
        return "—"
    s = str(text).strip()
    if not s or s != s.upper() or not any(ch.isalpha() for ch in s):
        return s
    words = []
    for i, word in enumerate(s.lower().split(" ")):
        if i and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


def de(name: str) -> str:
    """``de`` with elision before a vowel: ``d'Épinal``, ``de Troyes``."""
    name = str(name)
    return f"d'{name}" if name[:1].lower() in "aàâeéèêiîoôuûyh" and not name.lower().startswith("ha") else f"de {name}"


def date(iso: str) -> str:
    """``'2024-12-20'`` → ``'20/12/2024'`` (other text unchanged)."""
    s = str(iso)
    if len(s) >= 10 and s[4] == "-" and s[7] == "-":
        return f"{s[8:10]}/{s[5:7]}/{s[:4]}"
    return s


def clock(minutes_after_midnight) -> str:
    """Time of day: ``432`` (minutes after midnight) → ``'7 h 12'``, ``540`` → ``'9 h'`` (no-break spaces)."""
    if is_missing(minutes_after_midnight):
        return "—"
    h, m = divmod(int(minutes_after_midnight), 60)
    return f"{h}{NBSP}h" + (f"{NBSP}{m:02d}" if m else "")
