"""Unknown URL: a French "page introuvable" with a way back (pages still in preparation say so)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

dash.register_page(__name__, title="Page introuvable — Atlas Cœur des territoires")


def layout(**_query):
    return dbc.Container([
        html.H1("Page introuvable", className="mt-4"),
        html.P("L'adresse demandée ne correspond à aucune page de l'atlas. Elle a peut-être été mal copiée, "
               "ou la page n'existe pas (encore).", className="lead"),
        html.P(["Vous pouvez revenir à la ", dcc.Link("carte régionale", href="/"),
                ", ou consulter la fiche d'une commune depuis la recherche de la carte."]),
    ], id="not-found", className="py-4")
