"""The one place that builds the region's :class:`~models.domain.territory.Territory` from ``geodata/``.

The region is the one ``geodata.build`` was run for (``--region``, written to ``geodata/sources.json``); its name
is read here and nowhere else: the models and the pages ask the territory (``territory.name``,
``territory.region_code``), never a literal.

    from models.loaders.region import region_territory
    t = region_territory()          # the committed region (Grand Est, code 44), built once per process
    t = Territory.for_region("44")  # the same, by code
"""
from __future__ import annotations

from functools import lru_cache

import geodata

from models.domain.territory import LAYERS, Territory

# INSEE region codes (COG) → name shown in the UI. geodata/ holds one region at a time (python -m geodata.build
# --region CODE); add the name of a region here before building it.
REGION_NAMES = {"44": "Grand Est"}


def region_code() -> str:
    """The region of the committed data (``geodata/sources.json``)."""
    return str(geodata.sources().get("region", ""))


@lru_cache(maxsize=None)
def territory_for_region(code: str) -> Territory:
    """The territory of region ``code`` from the committed geodata (built once per process)."""
    code = str(code)
    if code != region_code() or code not in REGION_NAMES:
        raise ValueError(f"Région {code!r} absente des données (geodata/ est construit pour la région "
                         f"{region_code()!r} : python -m geodata.build --region {code}).")
    layers = {name: getattr(geodata, name)() for name in LAYERS if hasattr(geodata, name)}
    return Territory(geodata.communes(), geodata.commune_neighbours(), geodata.cnam_sites(), layers,
                     REGION_NAMES[code], region_code=code, current_sites=_current_network_sites,
                     data=_dataset)


DATASETS = ("demandeurs_series", "bmo", "chomage_ze_series", "ter_trajets", "ter_acces", "sources")


def _dataset(name: str):
    """One of :data:`DATASETS` from geodata/ (each read once per process by geodata's own cache)."""
    if name not in DATASETS:
        raise KeyError(f"Donnée inconnue : {name!r} (attendu : {', '.join(DATASETS)})")
    return getattr(geodata, name)()


def _current_network_sites():
    """The sites of the network the app edits: the reference + the editors' changes kept in the database."""
    from models.stores import network

    return network.current_network().sites


def region_territory() -> Territory:
    """The territory of the committed region: the app's one accessor (``Territory.from_geodata()`` is the same)."""
    return territory_for_region(region_code())
