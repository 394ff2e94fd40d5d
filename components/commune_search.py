"""Commune search box (accent- and case-insensitive, by name or code), reusable on any page.

``commune_search("map")`` gives a dropdown whose value is a ``code_insee``; the page decides what choosing does
(the map page opens ``/ville/<code>``). Options are filtered server-side so the page never ships 5,115 names.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import pandas as pd
from dash import MATCH, Input, Output, State, callback, dcc, no_update

import geodata

MAX_OPTIONS = 12
LABELS_FR = {"search": "Rechercher", "clear_search": "Effacer la recherche", "clear_selection": "Effacer",
             "no_options_found": "Tapez au moins 2 lettres du nom ou le code INSEE", "select_all": "Tout choisir",
             "deselect_all": "Tout enlever", "selected_count": "{num_selected} choisies"}


def fold(text: str) -> str:
    """Lower-case, accents removed, hyphens/apostrophes as spaces: « Saint-Dié » → « saint die »."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(t.replace("-", " ").replace("'", " ").split())


@lru_cache(maxsize=None)
def _index() -> pd.DataFrame:
    com = geodata.communes()
    return pd.DataFrame({"code_insee": com.code_insee, "key": com.nom.map(fold), "population": com.population,
                         "label": com.nom + " (" + com.departement + ") · " + com.code_insee})


def search(query: str, limit: int = MAX_OPTIONS) -> list[dict]:
    """Dropdown options matching ``query``: exact code, else names starting with it, then containing it."""
    q = fold(query or "")
    if len(q) < 2:
        return []
    idx = _index()
    if q.isdigit():
        hits = idx[idx.code_insee.str.startswith(q)]
    else:
        starts, contains = idx.key.str.startswith(q), idx.key.str.contains(q, regex=False)
        hits = pd.concat([idx[starts].sort_values("population", ascending=False),
                          idx[contains & ~starts].sort_values("population", ascending=False)])
    # "search" lets the dropdown's own client-side filter match typed text with or without accents
    return [{"label": r.label, "value": r.code_insee, "search": f"{r.label} {r.key} {q}"}
            for r in hits.head(limit).itertuples()]


def commune_search(name: str, placeholder: str = "Rechercher une commune (nom ou code INSEE)…",
                   **dropdown_kwargs) -> dcc.Dropdown:
    return dcc.Dropdown(id={"type": "commune-search", "name": name}, options=[], placeholder=placeholder,
                        searchable=True, clearable=True, className="commune-search", labels=LABELS_FR,
                        **dropdown_kwargs)


@callback(Output({"type": "commune-search", "name": MATCH}, "options"),
          Input({"type": "commune-search", "name": MATCH}, "search_value"),
          State({"type": "commune-search", "name": MATCH}, "value"),
          prevent_initial_call=True)
def _update_options(search_value, value):
    if not search_value:
        return no_update
    options = search(search_value)
    if value and value not in {o["value"] for o in options} and value in set(_index().code_insee):
        row = _index().set_index("code_insee").loc[value]
        options.append({"label": row.label, "value": value, "search": row.label})  # keep the current choice visible
    return options
