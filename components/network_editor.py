"""Network editing panel of /couverture: add / retire / move a site, reset, with author and time, and history.

Moved as it was from ``pages/couverture.py`` (issue 12); the author is the signed-in editor
(issue 11, components/auth.py). Writes the network to the page's ``cov-network-store`` (see :func:`network_store`).
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from components import auth
from components import coverage_tables as ct
from components.commune_search import commune_search
from models.stores import network as netmod
from models.domain.territory import Territory

SITE_FIELDS = ["site_id", "code_insee", "nom", "commune", "lon", "lat"]


def network_store(net: netmod.Network) -> dict:
    """What the page keeps of a network version: version, label, codes and every site at its own coordinates."""
    sites = net.sites[SITE_FIELDS]
    return {"version": net.version, "codes": net.codes, "label": net.label, "sites": sites.to_dict("records")}


def _alert(text, color="danger"):
    return dbc.Alert(text, color=color, dismissable=True, className="mt-2")


def _network_rows(net):
    return net.sites.to_dict("records")


def _history_rows():
    h = netmod.history()
    if h.empty:
        return []
    names = Territory.from_geodata().names
    h["quand"] = h["created_at"].astype(str).str.slice(0, 16)
    h["commune"] = h["code_insee"].map(names)
    return h.sort_values("id", ascending=False)[["id", "quand", "author", "action_fr", "site_id", "commune"]] \
        .to_dict("records")


def network_tab(net):
    sites = [{"label": f"{r.commune} — {r.nom}", "value": r.site_id} for r in net.sites.itertuples()]
    return html.Div([
        dbc.Row([
            dbc.Col(html.Div(auth.status_text(), id="cov-author", className="small text-muted"), md=4),
            dbc.Col(html.Div(id="cov-network-label", children=net.label, className="fw-bold"), md=8),
        ], className="g-2 align-items-center"),
        dbc.Row([
            dbc.Col([html.Label("Ajouter un site", className="fw-bold"), commune_search("cov-add"),
                     dbc.Button("Ajouter", id="cov-add-btn", color="primary", size="sm", className="mt-1")], md=4),
            dbc.Col([html.Label("Site à retirer ou déplacer", className="fw-bold"),
                     dcc.Dropdown(id="cov-site", options=sites, placeholder="Choisir un site"),
                     dbc.Button("Retirer", id="cov-retire-btn", color="danger", size="sm", className="mt-1")], md=4),
            dbc.Col([html.Label("Déplacer vers la commune", className="fw-bold"), commune_search("cov-move"),
                     dbc.Button("Déplacer", id="cov-move-btn", color="primary", size="sm", className="mt-1 me-2"),
                     dbc.Button("Revenir au réseau de référence", id="cov-reset-btn", color="secondary", size="sm",
                                className="mt-1")], md=4),
        ], className="g-2 mt-1"),
        dcc.ConfirmDialog(id="cov-reset-confirm", message="Revenir au réseau de référence ? Les modifications "
                                                          "restent dans l'historique."),
        html.Div(id="cov-edit-message"),
        html.H3("Sites du réseau", className="h5 mt-2"),
        ct.grid("cov-network", ct.NETWORK_COLUMNS, "reseau_sites.csv", height=300, row_id="site_id",
                rowData=_network_rows(net)),
        dbc.Button("Exporter le réseau (CSV)", id="cov-export-network", color="secondary", size="sm",
                   className="mt-1"),
        html.H3("Historique des modifications", className="h5 mt-3"),
        ct.grid("cov-history", ct.HISTORY_COLUMNS, "reseau_historique.csv", height=220,
                rowData=_history_rows()),
    ])


@callback(Output("cov-reset-confirm", "displayed"), Input("cov-reset-btn", "n_clicks"), prevent_initial_call=True)
def ask_reset(_n):
    return True


@callback(Output("cov-network-store", "data"), Output("cov-edit-message", "children"),
          Output("cov-network", "rowData"), Output("cov-history", "rowData"), Output("cov-site", "options"),
          Output("cov-network-label", "children"),
          Input("cov-add-btn", "n_clicks"), Input("cov-retire-btn", "n_clicks"), Input("cov-move-btn", "n_clicks"),
          Input("cov-reset-confirm", "submit_n_clicks"), Input("cov-tabs", "active_tab"),
          State({"type": "commune-search", "name": "cov-add"}, "value"),
          State("cov-site", "value"), State({"type": "commune-search", "name": "cov-move"}, "value"),
          prevent_initial_call=True)
def edit_network(_add, _retire, _move, _reset, tab, add_code, site_id, move_code):
    """Add / retire / move / reset, persisted with author and time; also refreshes the tables on tab open."""
    trigger = ctx.triggered_id
    message = None
    try:
        # writing needs a signed-in editor (issue 11); the author of the edit is that account
        author = None if trigger == "cov-tabs" else auth.require_editor(netmod.NetworkEditError)
        if trigger == "cov-tabs":
            if tab != "reseau":
                return (no_update,) * 6
            net = netmod.current_network()
        elif trigger == "cov-add-btn":
            if not add_code:
                raise netmod.NetworkEditError("Choisissez la commune où ajouter un site.")
            net = netmod.add_site(add_code, author)
            message = "Site ajouté."
        elif trigger == "cov-retire-btn":
            if not site_id:
                raise netmod.NetworkEditError("Choisissez le site à retirer.")
            net = netmod.retire_site(site_id, author)
            message = "Site retiré."
        elif trigger == "cov-move-btn":
            if not site_id or not move_code:
                raise netmod.NetworkEditError("Choisissez le site et la commune de destination.")
            net = netmod.move_site(site_id, move_code, author)
            message = "Site déplacé."
        else:
            net = netmod.reset_to_reference(author)
            message = "Retour au réseau de référence (les modifications restent dans l'historique)."
    except netmod.NetworkEditError as err:
        return no_update, _alert(str(err), "warning"), no_update, no_update, no_update, no_update
    except Exception:  # noqa: BLE001 — database error: nothing written, say so
        return (no_update, _alert("La base de données n'a pas pu enregistrer la modification ; rien n'a été "
                                  "changé. Réessayez.", "danger"), no_update, no_update, no_update, no_update)
    options = [{"label": f"{r.commune} — {r.nom}", "value": r.site_id} for r in net.sites.itertuples()]
    msg = _alert(f"{message} Réseau : {net.label}.", "success") if message else None
    return network_store(net), msg, _network_rows(net), _history_rows(), options, net.label
