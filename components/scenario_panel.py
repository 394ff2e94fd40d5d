"""Scenario panel of /simulateur: save (versioned), list, load, delete (after a confirmation) and compare two.

The panel talks to the page through three stores: it reads ``sim-state`` (the simulation on screen) and writes
``sim-loaded`` (a scenario to show) and ``sim-saved`` (``{"id": …}`` after a save, ``{"deleted": …}`` after a
delete), which the page's state callback turns into state. Store: :mod:`models.stores.scenarios`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
from datetime import timezone
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update

from components import auth
from components import simulator_charts as charts
from components.errors import log_failure
from components.graph_config import graph
from components.kpi_cards import fr_euros, fr_number
from components.simulator_state import parameters
from models.stores.scenarios import ScenarioError, default_store, parse_scenario_id
from models.domain.simulator import CRUISING_YEAR, ParameterError, concept, concept_ids, make_parameters, simulate
from components.territory import current_territory

log = logging.getLogger("atlas.simulateur")
PARIS = ZoneInfo("Europe/Paris")
CURRENT = "courant"  # compare: the simulation on screen, saved or not
PICK = "Choisissez d'abord un scénario dans la liste."


def panel() -> dbc.Card:
    """The panel's widgets (its callbacks are registered when this module is imported)."""
    delete = dcc.ConfirmDialogProvider(
        dbc.Button("Supprimer", color="danger", outline=True, className="w-100"), id="sim-delete",
        message="Supprimer le scénario choisi ? Cette version sera effacée (les autres versions sont conservées).")
    return dbc.Card(dbc.CardBody([
        html.H3("Scénarios", className="h5"),
        dbc.Row([
            dbc.Col(dbc.Input(id="sim-scen-name", placeholder="Nom du scénario (obligatoire)", type="text"), md=5),
            dbc.Col(html.Div(auth.status_text(), id="sim-scen-author", className="small text-muted"), md=3),
            dbc.Col(dbc.Button("Enregistrer", id="sim-save", color="primary", className="w-100"), md=4),
        ], className="g-2 mb-2"),
        dbc.Textarea(id="sim-scen-note", placeholder="Note (facultative)", rows=2, className="mb-2"),
        html.Div(id="sim-scen-msg"),
        html.Div(id="sim-save-uncertain", role="status", **{"aria-live": "polite"}),
        # a save's idempotency key from the click to the server's answer (assets/24_save_watch.js)
        dcc.Store(id="sim-save-request"), dcc.Store(id="sim-save-ack"), dcc.Store(id="sim-save-busy", data=False),
        dcc.Store(id="sim-save-pending", storage_type="session"),
        dcc.Interval(id="sim-save-watch", interval=1000, disabled=True),
        dbc.Row([
            dbc.Col(dcc.Dropdown(id="sim-scen-pick", placeholder="Choisir un scénario enregistré…", options=[],
                                 searchable=True), md=6),
            dbc.Col(dbc.Button("Charger", id="sim-load", color="secondary", className="w-100"), md=3),
            dbc.Col(delete, md=3),
        ], className="g-2 mb-2"),
        html.Div(id="sim-scen-table", className="sim-scen-table"),
        html.H4("Comparer deux scénarios", className="h6 mt-3"),
        dbc.Row([dbc.Col(dcc.Dropdown(id="sim-cmp-a", placeholder="Scénario A…", options=[]), md=6),
                 dbc.Col(dcc.Dropdown(id="sim-cmp-b", placeholder="Scénario B…", options=[]), md=6)],
                className="g-2"),
    ]), className="h-100")


