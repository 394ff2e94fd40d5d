"""Atlas Cœur des territoires — Dash shell: navbar, footer, global stores. Pages live in pages/.

Run: ``make run`` (development) or ``gunicorn app:server`` (production).
"""
from __future__ import annotations

import logging
import os

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from components import auth, data_routes, errors, guard, jobs, security
from components.attributions import footer_attributions
from components.navbar import nav_entries, navbar
from models.loaders import data_health
from models.stores import users


# read every dataset once, at start (not on a user's first click), and check it: a damaged geodata/ gives the
# French "données indisponibles" page on every URL instead of a traceback (models/loaders/data_health.py)
# (schemas, value ranges, parameters and travel calibration too; every problem is logged, the first one shown)
DATA_PROBLEM = data_health.check()

app = Dash(
    __name__,
    use_pages=DATA_PROBLEM is None,
    compress=True,
    suppress_callback_exceptions=True,
    title="Atlas Cœur des territoires — Cnam Grand Est",
    update_title=None,
    on_error=errors.on_callback_error,
    background_callback_manager=jobs.MANAGER,  # heavy callbacks (optimiser) in background processes (issue 19)
    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
)
server = app.server
# every page is French: screen readers and translators read it as such (WCAG 3.1.1, RGAA 8.3)
app.index_string = app.index_string.replace("<html>", '<html lang="fr">', 1)
# dcc.Graph uses window.Plotly when it exists: our smaller plotly.js bundle in assets/ (see
# scripts/build_plotly_bundle.sh) replaces the full plotly.min.js, so Dash must not load that one too.
dcc._js_dist[:] = [d for d in dcc._js_dist if d.get("namespace") != "plotly"]
data_routes.register(server)
errors.register_server_errors(server)
auth.init_app(server)
security.register(app)
NAV = nav_entries()  # (label, path) of every page, from dash.page_registry (components/navbar.py)


def footer() -> html.Footer:
    return html.Footer(footer_attributions(), className="atlas-footer")


if DATA_PROBLEM:
    app.layout = guard.data_unavailable(DATA_PROBLEM.message)
else:
    guard.guard_layouts(dash.page_registry)  # query parsed at the edge, French page if a layout fails

    def shell() -> html.Div:
        """The app's frame, built for each page load: the navbar names the signed-in editor, if any."""
        return html.Div([
            dcc.Location(id="app-url"),
            navbar(auth.current_editor()),
            guard.db_banner(),
            dbc.Alert(id="app-error", is_open=False, dismissable=True, color="danger", className="m-2"),
            html.Main(dash.page_container, className="atlas-page"),
            footer(),
        ])

    app.layout = shell

if __name__ == "__main__":
    from werkzeug.serving import WSGIRequestHandler

    logging.basicConfig(level=logging.INFO)
    WSGIRequestHandler.version_string = lambda _self: "atlas"  # no "Werkzeug/… Python/…" Server header
    host = os.environ.get("HOST", "127.0.0.1")
    if host not in ("127.0.0.1", "localhost", "::1") and not users.has_accounts():
        logging.getLogger("atlas").warning("Aucun compte éditeur : l'atlas n'écoute que sur 127.0.0.1 (modification "
                                           "ouverte sur ce poste uniquement). Créez un compte : python -m models.users add NOM")
        host = "127.0.0.1"
    server.test_client().get("/_dash-dependencies")  # Dash's one-time set-up before the server's threads start
    jobs.start_launcher()  # background jobs forked from a single-threaded process, not from the server's threads
    app.run(host=host, port=int(os.environ.get("PORT", "8050")),
            debug=os.environ.get("DASH_DEBUG") == "1")
