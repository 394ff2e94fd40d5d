"""French texts for the built-in labels of Dash widgets, applied to every ``dcc.Dropdown`` of the app.

Dash 4's dropdown writes "Search", "Select All", "No options found"… unless ``labels`` is given. Rather than
repeat the dict at each of the app's dropdowns, :func:`install` makes it the default (a dropdown that passes its
own ``labels`` keeps them). Imported by :mod:`components.navbar`, hence by the app, before any page is built.
"""
from __future__ import annotations

import functools

from dash import dcc

DROPDOWN_LABELS = {
    "search": "Rechercher…", "select_all": "Tout sélectionner", "deselect_all": "Tout désélectionner",
    "selected_count": "{num_selected} sélectionné(s)", "clear_search": "Effacer la recherche",
    "clear_selection": "Effacer la sélection", "no_options_found": "Aucun résultat",
}


def install() -> None:
    """Make :data:`DROPDOWN_LABELS` the default ``labels`` of ``dcc.Dropdown`` (idempotent)."""
    init = dcc.Dropdown.__init__
    if getattr(init, "_atlas_french", False):
        return

    @functools.wraps(init)
    def french_init(self, *args, **kwargs):
        kwargs.setdefault("labels", DROPDOWN_LABELS)
        kwargs.setdefault("placeholder", "Choisir…")
        init(self, *args, **kwargs)

    french_init._atlas_french = True
    dcc.Dropdown.__init__ = french_init


install()
