"""The one commune search box of the app (map, profile, simulator, coverage, ranking, error pages).

``commune_search("map")`` gives a dropdown whose value is a ``code_insee``; the page decides what choosing does
(the map opens ``/ville/<code>``, the simulator simulates the town). The ordering is
:mod:`models.text.commune_search`'s: the exact name first (accents, hyphens, case, "St"/"Saint" do not count), then
names starting with the text, then the rest, by population; each option names its département.

Enter opens the first match of what is typed *now*: ``assets/11_commune_search.js`` catches Enter in the box and
hands the typed text to :func:`_enter`, which answers from the server's own ordering — never from a list still
showing the answer to an earlier keystroke. Options are filtered server-side (the page never ships 5,115 names).
"""
from __future__ import annotations

from functools import lru_cache

from dash import MATCH, Input, Output, State, callback, dcc, html, no_update

from models.text.commune_search import CommuneIndex, fold  # noqa: F401 — fold: re-exported (town_exports)
from components.territory import current_territory

MAX_OPTIONS = 12
KIND, ENTER_KIND = "commune-search", "commune-search-enter"
LABELS_FR = {"search": "Rechercher", "clear_search": "Effacer la recherche", "clear_selection": "Effacer",
             "no_options_found": "Tapez au moins 2 lettres du nom ou le code INSEE", "select_all": "Tout choisir",
             "deselect_all": "Tout enlever", "selected_count": "{num_selected} choisies"}


@lru_cache(maxsize=None)
def index() -> CommuneIndex:
    """The communes of the territory, indexed once per process."""
    return CommuneIndex.from_frame(current_territory().communes)


def _option(match, typed: str = "") -> dict:
    # "search": what the dropdown's own client-side filter matches typed text against (it keeps our order,
    # search_order="original"); the typed text itself is in it so that no server answer is hidden by that filter
    return {"label": match.label, "value": match.code_insee,
            "search": f"{match.label} {fold(match.nom)} {typed}".strip()}


def search(query: str, limit: int = MAX_OPTIONS) -> list[dict]:
    """Dropdown options for ``query``, best first (see :mod:`models.text.commune_search`)."""
    typed = str(query or "")[:60]
    return [_option(m, typed) for m in index().search(typed, limit)]


def option_for(code: str | None) -> list[dict]:
    """The option of one commune (so that a box set to it shows its name), or ``[]``."""
    match = index().get(code) if code else None
    return [_option(match)] if match else []


def commune_search(name: str, placeholder: str = "Rechercher une commune (nom ou code INSEE)…",
                   value: str | None = None, **dropdown_kwargs) -> html.Div:
    """The search box ``{"type": "commune-search", "name": name}`` (a dropdown; ``value`` = its code INSEE)."""
    dropdown = dcc.Dropdown(id={"type": KIND, "name": name}, options=option_for(value), value=value,
                            placeholder=placeholder, searchable=True, clearable=True, search_order="original",
                            className="commune-search", labels=LABELS_FR, **dropdown_kwargs)
    return html.Div([dropdown, dcc.Store(id={"type": ENTER_KIND, "name": name})], className="commune-search-box")


@callback(Output({"type": KIND, "name": MATCH}, "options"),
          Input({"type": KIND, "name": MATCH}, "search_value"),
          State({"type": KIND, "name": MATCH}, "value"),
          prevent_initial_call=True)
def _update_options(search_value, value):
    if not search_value:
        return no_update
    options = search(search_value)
    if value and value not in {o["value"] for o in options}:
        options += option_for(value)  # keep the current choice visible
    return options


@callback(Output({"type": KIND, "name": MATCH}, "value", allow_duplicate=True),
          Output({"type": KIND, "name": MATCH}, "options", allow_duplicate=True),
          Input({"type": ENTER_KIND, "name": MATCH}, "data"),
          prevent_initial_call=True)
def _enter(pressed):
    """Enter in the box: the first match of the typed text becomes the value (the page then opens it)."""
    typed = pressed.get("q") if isinstance(pressed, dict) else None
    options = search(typed) if isinstance(typed, str) else []
    if not options:
        return no_update, no_update
    return options[0]["value"], options
