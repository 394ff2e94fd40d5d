"""/connexion — sign-in of the editors (accounts are made by the administrator on the server, see README).
Reading needs no account.

A plain HTML form posted to ``/auth/connexion`` (components/auth.py) with the session's CSRF token and ``next``,
the page (and its state) the user came from, validated by :func:`components.auth.local_path`: signing in brings
the user back there. The navbar's "Connexion" link carries it (``/connexion?next=/simulateur%3Fville%3D…``).
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, clientside_callback, dcc, html

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


def layout(erreur=None, next=None, **_query):  # noqa: A002 — the query parameter's name
    editor = auth.current_editor()
    back = auth.local_path(str(next or ""))
    status = dbc.Alert(auth.status_text(), color="info")
    if editor and editor != auth.LOCAL_EDITOR:
        return dbc.Container([html.H1("Connexion", className="h3"), status, html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=auth.csrf_token()),
            dcc.Input(type="hidden", name="next", value=back),
            dbc.Button("Se déconnecter", type="submit", color="secondary"),
        ], method="POST", action="/auth/deconnexion")], className="py-3", style={"maxWidth": "36rem"})
    message = ERRORS.get(_first(erreur))
    return dbc.Container([
        html.H1("Connexion des éditeurs", className="h3"),
        status,
        dbc.Alert(message, color="danger") if message else None,
        html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=auth.csrf_token()),
            dcc.Input(type="hidden", name="next", value=back, id="login-next"),
            dbc.Label("Nom du compte", html_for="login-name"),
            dbc.Input(id="login-name", name="nom", maxLength=60, autoComplete="username", className="mb-2"),
            dbc.Label("Mot de passe", html_for="login-password"),
            dbc.Input(id="login-password", name="mot_de_passe", type="password", maxLength=200,
                      autoComplete="current-password", className="mb-3"),
            dbc.Button("Se connecter", type="submit", color="primary"),
        ], method="POST", action="/auth/connexion"),
        html.P("Pas encore de compte ? Demandez un compte éditeur à l'administrateur de l'atlas.",
               className="text-muted small mt-3"),
    ], className="py-3", style={"maxWidth": "36rem"})


# the query text reaching layout() is capped (models/text/inputs.py); the form takes the whole ``next`` from the
# address bar instead, so a long simulator state comes back whole (the server validates it on sign-in)
clientside_callback(
    """function(search) {
        const next = new URLSearchParams(search || "").get("next");
        return next && next.length <= 1000 ? next : window.dash_clientside.no_update;
    }""",
    Output("login-next", "value"), Input("app-url", "search"))
