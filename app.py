"""Atlas Cœur des territoires — Dash shell: navbar, footer, global stores. Pages live in pages/.

Run: ``make run`` (development) or ``gunicorn app:server`` (production).
"""
from __future__ import annotations

import logging
import os

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

import geodata
from components import data_routes, errors
from components.attributions import footer_attributions
from components.navbar import nav_entries, navbar


geodata.load_all()  # read every dataset once, at start, not on a user's first click

app = Dash(
    __name__,
    use_pages=True,
    compress=True,
    suppress_callback_exceptions=True,
    title="Atlas Cœur des territoires — Cnam Grand Est",
    update_title=None,
    on_error=errors.on_callback_error,
    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
)
server = app.server
# dcc.Graph uses window.Plotly when it exists: our smaller plotly.js bundle in assets/ (see
# scripts/build_plotly_bundle.sh) replaces the full plotly.min.js, so Dash must not load that one too.
dcc._js_dist[:] = [d for d in dcc._js_dist if d.get("namespace") != "plotly"]
data_routes.register(server)
errors.register_server_errors(server)
NAV = nav_entries()  # (label, path) of every page, from dash.page_registry (components/navbar.py)


def footer() -> html.Footer:
    return html.Footer(footer_attributions(), className="atlas-footer")


app.layout = html.Div([
    dcc.Location(id="app-url"),
    navbar(),
    dbc.Alert(id="app-error", is_open=False, dismissable=True, color="danger", className="m-2"),
    html.Main(dash.page_container, className="atlas-page"),
    footer(),
])

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")),
            debug=os.environ.get("DASH_DEBUG") == "1")
