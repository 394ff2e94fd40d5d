"""Unknown URL: a French "page introuvable" with a way back and a commune search."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html, no_update

from components.commune_search import commune_search

dash.register_page(__name__, title="Page introuvable — Atlas Cœur des territoires")


def layout(**_query):
    return dbc.Container([
        dcc.Location(id="nf-nav", refresh="callback-nav"),
        html.H1("Page introuvable", className="mt-4"),
        html.P("L'adresse demandée ne correspond à aucune page de l'atlas. Elle a peut-être été mal copiée, "
               "ou la page n'existe pas (encore).", className="lead"),
        html.P(["Vous pouvez revenir à la ", dcc.Link("carte régionale", href="/"),
                " ou ouvrir la fiche d'une commune :"]),
        html.Div(commune_search("notfound"), style={"maxWidth": "32rem"}),
    ], id="not-found", className="py-4")


@callback(Output("nf-nav", "pathname"), Input({"type": "commune-search", "name": "notfound"}, "value"),
          prevent_initial_call=True)
def open_profile(code):
    return f"/ville/{code}" if code else no_update
