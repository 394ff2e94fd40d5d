"""The models of the app, pure Python (no Dash), in layers, cli → loaders → stores → domain → text (the arrows are
checked by ``.importlinter``):

- ``models/domain/``  the domain: territory, travel, town facts, coverage, planning, demand, finance (simulator),
  scoring, concept fit, partners, town profile, transit. Takes a ``Territory``; imports no store, no CLI, no Dash.
  The current network comes with the territory (``Territory.current_sites()``).
- ``models/stores/``  the database (``db.py``, which imports none of the stores) and what is kept in it: scenarios,
  weightings, network edits, editor accounts (``versioned_store.py`` is what the scenario and weighting stores share).
- ``models/loaders/`` the one place that reads ``geodata/`` into the region's ``Territory`` (and wires its current
  network to the network store), and the data checks.
- ``models/text/``    French formatting, input parsing, display names, the French argument parser; imports nothing
  of the domain.
- ``models/cli/``     the ``python -m models.<name>`` entry points (coverage, planner, demand, users, ...).

``python -m models.coverage`` keeps working as documented: the folder ``models/cli/`` is on this package's search
path, so ``models.coverage`` *as a command* is ``models/cli/coverage.py``. Code imports the layers by their full
names (``from models.domain.coverage import coverage``), never ``models.coverage``.
"""
from pathlib import Path

__path__.append(str(Path(__file__).with_name("cli")))   # noqa: F821 (the package's own search path)
