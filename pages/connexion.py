"""/connexion — sign-in of the editors (accounts: ``python -m models.users add NOM``). Reading needs no account.

A plain HTML form posted to ``/auth/connexion`` (components/auth.py) with the session's CSRF token.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components import auth

dash.register_page(__name__, path="/connexion", name="Connexion", order=99,
                   title="Connexion — Atlas Cœur des territoires")

ERRORS = {"identifiants": "Nom ou mot de passe incorrect (ou compte désactivé).",
          "session": "Session expirée : rechargez la page puis reconnectez-vous.",
          "trop": "Trop de tentatives de connexion en peu de temps : patientez une minute avant de réessayer.",
          "base": "Connexion impossible pour l'instant : la base de données ne répond pas. La consultation continue ; "
                  "réessayez dans quelques instants."}


def _first(value) -> str:
    return str(value[0] if isinstance(value, list) and value else value or "")[:40]


def layout(erreur=None, **_query):
    editor = auth.current_editor()
    status = dbc.Alert(auth.status_text(), color="info")
    if editor and editor != auth.LOCAL_EDITOR:
        return dbc.Container([html.H1("Connexion", className="h3"), status, html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=auth.csrf_token()),
            dbc.Button("Se déconnecter", type="submit", color="secondary"),
        ], method="POST", action="/auth/deconnexion")], className="py-3", style={"maxWidth": "36rem"})
    message = ERRORS.get(_first(erreur))
    return dbc.Container([
        html.H1("Connexion des éditeurs", className="h3"),
        status,
        dbc.Alert(message, color="danger") if message else None,
        html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=auth.csrf_token()),
            dbc.Label("Nom du compte", html_for="login-name"),
            dbc.Input(id="login-name", name="nom", maxLength=60, autoComplete="username", className="mb-2"),
            dbc.Label("Mot de passe", html_for="login-password"),
            dbc.Input(id="login-password", name="mot_de_passe", type="password", maxLength=200,
                      autoComplete="current-password", className="mb-3"),
            dbc.Button("Se connecter", type="submit", color="primary"),
        ], method="POST", action="/auth/connexion"),
        html.P("Les comptes sont créés par l'administrateur sur le serveur : python -m models.users add NOM.",
               className="text-muted small mt-3"),
    ], className="py-3", style={"maxWidth": "36rem"})
