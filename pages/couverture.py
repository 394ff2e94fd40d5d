"""/couverture — who is far from every Cnam site, which towns would close the gap, network editing.

State → view (issue 12): the page state lives in the URL (:mod:`components.coverage_state`, validated once);
:func:`reduce` turns the controls' events into a new state, :func:`render` turns a state into the view
(:mod:`components.coverage_view` computes it: :func:`models.coverage.coverage` for the current and the
proposed network, :func:`models.domain.planning.plan` for the optimisation). The network editor and its callbacks
live in :mod:`components.network_editor`. Times are estimates (:mod:`models.domain.travel`).
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, Patch, State, callback, clientside_callback, ctx, dcc, html

from components import coverage_map as cmap
from components import coverage_panels as panels
from components import coverage_state as cs
from components import coverage_view as cv
from components import jobs
from components import network_editor as editor
from models.stores import network as netmod
from models.domain import planning as planner
from models.domain import transit

transit.warm()  # door-to-door TER matrix of the "sans voiture" card, once per process

dash.register_page(__name__, path="/couverture", name="Couverture",
                   title="Couverture et réseau — Atlas Cœur des territoires")

# control id → state key (the value property is "value" for all of them)
CONTROLS = {"cov-minutes": "minutes", "cov-k": "k", "cov-candidate-set": "candidats", "cov-include": "inclure",
            "cov-method": "methode", "cov-concept": "concept", "cov-objective": "objectif", "cov-viable": "viable",
            "cov-budget": "budget", "cov-bv-min": "bv", "cov-weight": "poids", "cov-travel-model": "temps",
            "cov-time-factor": "facteur", "cov-level": "niveau", "cov-small": "petites"}
CANDIDATE_KEYS = ("candidats", "inclure", "petites", "bv", "ajouts")  # a change resets the 25 % rule to its default
SEARCH = {"type": "commune-search", "name": "cov-candidate"}


def _alert(text, color="warning"):
    return dbc.Alert(text, color=color, dismissable=True, className="mt-2")


def rule_default(state: dict, store: dict) -> bool:
    """Whether the 25 % rule applies to this state (explicit choice, or automatic: non-ACV candidates)."""
    request = cs.plan_request(state)
    try:
        candidates = planner.request_candidates(request, store["codes"])
    except (KeyError, ValueError):
        return state["regle"] == "1"
    return planner.eligibility_for(request, candidates) is not None


def _concepts() -> list[dict]:
    from models.domain import simulator

    return [{"label": simulator.concept(c).label, "value": c} for c in simulator.concept_ids()]


def _network(errors: list) -> netmod.Network:
    try:
        return netmod.current_network()
    except Exception:  # noqa: BLE001 — database unreachable: the reference network still works
        errors.append("Base de données indisponible : réseau de référence affiché, modifications impossibles.")
        return netmod.Network(sites=netmod.reference_network())


def layout(**query):
    """The page for the state in the query string, rendered on the server by the same view as the callbacks.

    With ``opt=1`` (a shared link to an optimisation) the page request never runs the optimiser (issue 19): it is
    drawn with the current network's coverage, and ``cov-autorun`` hands the state to the render callback on load —
    the same background job as a click on "Optimiser", with its bar and its cancel button."""
    state, errors = cs.parse_query(query)
    net = _network(errors)
    store = editor.network_store(net)
    sc = cv.scene({**state, "opt": False}, store)
    v = cv.view(sc)
    _, keys = cv.map_changes(sc, v["candidate_codes"], {})
    figure = cmap.coverage_figure(sc.shown, cv.nearest_names(sc.shown), **cv.site_roles(sc, v["candidate_codes"]))
    tabs = dbc.Tabs([
        dbc.Tab(panels.proposed_tab(v), label="Sites proposés", tab_id="proposes", className="pt-2"),
        dbc.Tab(panels.candidates_tab(v), label="Candidats", tab_id="candidats", className="pt-2"),
        dbc.Tab(panels.territories_tab(state["niveau"], v), label="Zones blanches et territoires",
                tab_id="territoires", className="pt-2"),
        dbc.Tab(editor.network_tab(net), label="Modifier le réseau", tab_id="reseau", className="pt-2"),
    ], id="cov-tabs", active_tab="proposes", className="mt-3")
    return html.Div([
        dcc.Location(id="cov-url", refresh=False),
        dcc.Store(id="cov-state", data=state),
        dcc.Store(id="cov-network-store", data=store),
        dcc.Store(id="cov-rendered", data={**keys, "candidates": v["candidate_key"]}),
        dcc.Store(id="cov-autorun", data=state if state["opt"] else None),
        *[_alert(e) for e in errors],
        html.Div(id="cov-state-alert"),
        jobs.progress_block("cov", "Calcul de la couverture et de l'optimisation en cours…", shown=state["opt"]),
        dbc.Row([dbc.Col(panels.control_panel(state, rule_default(state, store), _concepts(), v), lg=3,
                         className="atlas-side-panel"),
                 dbc.Col([html.Div(v["kpis"], id="cov-kpis"), panels.map_block(figure, v["legend"], v["travel"])], lg=9)],
                className="g-3"),
        tabs,
    ], className="cov-page")


# ---------------------------------------------------------------------------------------------- events → state
@callback(Output("cov-state", "data"), Output("cov-url", "search"), Output("cov-state-alert", "children"),
          Output("cov-rule", "value"),
          *[Input(cid, "value") for cid in CONTROLS], Input("cov-rule", "value"), Input("cov-optimise", "n_clicks"),
          Input(SEARCH, "value"), Input("cov-clear-added", "n_clicks"), Input("cov-candidates", "selectedRows"),
          State("cov-state", "data"), State("cov-network-store", "data"), prevent_initial_call=True)
def reduce(*args):
    """Any control changed: the new (validated) state, its URL, the rule checkbox and French messages."""
    state, store = args[-2], args[-1]
    values = dict(zip(CONTROLS, args[:len(CONTROLS)]))
    rule, _opt, added_code, _clear, selected = args[len(CONTROLS):len(CONTROLS) + 5]
    changes = {}
    for tid in ctx.triggered_prop_ids.values():
        if isinstance(tid, dict):  # the town search (pattern-matching id)
            if added_code:
                changes["ajouts"] = list(dict.fromkeys(state["ajouts"] + [added_code]))
        elif tid in CONTROLS:
            changes[CONTROLS[tid]] = values[tid]
        elif tid == "cov-rule":
            changes["regle"] = "1" if rule else "0"
        elif tid == "cov-clear-added":
            changes["ajouts"] = []
        elif tid == "cov-candidates":
            state = {**state, "selection": [r["code_insee"] for r in selected or [] if r.get("code_insee")]}
    new, errors = cs.update(state, changes)
    if any(new[k] != state[k] for k in CANDIDATE_KEYS):
        new["regle"] = "auto"
    if "cov-optimise" in ctx.triggered_prop_ids.values() and not errors:
        new["opt"] = True
    alert = _alert(" ".join(errors)) if errors else None
    rule_value = rule_default(new, store) if new["regle"] == "auto" else new["regle"] == "1"
    return new, cs.encode_query(new), alert, rule_value


# ---------------------------------------------------------------------------------------------- state → view
@callback(Output("cov-map", "figure"), Output("cov-kpis", "children"), Output("cov-legend-wrap", "children"),
          Output("cov-opt-message", "children"), Output("cov-chosen", "rowData"), Output("cov-comparison", "rowData"),
          Output("cov-candidates", "rowData"), Output("cov-candidates", "columnDefs"),
          Output("cov-candidate-note", "children"), Output("cov-zones", "rowData"), Output("cov-levels", "rowData"),
          Output("cov-rule-text", "children"), Output("cov-added-list", "children"),
          Output("cov-travel-note", "children"), Output("cov-rendered", "data"),
          Input("cov-state", "data"), Input("cov-network-store", "data"), State("cov-rendered", "data"),
          prevent_initial_call=True, **jobs.background("cov", [(Output("cov-optimise", "disabled"), True, False)]))
def render(state, store, rendered):
    """The view of a state: the map as a patch (only what changed), KPIs, messages and tables."""
    sc = cv.scene(state, store)
    v = cv.view(sc, rendered)
    changes, keys = cv.map_changes(sc, v["candidate_codes"], rendered or {})
    patch = Patch()
    for (trace, attribute), value in changes.items():
        target = patch["data"][trace]
        for part in attribute.split(".")[:-1]:
            target = target[part]
        target[attribute.split(".")[-1]] = value
    candidates = v["candidates"] if v["candidates"] is not None else dash.no_update
    return (patch, v["kpis"], v["legend"], v["message"], v["chosen"], v["comparison"], candidates,
            v["candidate_columns"], v["candidate_note"], v["zones"], v["levels"], v["rule"], v["added"],
            v["travel"], {**keys, "candidates": v["candidate_key"]})


# a page opened with opt=1: its state goes to the render callback once the page is there (background job)
clientside_callback("function(s) { return s ? s : window.dash_clientside.no_update; }",
                    Output("cov-state", "data", allow_duplicate=True), Input("cov-autorun", "data"),
                    prevent_initial_call="initial_duplicate")


# a click on a site, a proposed town or a candidate opens its profile (customdata[0] = code_insee)
clientside_callback(ClientsideFunction(namespace="coverage", function_name="openTown"),
                    Output("cov-map", "id"), Input("cov-map", "clickData"), prevent_initial_call=True)


def _export(grid_id, button_id):
    @callback(Output(grid_id, "exportDataAsCsv"), Input(button_id, "n_clicks"), prevent_initial_call=True)
    def export(_n):
        return True

    export.__name__ = f"export_{grid_id.replace('-', '_')}"
    return export


for _grid, _button in (("cov-candidates", "cov-export-candidates"), ("cov-chosen", "cov-export-chosen"),
                       ("cov-comparison", "cov-export-comparison"), ("cov-zones", "cov-export-zones"),
                       ("cov-levels", "cov-export-levels"), ("cov-network", "cov-export-network")):
    _export(_grid, _button)