def paris_time(dt) -> str:
    """Saved times are UTC (SQLite gives them back naive): shown in French local time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def _town(code) -> str:
    com = current_territory().index
    return com.loc[code, "nom"] if code in com.index else "—"


def _concept_label(cid: str) -> str:
    return concept(cid).label if cid in concept_ids() else cid


def _table(scenarios) -> html.Div | dbc.Table:
    if not scenarios:
        return html.Small("Aucun scénario enregistré.", className="text-muted")
    head = html.Thead(html.Tr([html.Th(h) for h in ("n°", "Nom", "Version", "Auteur", "Concept", "Ville",
                                                    "Enregistré le", "Note")]))
    body = html.Tbody([html.Tr([
        html.Td(s.id), html.Td(s.name), html.Td(s.version), html.Td(s.author), html.Td(_concept_label(s.concept)),
        html.Td(_town(s.code_insee)), html.Td(paris_time(s.created_at)), html.Td(s.note)]) for s in scenarios[:50]])
    return dbc.Table([head, body], size="sm", striped=True, responsive=True, className="mb-0")


@callback(Output("sim-scen-pick", "options"), Output("sim-cmp-a", "options"), Output("sim-cmp-b", "options"),
          Output("sim-scen-table", "children"), Input("sim-scen-refresh", "data"))
def refresh_scenarios(_nonce):
    try:
        scenarios = default_store().list()
    except Exception:  # noqa: BLE001
        log_failure("simulateur: list")
        return [], [], [], dbc.Alert("Liste des scénarios indisponible (base de données).", color="danger")
    options = [{"label": f"n° {s.id} · {s.title} · {_concept_label(s.concept)} · "
                         f"{_town(s.code_insee) if s.code_insee else 'sans ville'}", "value": s.id} for s in scenarios]
    compare = [{"label": "Simulation en cours (à l'écran)", "value": CURRENT}] + options
    return options, compare, compare, _table(scenarios)


def client_key(request) -> str | None:
    """The idempotency key the page sent with a save (32 hex digits, assets/24_save_watch.js), or None."""
    key = request.get("key") if isinstance(request, dict) else None
    return key if isinstance(key, str) and len(key) == 32 and all(c in "0123456789abcdef" for c in key) else None


# click → {key, n} in sim-save-request (the same key while the same content is pending), read by save_scenario
clientside_callback(ClientsideFunction("scenarios", "saveClick"),
                    Output("sim-save-request", "data"), Output("sim-save-pending", "data"),
                    Input("sim-save", "n_clicks"), State("sim-scen-name", "value"), State("sim-scen-note", "value"),
                    State("sim-state", "data"), State("sim-save-pending", "data"), prevent_initial_call=True)
clientside_callback(ClientsideFunction("scenarios", "watchOn"), Output("sim-save-watch", "disabled"),
                    Input("sim-save-pending", "data"))
clientside_callback(ClientsideFunction("scenarios", "saveAck"),
                    Output("sim-save-pending", "data", allow_duplicate=True), Output("sim-save-uncertain", "children"),
                    Input("sim-save-ack", "data"), State("sim-save-pending", "data"), prevent_initial_call=True)
clientside_callback(ClientsideFunction("scenarios", "saveWatch"),
                    Output("sim-save-uncertain", "children", allow_duplicate=True),
                    Output("sim-save-pending", "data", allow_duplicate=True),
                    Output("sim-scen-refresh", "data", allow_duplicate=True),
                    Input("sim-save-watch", "n_intervals"), State("sim-save-pending", "data"),
                    State("sim-save-ack", "data"), State("sim-save-busy", "data"), State("sim-scen-refresh", "data"),
                    prevent_initial_call=True)


@callback(Output("sim-scen-msg", "children"), Output("sim-saved", "data"), Output("sim-scen-refresh", "data"),
          Output("sim-save-ack", "data"),
          Input("sim-save-request", "data"), State("sim-scen-name", "value"),
          State("sim-scen-note", "value"), State("sim-state", "data"), State("sim-scen-refresh", "data"),
          running=[(Output("sim-save-busy", "data"), True, False)], prevent_initial_call=True)
def save_scenario(request, name, note, state, nonce):
    """Saving shared state needs a signed-in editor: the author is the account (issue 11).

    Every answer names the request's key (``sim-save-ack``): the page then knows this save got its answer; a
    request sent again with the same key (its answer was lost) is recognised by the store and saved once."""
    ack = client_key(request)
    if not isinstance(state, dict) or not isinstance(state.get("concept"), str):
        return dbc.Alert("Simulation illisible : rechargez la page, puis enregistrez à nouveau.", color="danger",
                         dismissable=True), no_update, no_update, ack
    try:
        author = auth.require_editor(ScenarioError)
        # the key is the page's (one per click, the same for a retry of a pending save), bound to the author
        key = None if ack is None else hashlib.sha256(json.dumps([author, ack]).encode()).hexdigest()
        sid = default_store().save(name, state["concept"], state.get("overrides") or {}, author=author,
                                   note=note or "", code_insee=state.get("ville"), request_key=key)
        sc = default_store().load(sid)
    except ScenarioError as exc:
        return dbc.Alert(str(exc), color="danger", dismissable=True), no_update, no_update, ack
    except Exception:  # noqa: BLE001
        log_failure("simulateur: save")
        return dbc.Alert("Enregistrement impossible (base de données) ; rien n'a été perdu, réessayez.",
                         color="danger", dismissable=True), no_update, no_update, ack
    msg = dbc.Alert(f"Scénario « {sc.name} » enregistré : version {sc.version} (n° {sc.id}).", color="success",
                    dismissable=True, duration=8000)
    return msg, {"id": sid}, (nonce or 0) + 1, ack


@callback(Output("sim-scen-msg", "children", allow_duplicate=True), Output("sim-loaded", "data"),
          Input("sim-load", "n_clicks"), State("sim-scen-pick", "value"), prevent_initial_call=True)
def load_scenario(_n, sid):
    try:
        sc = default_store().load(sid)
        make_parameters(sc.concept, sc.overrides())  # still valid with today's parameter ranges?
    except (ScenarioError, ParameterError) as exc:
        return dbc.Alert(PICK if sid is None else str(exc), color="danger", dismissable=True), no_update
    return (dbc.Alert(f"Scénario « {sc.title} » chargé.", color="info", dismissable=True, duration=6000),
            {"id": sc.id, "concept": sc.concept, "ville": sc.code_insee, "overrides": sc.overrides()})


@callback(Output("sim-scen-msg", "children", allow_duplicate=True),
          Output("sim-scen-refresh", "data", allow_duplicate=True), Output("sim-saved", "data", allow_duplicate=True),
          Input("sim-delete", "submit_n_clicks"), State("sim-scen-pick", "value"), State("sim-scen-refresh", "data"),
          prevent_initial_call=True)
def delete_scenario(_n, sid, nonce):
    """Runs only once the user has confirmed the deletion in the dialog."""
    if sid is None:
        return dbc.Alert(PICK, color="warning", dismissable=True), no_update, no_update
    try:
        who = auth.require_editor(ScenarioError)  # deletion needs a signed-in editor (issue 11)
        sc = default_store().load(sid)
        default_store().delete(sid, who)
    except ScenarioError as exc:
        return dbc.Alert(str(exc), color="danger", dismissable=True), (nonce or 0) + 1, no_update
    return (dbc.Alert(f"Scénario « {sc.title} » mis à la corbeille (restaurable ; les autres versions sont "
                      "conservées).", color="info",
                      dismissable=True, duration=8000), (nonce or 0) + 1, {"deleted": sc.id})


def _resolve(choice, state):
    """(title, SimulationResult) of a compare choice: the on-screen simulation or a saved scenario id."""
    if choice == CURRENT:
        return "simulation en cours", simulate(parameters(state))
    sc = default_store().load(parse_scenario_id(choice))
    return sc.title, simulate(make_parameters(sc.concept, sc.overrides()))


def _never(x, fmt=str):
    return "jamais" if x is None else fmt(x)


def compare_table(a, b, title_a: str, title_b: str) -> dbc.Table:
    rows = [("Concept", concept(a.concept).label, concept(b.concept).label)]
    for label, key, fmt in [
        (f"Auditeurs en année {CRUISING_YEAR}", "learners_year4", fr_number),
        ("Seuil d'équilibre (auditeurs/an)", "break_even_learners",
         lambda x: _never(x, lambda v: fr_number(math.ceil(v - 1e-9)))),
        ("Autofinancement dès l'année", "self_financing_year", _never),
        (f"Résultat de l'année {CRUISING_YEAR}", "net_year4", fr_euros),
        ("Financement public total", "public_funding_total", fr_euros),
        ("Fonds propres du Cnam", "cnam_own_funds_total", fr_euros),
        ("Résultat cumulé en année 6", "cumulative_net_year6", fr_euros),
        (f"Coût par auditeur (année {CRUISING_YEAR})", "cost_per_learner", fr_euros),
    ]:
        rows.append((label, fmt(a.kpis[key]), fmt(b.kpis[key])))
    if a.concept == b.concept:
        for name, spec in concept(a.concept).specs.items():
            va, vb = a.params.values[name], b.params.values[name]
            if va != vb:
                rows.append((f"{spec.label} ({spec.unit})", fr_number(va, 0 if va.is_integer() else 2),
                             fr_number(vb, 0 if vb.is_integer() else 2)))
    head = html.Thead(html.Tr([html.Th(""), html.Th(f"A — {title_a}"), html.Th(f"B — {title_b}")]))
    body = html.Tbody([html.Tr([html.Th(r[0], className="fw-normal"), html.Td(r[1]), html.Td(r[2])]) for r in rows])
    return dbc.Table([head, body], bordered=True, size="sm", className="sim-compare-table")


@callback(Output("sim-compare", "children"), Input("sim-cmp-a", "value"), Input("sim-cmp-b", "value"),
          State("sim-state", "data"), prevent_initial_call=True)
def compare(choice_a, choice_b, state):
    if choice_a is None or choice_b is None:
        return html.Small("Choisissez deux scénarios (A et B) à comparer.", className="text-muted") \
            if (choice_a or choice_b) else None
    try:
        (ta, ra), (tb, rb) = _resolve(choice_a, state), _resolve(choice_b, state)
    except (ScenarioError, ParameterError) as exc:
        return dbc.Alert(str(exc), color="danger", dismissable=True)
    return dbc.Card(dbc.CardBody([
        html.H3("Comparaison de scénarios", className="h5"),
        dbc.Row([dbc.Col(compare_table(ra, rb, ta, tb), lg=5),
                 dbc.Col(graph("sim-fig-compare", charts.compare_figure(ra, rb, ta, tb)), lg=7)]),
    ]))
