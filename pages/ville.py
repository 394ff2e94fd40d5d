"""/ville/<code_insee> — the town profile (fiche ville) an elected official reads, prints and shares.

Model calls: :func:`models.domain.town_profile.profile`, :func:`models.concept_fit.concept_fit`, ``verdict``; "En bref",
access and comparison blocks: components/town_brief.py (``?comparer=<code_insee>`` shows two towns side by side).
Figures: components/town_blocks.py, components/town_map.py. Exports: print (assets/print.css), CSV of the
indicators (one row per indicator with its source and date), standalone offline HTML map (folium).
A bad code never raises: a French message with the commune search box.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from components.commune_search import commune_search
from components import town_blocks as B
from components import town_brief as brief
from components import town_demand
from components.town_exports import csv_export, html_export
from components.errors import log_failure
from components.town_map import town_map_figure
from models.domain.concept_fit import concept_fit, suggest_concept, verdict
from models.domain.partners import UnknownCommune, commune_row
from models.domain.territory import sites_key
from models.text.inputs import first
from models.domain.town_profile import profile, warm
from components.territory import region_name
from models.stores.network import current_network, one_network_read

warm()  # département / region references, computed once per process

log = logging.getLogger("atlas.ville")
SEARCH = {"type": "commune-search", "name": "ville"}


def _title(code_insee=None, **_):
    try:
        return f"{commune_row(code_insee).nom} — Fiche ville — Atlas Cœur des territoires"
    except Exception:  # noqa: BLE001 — a title never breaks the page
        return "Fiche ville — Atlas Cœur des territoires"


dash.register_page(__name__, path_template="/ville/<code_insee>", name="Fiche ville", title=_title,
                   description=f"Diagnostic territorial d'une commune du {region_name()}")


def _not_found(message: str) -> html.Div:
    return dbc.Container([
        dcc.Location(id="ville-nav", refresh="callback-nav"),
        html.H1("Commune introuvable", className="mt-3"),
        dbc.Alert(message, color="warning", id="ville-erreur", className="fs-5"),
        html.P("Cherchez la commune par son nom ou son code INSEE :", className="fw-bold"),
        html.Div(commune_search("ville"), style={"maxWidth": "640px"}),
        html.P(["Ou revenez à la ", dcc.Link("carte régionale", href="/"), "."], className="mt-3"),
    ], id="ville-introuvable", className="py-3")


def _rank(code: str):
    try:
        return brief.ranking_position(code)
    except Exception:  # noqa: BLE001 — the rank is a pointer, the profile stands without it
        log_failure("rang %r", code)
        return None


def _comparison(p, v, other) -> list:
    """The comparison block for ``?comparer=<code>``, or a French warning for a bad code."""
    if not other:
        return []
    try:
        q = profile(str(other).strip()[:20])
    except UnknownCommune as err:
        return [dbc.Alert(f"Comparaison impossible : {err}", color="warning", id="ville-compare-erreur")]
    return [brief.compare_block(p, q, v, verdict(q.code_insee))]


PAGE_CACHE_SIZE = 128  # pages kept per worker process (≈ 85 KB of JSON each for a town of 20,000 people)
_pages: OrderedDict = OrderedDict()
_pages_lock = threading.Lock()
_network_keys: dict = {}


def _network_key() -> tuple:
    """What the page reads of the database: the current network's sites (the one network key, the profile's cache
    key too) and whether it was readable."""
    net = current_network()  # the same object until the network changes (models/stores/network.py keeps it)
    last = _network_keys.get("last")
    if last is not None and last[0] is net:
        return last[1]
    key = (net.unavailable, sites_key(net.sites))
    _network_keys["last"] = (net, key)
    return key


def layout(code_insee: str | None = None, comparer=None, **_query):
    """The page of one town, built once per (town, comparison, network, day) and kept serialised (issue 19: under
    load a town page cost ~40 ms of CPU to build and encode, now a dictionary look-up and a JSON dump of plain data).

    The cached value is the page's Dash JSON (what the renderer receives), so two requests never share a mutable
    component tree; an unknown commune or a failed build is not cached."""
    with one_network_read():  # one version of the network for the key and every fact of the page
        key = (str(code_insee).strip()[:20] if code_insee is not None else "", repr(comparer)[:60],
               date.today().toordinal(), _network_key())
        with _pages_lock:
            hit = _pages.get(key)
            if hit is not None:
                _pages.move_to_end(key)
                return hit
        page, ok = _build(code_insee, comparer)
    if not ok:
        return page
    from dash._utils import to_json  # the encoder Dash itself answers with (plotly's: NaN → null, numpy arrays…)

    data = json.loads(to_json(page))
    with _pages_lock:
        _pages[key] = data
        while len(_pages) > PAGE_CACHE_SIZE:
            _pages.popitem(last=False)
    return data


def _build(code_insee, comparer) -> tuple:
    """(page, True) or (French "introuvable" page, False)."""
    try:
        p = profile(str(code_insee).strip() if code_insee is not None else "")
        fits, suggestion, v = concept_fit(p.code_insee), suggest_concept(p.code_insee), verdict(p.code_insee)
    except UnknownCommune as err:
        return _not_found(f"{err} Vérifiez l'adresse, ou choisissez une commune ci-dessous."), False
    except Exception:  # noqa: BLE001 — never a stack trace in the browser
        log_failure("fiche ville %r", code_insee)
        return _not_found("La fiche de cette commune n'a pas pu être préparée. Réessayez ou choisissez une autre "
                          "commune."), False

    toolbar = html.Div([
        dbc.Button("Imprimer / PDF", id="ville-print", color="secondary", className="me-2"),
        dbc.Button("Indicateurs (CSV)", id="ville-csv-btn", color="secondary", className="me-2"),
        dbc.Button("Carte des partenaires (HTML)", id="ville-html-btn", color="secondary", className="me-2"),
        html.Div(commune_search("ville", placeholder="Autre commune…"), className="ville-search"),
        html.Div(commune_search("ville-comparer", placeholder="Comparer avec…"), className="ville-search"),
        dcc.Download(id="ville-csv"), dcc.Download(id="ville-html"),
        html.Div(id="ville-export-msg", className="w-100"),
    ], className="ville-toolbar d-print-none")
    map_block = B.block("Carte de la commune et de ses partenaires", [
        dcc.Graph(id="ville-map", figure=town_map_figure(p), config={"scrollZoom": True, "displaylogo": False},
                  className="screen-only"),
        html.Div(id="ville-print-map", className="print-only print-map"),  # filled after the page (fill_print_map)
        html.P("Missions locales placées à la mairie de leur commune ; sites du Cnam à leur adresse (liste MESR) ou à "
               "la mairie (sites attestés par la presse, sites ajoutés). Fond neutre, sans réseau.", className="ville-note"),
    ], "ville-carte")
    return html.Div([
        dcc.Location(id="ville-nav", refresh="callback-nav"),
        dcc.Store(id="ville-code", data=p.code_insee),
        dcc.Store(id="ville-compare-code", data=str(comparer or "")[:20]),
        toolbar,
        B.header(p, brief.en_bref(p, v, _rank(p.code_insee))),
        *_comparison(p, v, first(comparer)),
        *([town_demand.table(p.code_insee)] if v.status != "trop_petite" else []),
        map_block,
        B.concept_cards(p.code_insee, fits, suggestion),
        B.block("Diagnostic territorial", [B.key_figures(p), B.diagnostic_table(p)], "ville-diagnostic-block",
                "Chaque chiffre avec sa source et sa date, comparé au département et à la région."),
        B.trend_block(p),
        B.bmo_block(p),
        B.catchment_block(p),
        brief.access_block(p),
        B.partners_block(p),
        B.sources_block(),
        html.P(f"Fiche générée le {date.today().strftime('%d/%m/%Y')} — Atlas Cœur des territoires, Cnam Grand Est.",
               className="ville-note print-only"),
    ], className="ville-page", id="ville-page"), True


@callback(Output("ville-nav", "pathname"), Input(SEARCH, "value"), prevent_initial_call=True)
def open_other_town(code):
    try:
        return f"/ville/{commune_row(code).code_insee}" if code else no_update
    except UnknownCommune:
        return no_update


@callback(Output("ville-nav", "href"), Input({"type": "commune-search", "name": "ville-comparer"}, "value"),
          State("ville-code", "data"), prevent_initial_call=True)
def compare_with(code, current):
    try:
        return f"/ville/{current}?comparer={commune_row(code).code_insee}" if code and current else no_update
    except UnknownCommune:
        return no_update


@callback(Output("ville-csv", "data"), Output("ville-export-msg", "children", allow_duplicate=True),
          Input("ville-csv-btn", "n_clicks"), State("ville-code", "data"), prevent_initial_call=True)
def download_csv(n, code):
    if not n:
        return no_update, no_update
    try:
        return csv_export(code), None
    except Exception:  # noqa: BLE001
        log_failure("export CSV %r", code)
        return no_update, dbc.Alert("L'export CSV n'a pas pu être préparé. Réessayez.", color="danger")


@callback(Output("ville-html", "data"), Output("ville-export-msg", "children", allow_duplicate=True),
          Input("ville-html-btn", "n_clicks"), State("ville-code", "data"), prevent_initial_call=True)
def download_html(n, code):
    if not n:
        return no_update, no_update
    try:
        return html_export(code), None
    except Exception:  # noqa: BLE001
        log_failure("export HTML %r", code)
        return no_update, dbc.Alert("La carte HTML n'a pas pu être préparée. Réessayez.", color="danger")


@callback(Output("ville-print-map", "children"), Input("ville-code", "data"))
def fill_print_map(code):
    """The static map for print, sent just after the page so that the page itself stays fast."""
    try:
        return B.print_map(profile(code))
    except Exception:  # noqa: BLE001
        log_failure("carte imprimable %r", code)
        return html.P("Carte imprimable indisponible.", className="ville-note")


clientside_callback(
    "function(n) { if (n) { window.print(); } return window.dash_clientside.no_update; }",
    Output("ville-print", "n_clicks"), Input("ville-print", "n_clicks"), prevent_initial_call=True)
