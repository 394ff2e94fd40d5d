"""Candidates panel of /classement: add a commune, the Petites villes de demain, or every commune above a
population threshold.

The candidates (ACV towns + added communes; "ACV + Petites villes de demain" adds the 141 PVD towns) live in the store ``cls-candidates``; the page's ranking callback
reads it. Codes are validated by :func:`models.domain.scoring.ranking_candidates`.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html, no_update

from components.commune_search import commune_search
from components.ranking_url import MAX_ADDED
from models.text import fr_format as F
from models.domain import scoring
from models.domain.scoring import ScoringError
from models.domain.territory import Territory
from components.territory import current_territory

POP_THRESHOLDS = [5000, 10000, 20000, 50000]


def candidates_panel(added: list[str]) -> html.Div:
    """Search box, population threshold and the list of added communes."""
    return html.Div([
        html.H2("Ajouter des communes", className="h5"),
        html.P("Les 25 villes Action Cœur de Ville sont candidates par défaut ; ajoutez-en d'autres.",
               className="small"),
        dbc.Button(f"ACV + Petites villes de demain ({len(current_territory().layer('pvd'))})", id="cls-add-pvd", color="secondary",
                   className="w-100 mb-1"),
        html.Div("Petites villes de demain : liste ANCT de janvier 2021 (première vague ; les labels plus récents "
                 "manquent). Beaucoup ont moins de 5 000 habitants : leur concept le dit.",
                 className="small text-muted mb-2"),
        commune_search("cls", placeholder="Rechercher une commune (nom ou code)…"),
        dbc.Button("Ajouter cette commune", id="cls-add", color="primary", className="w-100 mt-1 mb-2"),
        html.Label("Ou toutes les communes d'au moins", className="small fw-bold", htmlFor="cls-pop-min"),
        dbc.InputGroup([
            dbc.Select(id="cls-pop-min", value="10000",
                       options=[{"label": f"{F.num(p)} habitants", "value": str(p)}
                                for p in POP_THRESHOLDS]),
            dbc.Button("Ajouter", id="cls-add-pop", color="secondary"),
        ], className="mb-1"),
        html.Div(id="cls-pop-count", className="small text-muted"),
        dbc.Button("Retirer les communes ajoutées", id="cls-clear", color="link", className="p-0 mt-1"),
        html.Div(id="cls-add-msg", className="mt-1", role="status"),
        html.Div(id="cls-added-list", className="small mt-1", children=_added_text(added)),
    ], className="map-panel mb-3")


def _added_text(added) -> str:
    if not added:
        return "Aucune commune ajoutée."
    names = [Territory.from_geodata().names[c] for c in added]
    shown = ", ".join(names[:12]) + (f" … (+{len(names) - 12})" if len(names) > 12 else "")
    return f"{F.plural(len(added), 'commune ajoutée', 'communes ajoutées')} : {shown}"


@callback(Output("cls-candidates", "data"), Output("cls-add-msg", "children"), Output("cls-added-list", "children"),
          Input("cls-add", "n_clicks"), Input("cls-add-pop", "n_clicks"), Input("cls-clear", "n_clicks"),
          Input("cls-add-pvd", "n_clicks"),
          State({"type": "commune-search", "name": "cls"}, "value"), State("cls-pop-min", "value"),
          State("cls-candidates", "data"), prevent_initial_call=True)
def change_candidates(_add, _add_pop, _clear, _add_pvd, code, pop_min, added):
    added = list(added or [])
    acv = set(scoring.acv_codes())
    trigger = ctx.triggered_id
    if trigger == "cls-clear":
        return [], dbc.Alert("Communes ajoutées retirées.", color="info", duration=4000), _added_text([])
    if trigger == "cls-add":
        if not code:
            return no_update, dbc.Alert("Choisissez d'abord une commune dans la recherche.", color="warning"), no_update
        try:
            scoring.ranking_candidates([code])
        except ScoringError as err:
            return no_update, dbc.Alert(str(err), color="warning"), no_update
        name = Territory.from_geodata().names[code]
        if code in acv or code in added:
            return no_update, dbc.Alert(f"{name} est déjà candidate.", color="info", duration=4000), no_update
        new = [code]
    elif trigger == "cls-add-pvd":
        new = [c for c in current_territory().layer("pvd")["code_insee"] if c not in acv and c not in added]
        if not new:
            return no_update, dbc.Alert("Les Petites villes de demain sont déjà candidates.", color="info",
                                        duration=4000), no_update
    else:
        try:
            threshold = int(pop_min)
        except (TypeError, ValueError):
            return no_update, dbc.Alert("Seuil de population invalide.", color="warning"), no_update
        com = current_territory().communes
        big = com.loc[com["population"] >= threshold].sort_values("population", ascending=False)
        new = [c for c in big["code_insee"] if c not in acv and c not in added]
        if not new:
            return no_update, dbc.Alert("Aucune nouvelle commune à ajouter.", color="info", duration=4000), no_update
    if len(added) + len(new) > MAX_ADDED:
        return no_update, dbc.Alert(f"Au plus {MAX_ADDED} communes ajoutées.", color="warning"), no_update
    added += new
    return added, dbc.Alert(f"{F.plural(len(new), 'commune ajoutée', 'communes ajoutées')}.", color="success",
                            duration=4000), _added_text(added)


@callback(Output("cls-pop-count", "children"), Input("cls-pop-min", "value"))
def count_big_communes(pop_min):
    try:
        threshold = int(pop_min)
    except (TypeError, ValueError):
        return ""
    com = current_territory().communes
    n = int(((com["population"] >= threshold) & ~com["is_acv"]).sum())
    return f"{F.plural(n, 'commune')} hors Action Cœur de Ville {'atteint' if n <= 1 else 'atteignent'} ce seuil."
