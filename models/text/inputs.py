"""One parser for what comes from outside: query strings and callback values (pure, no Dash).

Rules: the first value of a repeated parameter, text capped in length and without control characters, finite
numbers only (no ``inf``, ``nan``, ``1e400``), ids of ASCII digits only (``²`` is not a digit here), codes of a
fixed shape. Every function returns ``(value, message)``: the value, or the default with a French message.

>>> number("1e400", 30, lo=5, hi=120, label="Temps d'accès")
(30, "Temps d'accès : « 1e400 » n'est pas un nombre fini ; valeur par défaut 30.")
>>> first(["a", "b"])
'a'
"""
from __future__ import annotations

import math
import re

from models.text.fr_format import parse_number

MAX_TEXT = 200
MAX_PARAMS = 40
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The one definition of a commune code's shape (5 digits, Corsica 2A/2B): Territory.check_code and the stores use it.
CODE_PATTERN = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")
CODE_INSEE = CODE_PATTERN


def first(value):
    """The first value of a repeated parameter (lists and tuples), else the value itself."""
    while isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value


def text(value, max_len: int = MAX_TEXT) -> str:
    """A single-line string: first value, control characters removed, stripped and capped at ``max_len``."""
    value = first(value)
    if value is None or isinstance(value, (dict, set)):
        return ""
    return CONTROL.sub("", str(value)).strip()[:max_len]


def _shown(value) -> str:
    return text(value, 30)


def number(value, default, lo: float | None = None, hi: float | None = None, label: str = "Valeur",
           integer: bool = False):
    """A finite number within [lo, hi] (``,`` accepted as decimal mark); ``(default, message)`` otherwise."""
    raw = first(value)
    if raw is None or raw == "":
        return default, None
    try:
        if isinstance(raw, bool):
            raise ValueError
        x = float(raw) if isinstance(raw, (int, float)) else parse_number(text(raw, 40))
    except (TypeError, ValueError, OverflowError):
        return default, f"{label} : « {_shown(raw)} » n'est pas un nombre ; valeur par défaut {default}."
    if not math.isfinite(x):
        return default, f"{label} : « {_shown(raw)} » n'est pas un nombre fini ; valeur par défaut {default}."
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        return default, f"{label} : {_shown(raw)} hors de l'intervalle [{lo} ; {hi}] ; valeur par défaut {default}."
    if integer:
        if x != int(x):
            return default, f"{label} : « {_shown(raw)} » n'est pas un nombre entier ; valeur par défaut {default}."
        return int(x), None
    return x, None


def record_id(value, label: str = "Identifiant"):
    """A positive id of ASCII digits (at most 12); ``(None, message)`` otherwise (``(None, None)`` if absent)."""
    raw = text(value, 40)
    if not raw:
        return None, None
    if raw.isascii() and raw.isdigit() and len(raw) <= 12 and int(raw) > 0:
        return int(raw), None
    return None, f"{label} invalide : « {_shown(raw)} » (un nombre entier positif est attendu)."


def code_insee(value, label: str = "Code commune"):
    """A commune code (5 characters, Corsica's 2A/2B accepted); ``(None, message)`` otherwise."""
    raw = text(value, 10).upper()
    if not raw:
        return None, None
    if CODE_INSEE.match(raw):
        return raw, None
    return None, f"{label} invalide : « {_shown(raw)} » (5 chiffres attendus)."


def choice(value, allowed, default, label: str = "Valeur"):
    """One of ``allowed`` (compared as text); ``(default, message)`` otherwise."""
    raw = text(value, 60)
    if not raw:
        return default, None
    for a in allowed:
        if raw == str(a):
            return a, None
    return default, f"{label} : « {_shown(raw)} » inconnu ; valeur par défaut."


def query(params: dict, max_params: int = MAX_PARAMS, max_len: int = MAX_TEXT) -> dict:
    """A page's query parameters made flat and safe: first value of each, text capped, at most ``max_params``.

    Keys are capped too; values keep their text (pages then read them with :func:`number`, :func:`record_id`…).
    """
    out = {}
    for key, value in list((params or {}).items())[:max_params]:
        k = text(key, 40)
        if k and k not in out:
            out[k] = text(value, max_len)
    return out


def plotly_text(value, max_len: int = MAX_TEXT) -> str:
    """User text made inert for Plotly, which renders a subset of HTML (``<a href>``, ``<b>``, ``<span style>``)
    in names, titles and hover text: ``<``, ``>`` and ``&`` become entities, which Plotly shows as plain text.

    >>> plotly_text('<a href="//x">clic</a> & co')
    '&lt;a href="//x"&gt;clic&lt;/a&gt; &amp; co'
    """
    return text(value, max_len).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
