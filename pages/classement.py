"""/classement — multi-criteria ranking of candidate towns (models/domain/scoring.py).

Weights and directions per criterion, communes added to the 25 ACV towns, missing-value rule: all in the URL
(``components/ranking_url.py``), so a link reproduces the ranking. Named weightings in the shared database
(``models/stores/weightings.py``), CSV export.
"""
from __future__ import annotations

import logging
from datetime import datetime

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from components.glossary import annotate, explained
from components.ranking_candidates import candidates_panel
from components.weightings_panel import weightings_panel
from components.ranking_figures import BAR_TOWNS, contributions_figure, map_data, map_figure
from components.ranking_grid import MERGE_ROWS_JS, dynamic_columns, ranking_grid, row_data, static_rows
from components.ranking_url import decode_query, encode_query, values_by_key
from models.text import fr_format as F
from models.domain import scoring
from models.stores.network import reference_label
from models.domain.travel import describe
from models.domain.scoring import CRITERIA, KEYS, MISSING_RULES, ScoringError

dash.register_page(__name__, path="/classement", name="Classement",
                   title="Classement — Atlas Cœur des territoires")
log = logging.getLogger("atlas")

WEIGHT_IDS = {"type": "cls-weight", "key": ALL}
DIR_IDS = {"type": "cls-dir", "key": ALL}
DIR_OPTIONS = [{"label": " plus = mieux", "value": 1}, {"label": " moins = mieux", "value": -1}]
MISSING_OPTIONS = [{"label": " re-normaliser les poids sur les critères connus", "value": "renormalise"},
                   {"label": " compter la valeur inconnue comme la plus mauvaise", "value": "zero"}]


# ---------------------------------------------------------------- layout

def _criterion_control(c, weight: float, direction: int) -> html.Div:
    return html.Div([
        html.Div([html.Span(annotate(c.label), className="fw-bold"),  # BMO, zone d'emploi… explained
                  explained("?", c.explanation(), "badge rounded-pill text-bg-light border ms-1")]),
        dcc.Slider(id={"type": "cls-weight", "key": c.key}, min=0, max=scoring.WEIGHT_MAX, step=0.5, value=weight,
                   marks={i: str(i) for i in range(int(scoring.WEIGHT_MAX) + 1)}, updatemode="mouseup",
                   allow_direct_input=False, className="cls-slider"),
        dbc.RadioItems(id={"type": "cls-dir", "key": c.key}, name=f"cls-dir-{c.key}", options=DIR_OPTIONS,
                       value=direction, inline=True, input_class_name="me-1", label_class_name="me-3 small"),
    ], className="mb-2 pb-1 border-bottom", id=f"cls-criterion-{c.key}")


def _weights_panel(weights, directions, missing) -> html.Div:
    return html.Div([
        html.H2("Poids des critères", className="h5"),
        html.P("0 = critère ignoré. Le score est la moyenne pondérée des critères normalisés.", className="small"),
        *[_criterion_control(c, weights[c.key], directions[c.key]) for c in CRITERIA],
        html.Label("Valeur inconnue (ex. taux de pauvreté des petites communes)", className="fw-bold mt-2"),
        dbc.RadioItems(id="cls-missing", name="cls-missing", options=MISSING_OPTIONS, value=missing,
                       input_class_name="me-1", class_name="small"),
        dbc.Button("Poids par défaut (tous à 1)", id="cls-reset", color="secondary", outline=True,
                   className="mt-2 w-100"),
    ], className="map-panel mb-3")


