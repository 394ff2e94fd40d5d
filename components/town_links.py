"""Every town name a link (issue #18, part 6): a commune named on /ville opens its own profile.

- :func:`town_link` — a name and its INSEE code → ``dcc.Link`` to ``/ville/<code>`` (plain text without a code);
- :func:`zone_town` — the commune a zone is named after: a bassin de vie is named after its pole (INSEE gives its
  code, ``bv_code``); a zone d'emploi or a BMO basin after a town when one of its own communes bears exactly that
  name (``Verdun``, ``Épinal``); otherwise (``Meuse du Nord``, ``Bassin houiller``) there is no such town and the
  name stays text;
- :func:`rich_text` — a sentence with its town names linked and its glossary terms explained.
"""
from __future__ import annotations

from functools import lru_cache

from dash import dcc

from components.glossary import annotate
from components.territory import current_territory
from models.text.display_names import bmo_basin

ZONES = {"ze": ("ze_code", "ze_nom"), "bmo": ("bmo_code", "bmo_nom"), "bv": ("bv_code", "bv_nom")}


def town_link(name: str, code: str | None, **kwargs):
    """``name`` linking to the profile of commune ``code`` (text alone when ``code`` is not a commune of the region)."""
    if code and str(code) in _codes():
        return dcc.Link(name, href=f"/ville/{code}", **kwargs)
    return name


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(current_territory().communes["code_insee"].astype(str))


@lru_cache(maxsize=4)
def _named_towns(kind: str) -> dict[str, str]:
    """zone code → INSEE code of the commune of that zone whose name is the zone's name (as displayed)."""
    code_col, name_col = ZONES[kind]
    com = current_territory().communes
    out = {}
    if kind == "bv":  # INSEE names a bassin de vie after its pole, whose code is the basin's code
        return {str(c): str(c) for c in com[code_col].dropna().unique() if str(c) in _codes()}
    shown = com[name_col].map(bmo_basin) if kind == "bmo" else com[name_col]
    for zone, name, nom, code in zip(com[code_col], shown, com["nom"], com["code_insee"]):
        if isinstance(name, str) and nom == name:
            out[str(zone)] = str(code)
    return out


def zone_town(kind: str, zone_code) -> str | None:
    """INSEE code of the commune zone ``zone_code`` (``kind``: ze, bmo or bv) is named after, or None."""
    return _named_towns(kind).get(str(zone_code)) if zone_code is not None else None


def zone_link(kind: str, zone_code, name: str, **kwargs):
    """The zone's name, a link to the town it is named after when there is one (see :func:`zone_town`)."""
    return town_link(name, zone_town(kind, zone_code), **kwargs)


def rich_text(text: str, towns: dict[str, str] | None = None, seen: set[str] | None = None) -> list:
    """``text`` as children: the first occurrence of each name of ``towns`` (name → INSEE code) linked to its
    profile, glossary terms explained once (``seen``: terms already explained in the block)."""
    parts: list = [text]
    for name, code in (towns or {}).items():
        if not name or not code:
            continue
        for i, part in enumerate(parts):
            if isinstance(part, str) and name in part:
                before, after = part.split(name, 1)
                parts[i:i + 1] = [before, town_link(name, code), after]
                break
    seen = set() if seen is None else seen
    out = []
    for part in parts:
        if isinstance(part, str):
            out.extend(annotate(part, seen) if part else [])
        else:
            out.append(part)
    return out
