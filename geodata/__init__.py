"""Cached loaders of the committed geodata files (built by ``python -m geodata.build``).

Each loader reads its file once per process; callers get the cached object and must not mutate it
(``.copy()`` first). Only the build reads ``../shared``; the app and the tests read these files alone.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

DIR = Path(os.environ.get("ATLAS_GEODATA_DIR") or Path(__file__).resolve().parent)  # env: tests of damaged data
COMMUNES_GEOJSON = DIR / "communes.geojson"
DEPARTEMENTS_GEOJSON = DIR / "departements.geojson"


def _table(name: str) -> pd.DataFrame:
    return pd.read_parquet(DIR / f"{name}.parquet")


@lru_cache(maxsize=None)
def communes() -> pd.DataFrame:
    """One row per commune of the region, with its zonings and indicators (NaN where unknown)."""
    return _table("communes")


@lru_cache(maxsize=None)
def commune_index() -> pd.DataFrame:
    """:func:`communes` indexed by ``code_insee``."""
    return communes().set_index("code_insee", drop=False)


@lru_cache(maxsize=None)
def commune_shapes() -> gpd.GeoDataFrame:
    return gpd.read_parquet(DIR / "communes_geom.parquet")


@lru_cache(maxsize=None)
def commune_neighbours() -> pd.DataFrame:
    return _table("communes_voisins")


@lru_cache(maxsize=None)
def departements() -> gpd.GeoDataFrame:
    return gpd.read_parquet(DIR / "departements.parquet")


@lru_cache(maxsize=None)
def acv() -> pd.DataFrame:
    return _table("acv")


@lru_cache(maxsize=None)
def pvd() -> pd.DataFrame:
    """The Petites villes de demain of the region (ANCT list of January 2021), each at its town-hall point."""
    return _table("pvd")


@lru_cache(maxsize=None)
def lycees() -> pd.DataFrame:
    return _table("lycees")


@lru_cache(maxsize=None)
def missions_locales() -> pd.DataFrame:
    return _table("missions_locales")


@lru_cache(maxsize=None)
def cnam_sites() -> pd.DataFrame:
    return _table("cnam_sites")


@lru_cache(maxsize=None)
def cnam_sites_france() -> pd.DataFrame:
    """The 146 Cnam implantations of France in the MESR file (état 2017), for a national view."""
    return _table("cnam_sites_france")


@lru_cache(maxsize=None)
def enseignement_superieur() -> pd.DataFrame:
    """Public higher-education implantations of the region other than the Cnam (MESR, état 2017)."""
    return _table("enseignement_superieur")


@lru_cache(maxsize=None)
def ter_arrets() -> pd.DataFrame:
    """SNCF TER stop areas (booleans train/car/tram_train) of the region and 40 km around (code_insee null
    outside the region). No timetables: presence and straight-line distance only."""
    return _table("ter_arrets")


@lru_cache(maxsize=None)
def ter_trajets() -> pd.DataFrame:
    """TER journeys of the reference Tuesday (morning and evening) from communes near a stop to the Cnam site and
    ACV towns (``geodata/build_ter_times.py``); times in minutes after midnight."""
    return _table("ter_trajets")


@lru_cache(maxsize=None)
def ter_acces() -> pd.DataFrame:
    """Stops a commune uses (inside it or within 5 km), with km and bike minutes; absent = no TER access."""
    return _table("ter_acces")


@lru_cache(maxsize=None)
def france_services() -> pd.DataFrame:
    return _table("france_services")


@lru_cache(maxsize=None)
def france_travail() -> pd.DataFrame:
    return _table("france_travail")


@lru_cache(maxsize=None)
def chomage_ze_series() -> pd.DataFrame:
    return _table("chomage_ze")


@lru_cache(maxsize=None)
def demandeurs_series() -> pd.DataFrame:
    return _table("demandeurs_emploi")


@lru_cache(maxsize=None)
def bmo() -> pd.DataFrame:
    return _table("bmo")


@lru_cache(maxsize=None)
def sources() -> dict:
    return json.loads((DIR / "sources.json").read_text(encoding="utf-8"))


LOADERS = (communes, commune_shapes, commune_neighbours, departements, acv, pvd, lycees, missions_locales, cnam_sites,
           cnam_sites_france, enseignement_superieur, ter_arrets, france_services, france_travail, chomage_ze_series,
           demandeurs_series, bmo, sources, ter_trajets, ter_acces)


def load_all() -> None:
    """Read every dataset (warms the caches, e.g. at app start)."""
    for loader in LOADERS:
        loader()