def _method_notes() -> html.Div:
    return html.Details([
        html.Summary("Méthode : normalisation, valeurs inconnues, sources", className="fw-bold"),
        html.Ul([
            html.Li("Normalisation min–max sur les villes candidates pour les mesures (population, taux, minutes…) : "
                    "la meilleure ville d'un critère reçoit 1, la moins bonne 0, selon le sens choisi (plus = mieux ou "
                    "moins = mieux). Un critère égal pour toutes les villes ne les départage pas (0,5 pour toutes)."),
            html.Li(["Échelle saturante fixe pour les comptes (lycées, services, sites d'enseignement supérieur) et les "
                     "distances (gare, mission locale) : n = x / (x + h), ou h / (h + distance), h étant la valeur qui "
                     "donne la moitié du critère. ", html.B("Un service manquant ne coûte jamais un critère entier"),
                     " : avec h ≥ 1, une unité de moins coûte au plus la moitié du critère, quelles que soient les "
                     "autres villes (la normalisation min–max faisait d'un oui/non un écart de tout le critère, "
                     f"{F.num(100 / len(CRITERIA), 1)} points avec les poids par défaut)."]),
            html.Li("Score sur 100 = moyenne des critères normalisés pondérée par les poids ; la barre de chaque ville "
                    "montre les points apportés par chaque critère (leur somme est le score)."),
            html.Li(["Valeur inconnue : ", html.B("jamais comptée comme 0 en silence"), ". Par défaut, les poids sont "
                     "re-normalisés sur les critères connus de la ville ; sinon la valeur inconnue est comptée comme "
                     "la plus mauvaise. Dans les deux cas la ville est signalée (colonne « Données inconnues », "
                     "astérisque * dans le graphique)."]),
            html.Li("Ajouter ou retirer des villes change le minimum et le maximum de chaque critère min–max, donc les "
                    "scores de toutes les villes ; les échelles saturantes ne dépendent pas des autres villes."),
            *[html.Li([html.B(c.label + " : "), c.definition, " ", html.I("Échelle : " + c.scale_text() + "."), " ",
                       c.source_text()], id=f"cls-def-{c.key}") for c in CRITERIA],
        ], className="small mb-0"),
        html.Div(f"Réseau du Cnam pris en compte : {reference_label()}, plus les modifications enregistrées (les sites "
                 "ouverts depuis 2017 sont à ajouter dans l'éditeur du réseau, page Couverture). Sources faibles : "
                 "missions locales connues par leur siège (et les villes qu'elles nomment), sans leurs antennes, "
                 "demandeurs d'emploi connus pour 180 communes seulement, gare la plus proche à vol d'oiseau (le critère "
                 f"ne tient pas compte des horaires) ; {describe()}. Détail sur la page Sources.",
                 className="weak-source"),
    ], className="map-panel mt-3")


def layout(w: str | None = None, add: str | None = None, m: str | None = None, **_query):
    weights, directions, added, missing, errors = decode_query(w, add, m)
    alert = dbc.Alert([html.B("Adresse partiellement invalide. "), html.Ul([html.Li(e) for e in errors])],
                      color="warning", dismissable=True) if errors else None
    results = html.Div([
        html.Div([
            dbc.Button("Exporter le classement (CSV)", id="cls-export", color="primary", className="me-2"),
            html.Span("L'adresse de la page reproduit ce classement : copiez-la pour le partager.",
                      className="small text-muted"),
            dcc.Download(id="cls-download"),
        ], className="mb-2"),
        html.Div(id="cls-summary", className="mb-2", role="status"),
        ranking_grid("cls-grid"),
        html.H2("Le score expliqué : apport de chaque critère", className="h5 mt-3"),
        html.P(f"Les {BAR_TOWNS} premières villes ; * = au moins une donnée inconnue.", className="small mb-1"),
        dcc.Loading(dcc.Graph(id="cls-bars", config={"displaylogo": False}), type="circle", delay_show=400),
        html.H2("Rangs sur la carte", className="h5 mt-3"),
        dcc.Graph(id="cls-map", figure=map_figure(), config={"displaylogo": False, "scrollZoom": True}),
        _method_notes(),
    ])
    controls = html.Div([_weights_panel(weights, directions, missing), candidates_panel(added), weightings_panel()])
    return html.Div([
        dcc.Store(id="cls-candidates", data=added),
        dcc.Store(id="cls-static"),
        dcc.Store(id="cls-ranking"),
        dcc.Store(id="cls-url-sink"),
        dcc.Store(id="cls-url-done"),
        html.H1("Classement des villes candidates", className="h3"),
        html.P("Comparez les villes candidates critère par critère et réglez vous-même le poids de chaque critère.",
               className="lead"),
        alert,
        dbc.Row([dbc.Col(controls, lg=4, xl=3, className="atlas-side-panel"), dbc.Col(results, lg=8, xl=9)], className="g-3"),
    ], id="cls-page")


# ---------------------------------------------------------------- ranking (every weight change)

def compute(weights: dict, directions: dict, added: list, missing: str):
    """(ranking, codes) for the current controls; :class:`ScoringError` on bad input."""
    codes = tuple(scoring.ranking_candidates(added or []))
    table = scoring.cached_table(codes)
    return table.rank(weights, directions, missing), codes


