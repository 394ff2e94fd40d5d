"""/simulateur?ville=<code_insee>&concept=<id>&scenario=<id>&<paramètre>=<valeur>… — the concept simulator.

A planner picks a town and a concept, moves the ramp-up and key-assumption sliders (or edits any assumption in
the table) and sees at once the learners, revenue vs costs, funding mix, cumulative result, KPIs and the
sensitivity of the year-4 result. The URL carries the town, the concept, the loaded scenario and every changed
assumption, so a link reproduces the view.

Reduce → render: :func:`on_event` turns a user action into a new state (:mod:`components.simulator_state`,
pure), :func:`show` and :func:`show_tornado` render the state (:mod:`components.simulator_view`). Scenarios:
:mod:`components.scenario_panel`. Model: :mod:`models.domain.simulator`.
"""
from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from components import scenario_panel
from components import simulator_view as view
from components.commune_search import commune_search, option_for
from components.simulator_state import (Event, default_state, parameters, reduce, search_string,
                                        slider_names, state_from_query)
from models.domain.simulator import concept, concept_ids

dash.register_page(__name__, path="/simulateur", name="Simulateur", order=1,
                   title="Simulateur — Atlas Cœur des territoires")

log = logging.getLogger("atlas.simulateur")
TOWN = {"type": "commune-search", "name": "sim"}
SLIDERS = list(slider_names())
SLIDER, SLIDER_ROW, SLIDER_VALUE = view.SLIDER, view.SLIDER_ROW, view.SLIDER_VALUE
CURRENT = scenario_panel.CURRENT
# the scenario callbacks live with their panel; re-exported for the tests and the benchmark
save_scenario, load_scenario, delete_scenario = (scenario_panel.save_scenario, scenario_panel.load_scenario,
                                                 scenario_panel.delete_scenario)
refresh_scenarios, compare = scenario_panel.refresh_scenarios, scenario_panel.compare


def _controls(state: dict, shown: dict, town) -> dbc.Row:
    concept_radio = dbc.RadioItems(id="sim-concept", value=state["concept"], inline=True,
                                   options=[{"label": concept(c).label, "value": c} for c in concept_ids()],
                                   className="sim-concept-radio")
    return dbc.Row([
        dbc.Col([html.Label("Ville d'implantation", className="fw-bold"), town,
                 html.Div(shown["context"], id="sim-context", className="sim-context mt-1")], lg=6),
        dbc.Col([html.Label("Concept", className="fw-bold"), concept_radio,
                 html.Div(shown["concept_desc"], id="sim-concept-desc", className="sim-concept-desc")], lg=6),
    ], className="mb-2 g-3")


def _body(state: dict, shown: dict, tornado_fig: dict, errors: list[str]) -> html.Div:
    town = commune_search("sim", value=state["ville"])
    sliders = [view.slider_block(n, shown["sliders"], i) for i, n in enumerate(SLIDERS)]
    charts = [dbc.Col(view.chart(gid, shown[key]), xl=6) for gid, key in (
        ("sim-fig-learners", "learners"), ("sim-fig-money", "money"), ("sim-fig-funding", "funding"),
        ("sim-fig-cumul", "cumul"))]
    return html.Div([
        dcc.Location(id="sim-url", refresh=False),
        dcc.Store(id="sim-state", data=state),
        dcc.Store(id="sim-loaded"), dcc.Store(id="sim-saved"), dcc.Store(id="sim-scen-refresh", data=0),
        html.H1("Simulateur de concepts d'implantation", className="h2 mb-1"),
        html.P("Montée en charge, compte de résultat des années 0 à 6, financements et viabilité d'un site. "
               "Les montants sont des hypothèses (tableau en bas de page), modifiables.", className="lead mb-2"),
        html.Div([dbc.Alert(e, color="warning", dismissable=True, className="mb-2") for e in errors],
                 id="sim-url-alerts"),
        html.Div(id="sim-alert"),
        _controls(state, shown, town),
        html.Div(shown["kpis"], id="sim-kpis", className="mb-2 sim-kpis-sticky"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([
                html.H2("Hypothèses clés", className="h5"),
                dbc.Button("Revenir aux valeurs par défaut", id="sim-reset", size="sm", color="secondary",
                           outline=True, className="mb-2"),
                html.Div(sliders, id="sim-sliders"),
                html.Small("Toutes les hypothèses sont dans le tableau en bas de page.", className="text-muted"),
            ])), lg=3, className="mb-2 sim-side-panel atlas-side-panel"),
            dbc.Col(dbc.Row(charts, className="g-2"), lg=9),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody(view.chart("sim-fig-tornado", tornado_fig))), lg=6, className="mb-2"),
            dbc.Col(scenario_panel.panel(), lg=6, className="mb-2"),
        ], className="g-2 mt-1"),
        html.Div(id="sim-compare", className="mb-3"),
        html.H2("Hypothèses du concept", className="h4 mt-2"),
        html.P("Cliquez une valeur pour la modifier (plage autorisée dans les colonnes Min et Max). Les valeurs "
               "modifiées sont surlignées. « Documents fondateurs 2019 » : cibles du programme reproduites par "
               "le calcul ; « hypothèse à vérifier » : ordre de grandeur à confirmer.", className="mb-1"),
        view.assumptions_grid(shown["rows"]),
    ], className="sim-page")


