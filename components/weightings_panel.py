"""Named weightings of /classement: save the current weights (a signed-in editor), reload one (everyone).

Stored by :mod:`models.stores.weightings` in the shared database; the author of a save is the signed-in account.
"""
from __future__ import annotations

import logging

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from components import auth
from components.errors import log_failure
from components.ranking_url import values_by_key
from models.domain import scoring
from models.domain.scoring import KEYS
from models.stores.weightings import WeightingError, default_store

log = logging.getLogger("atlas")
WEIGHT_IDS = {"type": "cls-weight", "key": ALL}
DIR_IDS = {"type": "cls-dir", "key": ALL}


def weightings_panel() -> html.Div:
    """Save the current weights under a name (editors), reload a saved weighting (everyone)."""
    return html.Div([
        html.H2("Pondérations enregistrées", className="h5"),
        dbc.Input(id="cls-save-name", placeholder="Nom de la pondération", maxLength=200, className="mb-1"),
        html.Div(auth.status_text(), id="cls-save-author", className="small text-muted mb-1"),
        dbc.Button("Enregistrer les poids actuels", id="cls-save", color="primary", className="w-100 mb-2"),
        dcc.Dropdown(id="cls-saved", placeholder="Choisir une pondération enregistrée…", options=[],
                     className="mb-1"),
        dbc.Button("Charger", id="cls-load", color="secondary", className="w-100"),
        html.Div(id="cls-weighting-msg", className="mt-2", role="status"),
    ], className="map-panel mb-3")


def _store():
    return default_store()


def _saved_options() -> list[dict]:
    return [{"label": f"{w.title} — {w.author or 'anonyme'}, {w.created_at:%d/%m/%Y %H:%M}", "value": w.id}
            for w in _store().list()]


@callback(Output("cls-saved", "options"), Input("cls-page", "id"))
def list_weightings(_):
    try:
        return _saved_options()
    except Exception:  # noqa: BLE001 — the database may be unavailable: the ranking still works
        log_failure("Liste des pondérations indisponible")
        return []


@callback(Output("cls-weighting-msg", "children"), Output("cls-saved", "options", allow_duplicate=True),
          Input("cls-save", "n_clicks"), State("cls-save-name", "value"),
          State(WEIGHT_IDS, "value"), State(DIR_IDS, "value"), State("cls-missing", "value"),
          prevent_initial_call=True)
def save_weighting(_n, name, _weights, _dirs, missing):
    """Saving shared state needs a signed-in editor: the author is the account, not a typed name."""
    weights, directions = values_by_key(ctx.states_list[1]), values_by_key(ctx.states_list[2])
    try:
        author = auth.require_editor(WeightingError)
        saved = _store().save(name, weights, directions, missing, author=author)
    except WeightingError as err:
        return dbc.Alert(str(err), color="warning"), no_update
    return (dbc.Alert(f"Pondération « {saved.title} » enregistrée.", color="success", duration=6000),
            _saved_options())


@callback(Output(WEIGHT_IDS, "value"), Output(DIR_IDS, "value"), Output("cls-missing", "value"),
          Output("cls-weighting-msg", "children", allow_duplicate=True),
          Input("cls-load", "n_clicks"), Input("cls-reset", "n_clicks"), State("cls-saved", "value"),
          prevent_initial_call=True)
def load_weighting(_load, _reset, weighting_id):
    n = len(KEYS)
    if ctx.triggered_id == "cls-reset":
        w, d = scoring.check_weights()
        return [w[k] for k in KEYS], [d[k] for k in KEYS], "renormalise", None
    if not weighting_id:
        return [no_update] * n, [no_update] * n, no_update, dbc.Alert("Choisissez une pondération.", color="warning")
    try:
        saved = _store().load(weighting_id)
    except WeightingError as err:
        return [no_update] * n, [no_update] * n, no_update, dbc.Alert(str(err), color="warning")
    return ([saved.weights[k] for k in KEYS], [saved.directions[k] for k in KEYS], saved.missing_rule,
            dbc.Alert(f"Pondération « {saved.title} » chargée.", color="success", duration=6000))
