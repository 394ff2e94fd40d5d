"""The UI's one accessor of the territory: the region the committed data was built for (models/loaders/region.py).

Pages and components read communes, the commune index and the point layers from here, never from ``geodata``
directly (geometry for the maps and the provenance manifest excepted), and write the region's name with
:func:`region_name`, never a literal.
"""
from __future__ import annotations

from models.domain.territory import Territory
from models.loaders.region import region_territory


def current_territory() -> Territory:
    """The region's territory (built once per process)."""
    return region_territory()


def region_name() -> str:
    """The region's name as the UI writes it ("Grand Est")."""
    return current_territory().name
