"""Layout of /couverture: the control panel (threshold, new sites, "Options avancées") and the tabs under the map.

Layout only: the controls' values come from the page state (:mod:`components.coverage_state`), the page's
callbacks read them back.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import coverage_state as cs
from components import coverage_tables as ct
from components.commune_search import commune_search
from models.text import fr_format as F
from models.domain import planning as planner
from models.domain.catchment import WEIGHTS
from models.domain.travel import METHODS as TRAVEL_MODELS

JOBSEEKERS_NOTE = ("Demandeurs d'emploi : connus pour environ 180 communes seulement (les plus grandes) ; les parts "
                   "sont calculées sur ces communes, les autres ne comptent pas (jamais comme zéro).")
LEARNERS_NOTE = ("Apprenants attendus : modèle de demande calé sur les ≈ 6 000 apprenants du Cnam en Grand Est "
                 "(2016), concurrence entre sites comprise ; point mort : simulateur, même chiffre.")
ZONES_NOTE = ("Une zone blanche est un ensemble de communes voisines (qui se touchent) toutes à plus du temps de "
              "trajet maximal de tout site. Ouvrir un site au milieu d'une zone peut la couper en plusieurs zones "
              "plus petites : c'est la population non couverte qui dit si la couverture progresse, pas le nombre "
              "de zones.")


def _options(mapping: dict) -> list[dict]:
    return [{"label": v, "value": k} for k, v in mapping.items()]


def _advanced(state: dict, concepts: list[dict], v: dict) -> html.Details:
    return html.Details([
        html.Summary("Options avancées", className="fw-bold"),
        html.Label("Méthode d'optimisation", className="fw-bold mt-2"),
        dbc.RadioItems(id="cov-method", name="cov-method", value=state["methode"],
                       options=_options(cs.METHODS), input_class_name="me-2"),
        html.Label("Concept des nouveaux sites", className="fw-bold mt-2", htmlFor="cov-concept"),
        dcc.Dropdown(id="cov-concept", value=state["concept"], clearable=False, options=concepts),
        html.Div(LEARNERS_NOTE, className="small text-muted"),
        dbc.Checkbox(id="cov-viable", value=state["viable"], className="mt-1",
                     label="Chaque nouveau site doit atteindre son point mort"),
        dbc.InputGroup([dbc.InputGroupText("Budget"),
                        dbc.Input(id="cov-budget", type="number", min=0, step=100000, value=state["budget"],
                                  placeholder="sans limite", debounce=True), dbc.InputGroupText("€")],
                       className="mt-1"),
        html.Div("Chaque site coûte le financement public des années 0 à 3 de son concept (simulateur).",
                 className="small text-muted"),
        html.Label("Seuil des centres de bassin de vie (habitants)", className="fw-bold mt-2", htmlFor="cov-bv-min"),
        dbc.Input(id="cov-bv-min", type="number", min=0, step=1000, value=state["bv"], debounce=True),
        html.Label("Ajouter une ville candidate", className="fw-bold mt-2"),
        commune_search("cov-candidate"),
        dbc.Button("Retirer mes ajouts", id="cov-clear-added", color="link", size="sm"),
        html.Div(v["added"], id="cov-added-list", className="small"),
        html.Label("Pondération de la demande", className="fw-bold mt-2"),
        dbc.RadioItems(id="cov-weight", name="cov-weight", value=state["poids"], options=_options(WEIGHTS),
                       input_class_name="me-2"),
        html.Div(JOBSEEKERS_NOTE, className="weak-source"),
        html.Label("Modèle de temps de trajet", className="fw-bold mt-2"),
        dbc.RadioItems(id="cov-travel-model", name="cov-travel-model", value=state["temps"],
                       options=_options(TRAVEL_MODELS), input_class_name="me-2"),
        dbc.InputGroup([dbc.InputGroupText("Temps × facteur"),
                        dbc.Input(id="cov-time-factor", type="number", min=0.5, max=2, step=0.05,
                                  value=state["facteur"], debounce=True)], className="mt-1"),
    ], className="mt-3 cov-advanced")


def control_panel(state: dict, rule_on: bool, concepts: list[dict], v: dict) -> html.Div:
    """Left panel: the answer's three questions first (how far, how many, among which towns), then the rest.

    ``v``: the first view (:func:`components.coverage_view.view`), later updated by the page's callbacks."""
    return html.Div([
        html.H2("Couverture et nouveaux sites", className="h4"),
        html.Label("Temps de trajet maximal (minutes)", className="fw-bold", htmlFor="cov-minutes"),
        dcc.Slider(id="cov-minutes", min=15, max=90, step=5, value=state["minutes"], updatemode="drag",
                   marks={m: str(m) for m in range(15, 91, 15)}),
        html.Label("Nombre de nouveaux sites", className="fw-bold mt-2", htmlFor="cov-k"),
        dbc.Input(id="cov-k", type="number", min=0, max=40, step=1, value=state["k"]),
        html.Label("Objectif", className="fw-bold mt-2"),
        dbc.RadioItems(id="cov-objective", name="cov-objective", value=state["objectif"],
                       options=_options(planner.OBJECTIVES), input_class_name="me-2"),
        html.Label("Villes candidates", className="fw-bold mt-2", htmlFor="cov-candidate-set"),
        dcc.Dropdown(id="cov-candidate-set", value=state["candidats"], clearable=False,
                     options=_options(planner.CANDIDATE_SETS)),
        dbc.Checkbox(id="cov-rule", value=rule_on, className="mt-2",
                     label="Appliquer la règle de l'appel à candidatures"),
        html.Div(v["rule"], id="cov-rule-text", className="small"),
        dbc.Checkbox(id="cov-include", value=state["inclure"], className="mt-1",
                     label="Proposer aussi les villes qui ont déjà un site"),
        dbc.Checkbox(id="cov-small", value=state["petites"], className="mt-1",
                     label=f"Inclure les petites communes (moins de {F.num(planner.host_min_population())} habitants)"),
        dbc.Button("Optimiser", id="cov-optimise", color="primary", className="w-100 mt-2"),
        dcc.Loading(html.Div(v["message"], id="cov-opt-message", className="mt-2 small"), type="circle"),
        _advanced(state, concepts, v),
    ], className="map-panel cov-panel")