@callback(Output("cls-static", "data"), Output("cls-ranking", "data"), Output("cls-bars", "figure"),
          Output("cls-map", "figure"), Output("cls-url-sink", "data"), Output("cls-summary", "children"),
          Input(WEIGHT_IDS, "value"), Input(DIR_IDS, "value"), Input("cls-missing", "value"),
          Input("cls-candidates", "data"))
def update_ranking(_weights, _dirs, missing, added):
    """Re-rank. The towns' static fields (raw values, concept) and map points go out only when the candidate
    set changes; a weight change sends ranks, scores, the chart and the map colours."""
    weights, directions = values_by_key(ctx.inputs_list[0]), values_by_key(ctx.inputs_list[1])
    try:
        ranked, codes = compute(weights, directions, added, missing)
    except ScoringError as err:
        return no_update, no_update, no_update, no_update, no_update, dbc.Alert(str(err), color="warning")
    new_set = ctx.triggered_id in (None, "cls-candidates")
    patch = dash.Patch()
    for key, value in map_data(ranked, codes, points=new_set).items():
        if key == "color":
            patch["data"][0]["marker"]["color"] = value
        else:
            patch["data"][0][key] = value
    flagged = int((ranked["manquants"] != "").sum())
    summary = [html.Span(f"{len(ranked)} villes classées. ", className="fw-bold"),
               f"En tête : {ranked.iloc[0]['nom']}. "]
    if flagged:
        rule = MISSING_RULES[missing].split(" (")[0]
        summary.append(html.Span(f"{F.plural(flagged, 'ville')} avec une donnée inconnue pour un critère pondéré : {rule}.",
                                 className="text-warning-emphasis"))
    search = encode_query(*scoring.check_weights(weights, directions), added or [], missing)
    static = static_rows(codes) if new_set else no_update
    return static, dynamic_columns(ranked), contributions_figure(ranked, codes), patch, search, summary


clientside_callback(MERGE_ROWS_JS, Output("cls-grid", "rowData"), Input("cls-ranking", "data"),
                    State("cls-static", "data"))


# the URL follows the controls without reloading or re-rendering the page (history.replaceState)
clientside_callback(
    """function(search) {
        if (search && window.location.search !== search) {
            window.history.replaceState(window.history.state, '', window.location.pathname + search);
        }
        return window.dash_clientside.no_update;
    }""",
    Output("cls-url-done", "data"), Input("cls-url-sink", "data"), prevent_initial_call=True)


# ---------------------------------------------------------------- CSV export

def export_frame(weights: dict, directions: dict, added: list, missing: str):
    """The ranking as a flat table for the CSV (raw values, contributions, concept)."""
    ranked, codes = compute(weights, directions, added, missing)
    rows = row_data(ranked, codes)
    import pandas as pd

    frame = pd.DataFrame(rows).set_index("code_insee")
    contrib = ranked.set_index("code_insee")[[f"contrib_{k}" for k in KEYS]].round(2)
    contrib.columns = [f"apport {c.label}" for c in CRITERIA]
    w, d = scoring.check_weights(weights, directions)
    cols = {"rang": "rang", "nom": "ville", "score": "score", "manquants": "données inconnues",
            "concept": "concept suggéré", "raison": "raison du concept", "acv": "statut"}
    cols.update({c.key: f"{c.label} [poids {w[c.key]:g}, {scoring.DIRECTIONS[d[c.key]]}]" for c in CRITERIA})
    cols.update({"mission_locale": "mission locale qui dessert la ville", "gare": "gare TER la plus proche"})
    out = frame[list(cols)].rename(columns=cols).join(contrib)
    return out.reset_index().rename(columns={"code_insee": "code_insee"})


@callback(Output("cls-download", "data"), Input("cls-export", "n_clicks"), State(WEIGHT_IDS, "value"),
          State(DIR_IDS, "value"), State("cls-missing", "value"), State("cls-candidates", "data"),
          prevent_initial_call=True)
def export_csv(_n, _weights, _dirs, missing, added):
    weights, directions = values_by_key(ctx.states_list[0]), values_by_key(ctx.states_list[1])
    try:
        frame = export_frame(weights, directions, added, missing)
    except ScoringError:
        return no_update
    csv = frame.to_csv(sep=";", decimal=",", index=False)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return {"content": "\ufeff" + csv, "filename": f"classement-{stamp}.csv", "type": "text/csv"}
