"""Partners near a commune: vocational lycées, missions locales, France Services, France Travail, Cnam sites.

Distances are straight-line (great-circle) between town-hall / partner points; times are the estimate of
:func:`models.travel.minutes_from_km` (detour factor × average speed), labelled "estimé" in the UI.
A partner "dans la commune" is one whose ``code_insee`` is the commune's, whatever its distance.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from models.travel import TravelSettings, distance_matrix_km, minutes_from_km

KINDS = {
    "lycees_pro": "Lycées à voie professionnelle",
    "missions_locales": "Missions locales",
    "france_services": "France Services",
    "france_travail": "Agences France Travail",
    "cnam_sites": "Sites du Cnam",
}
SOURCE_DATASET = {"lycees_pro": "lycees", "missions_locales": "missions_locales",
                  "france_services": "france_services", "france_travail": "france_travail",
                  "cnam_sites": "cnam_sites"}


class UnknownCommune(KeyError):
    """A code that is not a commune of Grand Est (message in French)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Commune inconnue"


@lru_cache(maxsize=None)
def layer(kind: str) -> pd.DataFrame:
    """Points of one partner kind with ``commune`` (name of their commune), read once per process."""
    import geodata

    if kind not in KINDS:
        raise ValueError(f"Type de partenaire inconnu : {kind!r}")
    loader = {"lycees_pro": lambda: geodata.lycees()[geodata.lycees().voie_pro],
              "missions_locales": geodata.missions_locales, "france_services": geodata.france_services,
              "france_travail": geodata.france_travail, "cnam_sites": geodata.cnam_sites}[kind]
    df = loader().reset_index(drop=True).copy()
    names = geodata.commune_index()["nom"]
    if "commune" not in df.columns:
        df["commune"] = df.code_insee.map(names)
    return df


def commune_row(code_insee) -> pd.Series:
    """The row of ``geodata.communes()`` for a code; bad or unknown code → :class:`UnknownCommune`."""
    import geodata

    code = str(code_insee).strip() if code_insee is not None else ""
    if len(code) != 5 or not (code.isdigit() or (code[:2] in ("2A", "2B") and code[2:].isdigit())):
        raise UnknownCommune(f"« {code_insee} » n'est pas un code commune INSEE (5 caractères, ex. 88160).")
    idx = geodata.commune_index()
    if code not in idx.index:
        raise UnknownCommune(f"Le code {code} n'est pas celui d'une commune du Grand Est.")
    return idx.loc[code]


def distances_km(lon, lat, kind: str) -> np.ndarray:
    """Straight-line km from points (n) to every partner of ``kind``, shape (n, len(layer))."""
    pts = layer(kind)
    return distance_matrix_km(np.atleast_1d(lon), np.atleast_1d(lat), pts.lon.to_numpy(), pts.lat.to_numpy())


def partners_near(code_insee: str, kind: str, max_km: float | None = None, n: int | None = None,
                  settings: TravelSettings | None = None) -> pd.DataFrame:
    """Partners of ``kind`` around a commune, nearest first.

    Parameters
    ----------
    code_insee : str
    kind : str
        One of :data:`KINDS`.
    max_km : float, optional
        Keep partners within this straight-line distance (partners in the commune are always kept).
    n : int, optional
        Keep at most ``n`` (after ``max_km``).

    Returns
    -------
    DataFrame
        The layer's columns plus ``distance_km``, ``minutes`` (estimated) and ``dans_la_commune``.
    """
    row = commune_row(code_insee)
    pts = layer(kind)
    d = distances_km(row.lon, row.lat, kind)[0]
    inside = pts.code_insee.to_numpy() == row.code_insee
    keep = np.ones(len(d), bool) if max_km is None else (d <= max_km) | inside
    idx = np.flatnonzero(keep)
    idx = idx[np.lexsort((pts.nom.to_numpy()[idx].astype(str), d[idx]))]  # nearest first, then by name
    if n is not None:
        idx = idx[:n]
    out = pts.iloc[idx].reset_index(drop=True)
    out["distance_km"] = d[idx]
    out["minutes"] = minutes_from_km(d[idx], settings)
    out["dans_la_commune"] = inside[idx]
    return out


def clear_caches() -> None:
    layer.cache_clear()