def layout(**query):
    try:
        state, errors = state_from_query(query)
        shown, tornado_fig = view.render(state), view.tornado(state)
    except Exception:  # never a stack trace in the browser
        log.exception("simulateur: layout")
        state, errors = default_state(), ["Les paramètres de l'adresse n'ont pas pu être appliqués ; "
                                          "hypothèses par défaut affichées."]
        shown, tornado_fig = view.render(state), view.tornado(state)
    return _body(state, shown, tornado_fig, errors)


# ---------------------------------------------------------------------------------------------- callbacks
def grid_change(event):
    """(name, typed value) of an ag-grid ``cellValueChanged`` event (a list in recent dash-ag-grid)."""
    if isinstance(event, list):
        event = event[-1] if event else None
    if not event:
        return None, None
    return (event.get("data") or {}).get("name") or event.get("rowId"), event.get("value")


def event_of(trigger_id, value, grid_event, saved) -> Event:
    """The user action behind a callback trigger, as a :class:`components.simulator_state.Event`."""
    if isinstance(trigger_id, dict) and trigger_id.get("type") == SLIDER:
        return Event("param", value, trigger_id["name"])
    if isinstance(trigger_id, dict) and trigger_id.get("type") == "commune-search":
        return Event("ville", value)
    if trigger_id == "sim-grid":
        name, typed = grid_change(grid_event)
        return Event("param", typed, name)
    if trigger_id == "sim-saved":
        saved = saved or {}
        return Event("saved", saved["id"]) if saved.get("id") else Event("deleted", saved.get("deleted"))
    kinds = {"sim-concept": "concept", "sim-reset": "reset", "sim-loaded": "loaded"}
    return Event(kinds.get(trigger_id, "none"), value)


@callback(
    Output("sim-state", "data"), Output("sim-alert", "children"), Output("sim-concept", "value"),
    Output(TOWN, "value"), Output(TOWN, "options", allow_duplicate=True),
    Output({"type": SLIDER, "name": ALL}, "value"), Output({"type": SLIDER, "name": ALL}, "min"),
    Output({"type": SLIDER, "name": ALL}, "max"), Output({"type": SLIDER, "name": ALL}, "step"),
    Output({"type": SLIDER, "name": ALL}, "marks"), Output({"type": SLIDER_ROW, "name": ALL}, "style"),
    Input("sim-concept", "value"), Input(TOWN, "value"), Input({"type": SLIDER, "name": ALL}, "value"),
    Input("sim-grid", "cellValueChanged"), Input("sim-reset", "n_clicks"), Input("sim-loaded", "data"),
    Input("sim-saved", "data"), State("sim-state", "data"),
    prevent_initial_call=True,
)
def on_event(concept_value, ville_value, _sliders, grid_event, _reset, _loaded, saved, state):
    """Events → state: one user action (concept, town, slider, table cell, reset, scenario) → the new state;
    the controls that did not cause the change are set to it (the one in the user's hand is left alone)."""
    trigger = ctx.triggered[0] if ctx.triggered else {}
    event = event_of(ctx.triggered_id, trigger.get("value"), grid_event, saved)
    new, message = reduce(state, event)
    alert = dbc.Alert(message, color="danger", dismissable=True, className="mb-2") if message else None
    sp = view.slider_props(new["concept"], parameters(new).values)
    keep = [no_update] * len(SLIDERS)
    if event.kind == "param" and isinstance(ctx.triggered_id, dict) and not message:
        sliders = [keep] * 5  # do not fight the hand on the slider
    elif new["concept"] == (state or {}).get("concept"):
        sliders = [sp["value"]] + [keep] * 4  # same concept: same ranges
    else:
        sliders = [sp[k] for k in ("value", "min", "max", "step", "marks")]
    relay_concept = new["concept"] if new["concept"] != concept_value else no_update
    relay_town = new.get("ville") if new.get("ville") != ville_value else no_update
    options = option_for(new["ville"]) if relay_town is not no_update and new.get("ville") else no_update
    return (new, alert, relay_concept, relay_town, options, *sliders, sp["style"])


@callback(
    Output("sim-url", "search"), Output("sim-kpis", "children"), Output("sim-fig-learners", "figure"),
    Output("sim-fig-money", "figure"), Output("sim-fig-funding", "figure"), Output("sim-fig-cumul", "figure"),
    Output("sim-context", "children"), Output("sim-grid", "rowData"), Output("sim-concept-desc", "children"),
    Output({"type": SLIDER_VALUE, "name": ALL}, "children"),
    Input("sim-state", "data"), prevent_initial_call=True,
)
def show(state):
    """State → view: KPI cards, the four yearly charts, town context, table, slider values and the URL."""
    v = view.render(state)
    return (v["search"], v["kpis"], v["learners"], v["money"], v["funding"], v["cumul"], v["context"], v["rows"],
            v["concept_desc"], v["sliders"]["text"])


@callback(Output("sim-fig-tornado", "figure"), Input("sim-state", "data"), prevent_initial_call=True)
def show_tornado(state):
    """State → the sensitivity chart (its own callback: ~10 simulations, slower than the rest)."""
    return view.tornado(state)
