"""The app's navbar: one link per page of ``dash.page_registry``, a menu that collapses at phone width, and the
"Mode présentation" switch (large type for a projector).

Presentation mode is a class on ``<body>`` (``presentation``) that ``assets/20_presentation.css`` uses. It is
turned on by the switch or by the URL flag ``?presentation=1`` (``?presentation=0`` turns it off), kept for the
browser tab (sessionStorage) and carried by the navbar links, so it survives navigation.

Sign-in: the "Connexion" link carries the page and state the user is on (``/connexion?next=…``), so signing in
brings them back there; once signed in, the navbar names the editor and offers "Déconnexion" (a POST form with
the session's CSRF token, back to the same page) in place of "Connexion". The app builds the navbar for each
page load (``navbar(auth.current_editor())``): signing in and out are full page loads.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, clientside_callback, dcc, html

from components import auth
from components import french_defaults  # noqa: F401 — French labels of every dropdown

BRAND = "Atlas Cœur des territoires · Cnam Grand Est"
LINK = "nav-link"
SIGN_IN = "/connexion"


def nav_entries() -> list[tuple[str, str]]:
    """(label, path) of every page with a fixed path, in registry order (pages set ``order``); no 404 page, no
    page registered with ``nav=False``."""
    pages = [p for p in dash.page_registry.values()
             if not p.get("path_template") and not p["module"].endswith("not_found_404") and p.get("nav", True)]
    pages.sort(key=lambda p: p.get("order") if isinstance(p.get("order"), (int, float)) else 50)  # stable
    return [(p["name"], p["path"]) for p in pages]


def _account(editor: str) -> dbc.NavItem:
    """Who is signed in, and the sign-out button (POST with the CSRF token, back to the page shown)."""
    return dbc.NavItem(html.Form([
        html.Span([html.Span("Connecté : ", className="visually-hidden"), html.Strong(editor)], id="nav-editor",
                  title=f"Connecté en tant que {editor}", className="navbar-text text-truncate me-1",
                  style={"color": "rgba(255, 255, 255, 0.9)", "maxWidth": "14rem"}),
        dcc.Input(type="hidden", name="csrf_token", value=auth.csrf_token()),
        dcc.Input(type="hidden", name="next", value="/", id="nav-logout-next"),
        html.Button("Déconnexion", type="submit", className="nav-link btn btn-link text-nowrap", id="nav-logout"),
    ], method="POST", action="/auth/deconnexion", className="d-flex align-items-center ms-lg-2 nav-account"))


def navbar(editor: str | None = None) -> html.Div:
    """The navbar component (place it once, in the app layout). ``editor``: the signed-in account's name (the
    navbar then shows it and "Déconnexion" instead of "Connexion")."""
    signed_in = bool(editor) and editor != auth.LOCAL_EDITOR
    links = [_account(editor) if path == SIGN_IN and signed_in
             else dbc.NavItem(dbc.NavLink(label, href=path, id={"type": LINK, "path": path}))
             for label, path in nav_entries()]
    switch = dbc.Switch(id="presentation-toggle", label="Mode présentation", value=False,
                        className="presentation-switch mb-0", input_class_name="me-1")
    panels = dbc.Button("Masquer les panneaux", id="panel-toggle", size="sm", color="light", outline=True,
                        className="panel-toggle ms-lg-2")
    toggler = html.Button(html.Span(className="navbar-toggler-icon"), id="nav-toggler", type="button",
                          className="navbar-toggler", **{"aria-label": "Ouvrir le menu",
                                                         "aria-controls": "nav-collapse", "aria-expanded": "false"})
    return html.Div([
        dcc.Location(id="nav-url", refresh=False),
        dbc.Navbar(dbc.Container([
            dbc.NavbarBrand(BRAND, href="/", id="nav-brand"),
            toggler,
            dbc.Collapse(dbc.Nav([*links, dbc.NavItem(switch, className="d-flex align-items-center ms-lg-3"),
                                  dbc.NavItem(panels, className="d-flex align-items-center")],
                                 navbar=True, className="ms-auto"),
                         id="nav-collapse", navbar=True, is_open=False),
        ], fluid=True), className="atlas-navbar", dark=True, color="#1d3557", expand="lg"),
    ])


clientside_callback(  # the burger button opens and closes the menu at phone width, and says so
    """function(n, open) {
        const next = n ? !open : open;
        return [next, next ? "true" : "false", next ? "Fermer le menu" : "Ouvrir le menu"];
    }""",
    Output("nav-collapse", "is_open"), Output("nav-toggler", "aria-expanded"), Output("nav-toggler", "aria-label"),
    Input("nav-toggler", "n_clicks"), State("nav-collapse", "is_open"), prevent_initial_call=True)

clientside_callback(  # signing out comes back to the page shown
    "function(path, search) { return (path || '/') + (search || ''); }",
    Output("nav-logout-next", "value"), Input("nav-url", "pathname"), Input("nav-url", "search"))

clientside_callback(  # presentation mode: hide or show the side panels (layer panel, sliders)
    """function(n) {
        const hidden = document.body.classList.toggle("panels-hidden", n % 2 === 1);
        window.dispatchEvent(new Event("resize"));
        return hidden ? "Afficher les panneaux" : "Masquer les panneaux";
    }""",
    Output("panel-toggle", "children"), Input("panel-toggle", "n_clicks"), prevent_initial_call=True)

clientside_callback(  # URL flag, else what this tab chose before → the switch
    """function(search) {
        const flag = new URLSearchParams(search || "").get("presentation");
        if (flag === "1" || flag === "0") { sessionStorage.setItem("atlas-presentation", flag); }
        return sessionStorage.getItem("atlas-presentation") === "1";
    }""",
    Output("presentation-toggle", "value"), Input("nav-url", "search"))

clientside_callback(  # the switch → body class, remembered for the tab, carried by the navbar links; the
    # "Connexion" link carries the page and state shown (?next=…), so that signing in comes back to them
    """function(on, pathname, search, ids) {
        const was = document.body.classList.contains("presentation");
        document.body.classList.toggle("presentation", !!on);
        if (!on) { document.body.classList.remove("panels-hidden"); }
        sessionStorage.setItem("atlas-presentation", on ? "1" : "0");
        if (was !== !!on) { window.dispatchEvent(new Event("resize")); }  // charts refit to the new type size
        const here = (pathname || "/") + (search || "");
        const signIn = here === "/" ? "/connexion" : "/connexion?next=" + encodeURIComponent(here);
        const hrefs = ids.map(id => id.path === "/connexion" ? (pathname === "/connexion" ? here : signIn)
                                                             : (on ? id.path + "?presentation=1" : id.path));
        const classes = ids.map(id => id.path === pathname ? "active" : "");
        return [hrefs, classes, on ? "/?presentation=1" : "/"];
    }""",
    Output({"type": LINK, "path": ALL}, "href"), Output({"type": LINK, "path": ALL}, "class_name"),
    Output("nav-brand", "href"),
    Input("presentation-toggle", "value"), Input("nav-url", "pathname"), Input("nav-url", "search"),
    State({"type": LINK, "path": ALL}, "id"))