def map_block(figure, legend, travel) -> html.Div:
    graph = dcc.Graph(id="cov-map", figure=figure, className="cov-map",
                      style={"height": "calc(100vh - 250px)", "minHeight": "430px"},
                      config={"scrollZoom": True, "displaylogo": False, "responsive": True})
    return html.Div([html.Div([graph, html.Div(legend, id="cov-legend-wrap"), html.Div(className="cov-labels")],
                              className="cov-map-wrap"),
                     html.Div(travel, id="cov-travel-note", className="small text-muted mt-1")])


def proposed_tab(v: dict) -> html.Div:
    return html.Div([
        html.H3("Comparaison des réseaux", className="h5"),
        ct.grid("cov-comparison", ct.COMPARISON_COLUMNS, "comparaison_reseaux.csv", height=230,
                rowData=v["comparison"]),
        html.H3("Sites proposés", className="h5 mt-3"),
        ct.grid("cov-chosen", ct.CHOSEN_COLUMNS, "sites_proposes.csv", height=380, rowData=v["chosen"]),
        dbc.Button("Exporter les sites proposés (CSV)", id="cov-export-chosen", color="secondary", size="sm",
                   className="mt-1 me-2"),
        dbc.Button("Exporter la comparaison (CSV)", id="cov-export-comparison", color="secondary", size="sm",
                   className="mt-1"),
    ])


def candidates_tab(v: dict) -> html.Div:
    return html.Div([
        html.Div(v["candidate_note"], id="cov-candidate-note", className="small mb-1"),
        ct.grid("cov-candidates", v["candidate_columns"], "candidats_couverture.csv", height=460, selectable=True,
                row_id="code_insee", rowData=v["candidates"]),
        dbc.Button("Exporter les candidats (CSV)", id="cov-export-candidates", color="secondary", size="sm",
                   className="mt-1"),
        html.Div("Cochez des candidats pour comparer « ma sélection » au réseau actuel et au réseau proposé "
                 "(onglet Sites proposés).", className="small text-muted"),
    ])


def territories_tab(level: str, v: dict) -> dbc.Row:
    return dbc.Row([
        dbc.Col([html.H3("Zones blanches", className="h5"),
                 html.P(ZONES_NOTE, className="small"),
                 ct.grid("cov-zones", ct.ZONE_COLUMNS, "zones_blanches.csv", height=360, rowData=v["zones"]),
                 dbc.Button("Exporter les zones blanches (CSV)", id="cov-export-zones", color="secondary",
                            size="sm", className="mt-1")], lg=6),
        dbc.Col([html.H3("Couverture par territoire", className="h5"),
                 dbc.RadioItems(id="cov-level", name="cov-level", value=level, inline=True,
                                input_class_name="me-1", label_class_name="me-3", options=_options(cs.LEVELS)),
                 ct.grid("cov-levels", ct.LEVEL_COLUMNS, "couverture_territoires.csv", height=330,
                         rowData=v["levels"]),
                 dbc.Button("Exporter (CSV)", id="cov-export-levels", color="secondary", size="sm",
                            className="mt-1")], lg=6),
    ])
