"""/couverture — who is far from every Cnam site, which candidate towns close the gap, network editing.

Model functions used: :func:`models.coverage.coverage` (coverage, zones blanches, by territory),
:mod:`models.planner` (candidates, greedy / exact MCLP, viability, budget), :mod:`models.network`
(reference network + edits with author and time). Times are estimates (:mod:`models.travel`).
"""
from __future__ import annotations

import math
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import numpy as np
from dash import Input, Output, Patch, State, callback, ctx, dcc, html, no_update

import geodata
from components import coverage_map as cmap
from components import coverage_tables as ct
from components.commune_search import commune_search
from components.kpi_cards import fr_euros, fr_number, kpi_card, kpi_row
from models import network as netmod
from models import planner
from models.catchment import WEIGHTS
from models.coverage import coverage
from models.travel import TravelSettings

dash.register_page(__name__, path="/couverture", name="Couverture",
                   title="Couverture et réseau — Atlas Cœur des territoires")

DEFAULTS = {"minutes": 30, "poids": "population", "detour": 1.3, "vitesse": 60.0, "candidats": "acv", "k": 12}
LEVELS = {"departement": "Département", "epci": "EPCI", "ze": "Zone d'emploi"}
METHODS = {"greedy": "Gloutonne (instantanée)", "exact": "Exacte (HiGHS, optimum prouvé)",
           "both": "Les deux (écart glouton / exact)"}
TIME_LIMIT_S = 20
SOURCES_NOTE = ("Temps de trajet estimés : distance à vol d'oiseau entre mairies × coefficient de détour ÷ vitesse "
                "moyenne (1,3 : coefficient routier usuel en France, mesures 1,2–1,4, Ballou et al. 2002 ; 60 km/h : "
                "hypothèse pour un réseau secondaire limité à 80 km/h hors agglomération). Estimation, pas un "
                "calcul d'itinéraire.")
WEAK_SITES = ("Sites Cnam de référence : liste assemblée à la main (10 sites sur les 24 implantations annoncées en "
              "2016), fiabilité variable, placés à la mairie de leur commune.")
JOBSEEKERS_NOTE = ("Demandeurs d'emploi : connus pour environ 180 communes seulement (les plus grandes) ; les parts "
                   "sont calculées sur ces communes, les autres ne comptent pas (jamais comme zéro).")


# ---------------------------------------------------------------------------------------------- helpers
def parse_query(query: dict) -> tuple[dict, list[str]]:
    """Validated page state from the query string (strings) and French messages for rejected values."""
    state, errors = dict(DEFAULTS), []

    def number(key, lo, hi, cast=float):
        if key not in query:
            return
        try:
            v = cast(float(str(query[key]).replace(",", ".")))
            if not lo <= v <= hi or (isinstance(v, float) and math.isnan(v)):
                raise ValueError
            state[key] = v
        except (TypeError, ValueError):
            errors.append(f"Valeur « {query[key]} » invalide pour « {key} » (attendu entre {lo} et {hi}) : "
                          f"valeur par défaut {DEFAULTS[key]} utilisée.")

    number("minutes", 15, 90, int)
    number("detour", 1.0, 3.0)
    number("vitesse", 10, 130)
    number("k", 0, 40, int)
    for key, allowed in (("poids", WEIGHTS), ("candidats", planner.CANDIDATE_SETS)):
        if key in query:
            if query[key] in allowed:
                state[key] = query[key]
            else:
                errors.append(f"« {query[key]} » inconnu pour « {key} » : valeur par défaut utilisée.")
    return state, errors


def network_store(net: netmod.Network) -> dict:
    return {"version": net.version, "codes": net.codes, "label": net.label}


def settings_from(detour, speed) -> TravelSettings:
    try:
        return TravelSettings(float(detour), float(speed))
    except (TypeError, ValueError) as err:
        raise ValueError(str(err) if "hors limites" in str(err) else "Réglages de temps de trajet invalides.") from None


def kpis(res, network_label: str) -> dbc.Row:
    weight = WEIGHTS[res.weight].lower()
    known = (f" — demande connue pour {res.known_communes} communes" if res.weight == "demandeurs_emploi" else "")
    n_zones = len(res.zones_blanches)
    return kpi_row([
        kpi_card("Demande couverte", f"{fr_number(100 * res.covered_share, 1)} %",
                 f"{weight} à moins de {res.minutes:g} min (estimé){known}"),
        kpi_card("Habitants non couverts", fr_number(res.uncovered_population),
                 f"{fr_number(res.uncovered_communes)} communes au-delà de {res.minutes:g} min", tone="warn"),
        kpi_card("Zones blanches", fr_number(n_zones),
                 "groupes de communes contiguës non couvertes" + (
                     f" ; la plus peuplée : {res.zones_blanches['principale'].iloc[0]}" if n_zones else "")),
        kpi_card("Réseau utilisé", f"{len(res.sites)} sites", network_label),
    ])


def candidate_problem(kind, bv_min, added, minutes, weight, settings, store):
    cands = planner.candidate_codes(kind, int(bv_min or planner.DEFAULT_BV_MIN_POPULATION), added or [],
                                    exclude=store["codes"])
    return planner.PlanningProblem.from_region(store["codes"], cands, minutes, settings, weight, store["label"])


def viability_for(concept: str, per_thousand) -> tuple[planner.Viability | None, dict]:
    econ = planner.concept_economics(concept)
    rate = float(per_thousand) / 1000 if per_thousand not in (None, "") else planner.default_penetration()
    if econ["break_even_learners"] is None:
        return None, econ
    return planner.Viability(econ["break_even_learners"], rate), econ


def candidate_rows(problem, viability, added) -> list[dict]:
    com = geodata.communes().set_index("code_insee")
    gain, gain_pop = problem.marginal_demand(), problem.marginal_population()
    catch = problem.population @ problem.cover
    acv = set(geodata.acv()["code_insee"])
    rows = []
    for j, code in enumerate(problem.candidates):
        c = com.loc[code]
        origin = ("ajout de l'utilisateur" if code in set(added or []) else "ville ACV" if code in acv
                  else "centre de bassin de vie" if c["bv_code"] == code else "commune")
        row = {"code_insee": code, "nom": c["nom"], "departement": c["departement"],
               "densite_libelle": c["densite_libelle"], "population": int(c["population"]), "gain": float(gain[j]),
               "gain_population": float(gain_pop[j]), "catchment": float(catch[j]), "origine": origin}
        if viability is not None:
            row |= {"expected_learners": gain_pop[j] * viability.penetration, "break_even": viability.break_even,
                    "viable": bool(gain_pop[j] * viability.penetration >= viability.break_even)}
        rows.append(row)
    rows.sort(key=lambda r: r["gain"], reverse=True)
    return rows


def comparison_row(label, res, base_count, detail="") -> dict:
    return {"reseau": label, "sites": len(res.sites), "nouveaux": len(res.sites) - base_count,
            "covered_population": res.covered_population, "covered_share": res.covered_share,
            "uncovered_population": res.uncovered_population, "zones_blanches": len(res.zones_blanches),
            "detail": detail}


def _alert(text, color="danger"):
    return dbc.Alert(text, color=color, dismissable=True, className="mt-2")


# ---------------------------------------------------------------------------------------------- layout
def _controls(state):
    return html.Div([
        html.H2("Couverture du Grand Est", className="h4"),
        html.Label("Seuil de temps (minutes, estimé)", className="fw-bold", htmlFor="cov-minutes"),
        dcc.Slider(id="cov-minutes", min=15, max=90, step=5, value=state["minutes"],
                   marks={m: str(m) for m in range(15, 91, 15)}, updatemode="drag"),
        html.Label("Pondération de la demande", className="fw-bold mt-3"),
        dcc.RadioItems(id="cov-weight", value=state["poids"], inputClassName="me-2",
                       options=[{"label": v, "value": k} for k, v in WEIGHTS.items()],
                       labelStyle={"display": "block"}),
        html.Div(JOBSEEKERS_NOTE, className="weak-source"),
        html.Label("Réglages du temps estimé", className="fw-bold mt-3"),
        dbc.InputGroup([dbc.InputGroupText("Coef. de détour"),
                        dbc.Input(id="cov-detour", type="number", min=1, max=3, step=0.05, value=state["detour"],
                                  debounce=True)], className="mb-1"),
        dbc.InputGroup([dbc.InputGroupText("Vitesse moyenne"),
                        dbc.Input(id="cov-speed", type="number", min=10, max=130, step=5, value=state["vitesse"],
                                  debounce=True), dbc.InputGroupText("km/h")]),
        html.Div(SOURCES_NOTE, className="small text-muted mt-1"),
        html.Div(WEAK_SITES, className="weak-source"),
        html.Div(id="cov-settings-alert"),
    ], className="map-panel")


def _candidates_tab(state, concepts):
    return dbc.Row([
        dbc.Col([
            html.Label("Ensemble de candidats", className="fw-bold"),
            dcc.RadioItems(id="cov-candidate-set", value=state["candidats"], inputClassName="me-2",
                           options=[{"label": v, "value": k} for k, v in planner.CANDIDATE_SETS.items()],
                           labelStyle={"display": "block"}),
            html.Label("Seuil des centres de bassin de vie (habitants)", className="small mt-1",
                       htmlFor="cov-bv-min"),
            dbc.Input(id="cov-bv-min", type="number", min=0, step=1000, value=planner.DEFAULT_BV_MIN_POPULATION,
                      debounce=True),
            html.Label("Ajouter une commune candidate", className="fw-bold mt-2"),
            commune_search("cov-candidate"),
            dbc.Button("Retirer mes ajouts", id="cov-clear-added", color="link", size="sm"),
            html.Div(id="cov-added-list", className="small"),
            html.Label("Concept des nouveaux sites", className="fw-bold mt-2"),
            dcc.Dropdown(id="cov-concept", value=planner.DEFAULT_CONCEPT, clearable=False, options=concepts),
            dbc.InputGroup([dbc.InputGroupText("Auditeurs pour 1 000 hab."),
                            dbc.Input(id="cov-penetration", type="number", min=0.05, max=20, step=0.05,
                                      value=round(1000 * planner.default_penetration(), 2), debounce=True)],
                           className="mt-1"),
            html.Div("Taux par défaut : environ 5 000 auditeurs Cnam pour 5,55 M d'habitants du Grand Est (2016). "
                     "Auditeurs attendus = habitants nouvellement desservis × taux ; point mort : simulateur.",
                     className="small text-muted"),
        ], lg=3),
        dbc.Col([
            html.Div(id="cov-candidate-note", className="small mb-1"),
            ct.grid("cov-candidates", ct.CANDIDATE_COLUMNS, "candidats_couverture.csv", height=420,
                    selectable=True, row_id="code_insee"),
            dbc.Button("Exporter les candidats (CSV)", id="cov-export-candidates", color="secondary", size="sm",
                       className="mt-1"),
            html.Div("Cochez des candidats pour comparer « ma sélection » au réseau actuel et à l'optimisation.",
                     className="small text-muted"),
        ], lg=9),
    ])


def _optimiser_tab(state):
    return html.Div([
        dbc.Row([
            dbc.Col(dbc.InputGroup([dbc.InputGroupText("Nouveaux sites k"),
                                    dbc.Input(id="cov-k", type="number", min=0, max=40, step=1, value=state["k"])]),
                    md=2),
            dbc.Col(dcc.Dropdown(id="cov-method", value="both", clearable=False,
                                 options=[{"label": v, "value": k} for k, v in METHODS.items()]), md=3),
            dbc.Col(dbc.InputGroup([dbc.InputGroupText("Budget"),
                                    dbc.Input(id="cov-budget", type="number", min=0, step=100000,
                                              placeholder="sans limite"), dbc.InputGroupText("€")]), md=3),
            dbc.Col(dbc.Checkbox(id="cov-viable", value=False,
                                 label="Chaque nouveau site doit atteindre son point mort"), md=2),
            dbc.Col(dbc.Button("Optimiser", id="cov-optimise", color="primary", className="w-100"), md=2),
        ], className="g-2 align-items-center"),
        html.Div("Budget : chaque site coûte le financement public des années 0 à 3 de son concept (simulateur).",
                 className="small text-muted mt-1"),
        dcc.Loading(html.Div(id="cov-opt-message", className="mt-2")),
        html.H3("Comparaison", className="h5 mt-2"),
        ct.grid("cov-comparison", ct.COMPARISON_COLUMNS, "comparaison_reseaux.csv", height=200),
        html.H3("Sites proposés", className="h5 mt-3"),
        ct.grid("cov-chosen", ct.CHOSEN_COLUMNS, "sites_proposes.csv", height=320),
        dbc.Button("Exporter les sites proposés (CSV)", id="cov-export-chosen", color="secondary", size="sm",
                   className="mt-1 me-2"),
        dbc.Button("Exporter la comparaison (CSV)", id="cov-export-comparison", color="secondary", size="sm",
                   className="mt-1"),
    ])


def _network_tab(net):
    sites = [{"label": f"{r.commune} — {r.nom}", "value": r.site_id} for r in net.sites.itertuples()]
    return html.Div([
        dbc.Row([
            dbc.Col(dbc.InputGroup([dbc.InputGroupText("Votre nom"),
                                    dbc.Input(id="cov-author", maxLength=80, placeholder="obligatoire")]), md=4),
            dbc.Col(html.Div(id="cov-network-label", children=net.label, className="fw-bold"), md=8),
        ], className="g-2 align-items-center"),
        dbc.Row([
            dbc.Col([html.Label("Ajouter un site", className="fw-bold"), commune_search("cov-add"),
                     dbc.Button("Ajouter", id="cov-add-btn", color="primary", size="sm", className="mt-1")], md=4),
            dbc.Col([html.Label("Site à retirer ou déplacer", className="fw-bold"),
                     dcc.Dropdown(id="cov-site", options=sites, placeholder="Choisir un site"),
                     dbc.Button("Retirer", id="cov-retire-btn", color="danger", size="sm", className="mt-1")], md=4),
            dbc.Col([html.Label("Déplacer vers la commune", className="fw-bold"), commune_search("cov-move"),
                     dbc.Button("Déplacer", id="cov-move-btn", color="primary", size="sm", className="mt-1 me-2"),
                     dbc.Button("Revenir au réseau de référence", id="cov-reset-btn", color="secondary", size="sm",
                                className="mt-1")], md=4),
        ], className="g-2 mt-1"),
        dcc.ConfirmDialog(id="cov-reset-confirm", message="Revenir au réseau de référence ? Les modifications "
                                                          "restent dans l'historique."),
        html.Div(id="cov-edit-message"),
        html.H3("Sites du réseau", className="h5 mt-2"),
        ct.grid("cov-network", ct.NETWORK_COLUMNS, "reseau_sites.csv", height=300, row_id="site_id",
                rowData=_network_rows(net)),
        dbc.Button("Exporter le réseau (CSV)", id="cov-export-network", color="secondary", size="sm",
                   className="mt-1"),
        html.H3("Historique des modifications", className="h5 mt-3"),
        ct.grid("cov-history", ct.HISTORY_COLUMNS, "reseau_historique.csv", height=220,
                rowData=_history_rows()),
    ])


def _territories_tab():
    return dbc.Row([
        dbc.Col([html.H3("Zones blanches", className="h5"),
                 html.Div("Groupes de communes contiguës (limites communes) toutes au-delà du seuil, les plus "
                          "peuplés d'abord.", className="small text-muted"),
                 ct.grid("cov-zones", ct.ZONE_COLUMNS, "zones_blanches.csv", height=360),
                 dbc.Button("Exporter les zones blanches (CSV)", id="cov-export-zones", color="secondary",
                            size="sm", className="mt-1")], lg=6),
        dbc.Col([html.H3("Couverture par territoire", className="h5"),
                 dcc.RadioItems(id="cov-level", value="departement", inline=True, inputClassName="me-1",
                                labelClassName="me-3", options=[{"label": v, "value": k} for k, v in LEVELS.items()]),
                 ct.grid("cov-levels", ct.LEVEL_COLUMNS, "couverture_territoires.csv", height=330),
                 dbc.Button("Exporter (CSV)", id="cov-export-levels", color="secondary", size="sm",
                            className="mt-1")], lg=6),
    ])


def layout(**query):
    state, errors = parse_query(query)
    try:
        net = netmod.current_network()
    except Exception:  # noqa: BLE001 — database unreachable: the reference network still works
        net = netmod.Network(sites=netmod.reference_network())
        errors.append("Base de données indisponible : réseau de référence affiché, modifications impossibles.")
    store = network_store(net)
    settings = TravelSettings(state["detour"], state["vitesse"])
    res = coverage(store["codes"], state["minutes"], settings, state["poids"], net.label)
    from models import simulator

    concepts = [{"label": simulator.concept(c).label, "value": c} for c in simulator.concept_ids()]
    graph = dcc.Graph(id="cov-map", figure=cmap.coverage_figure(res, store["codes"]), className="cov-map",
                      style={"height": "68vh", "minHeight": "480px"}, config={"scrollZoom": True, "displaylogo": False, "responsive": True})
    return html.Div([
        dcc.Location(id="cov-url", refresh=False),
        dcc.Store(id="cov-network-store", data=store),
        dcc.Store(id="cov-added", data=[]),
        dcc.Store(id="cov-optimised", data={"codes": [], "label": ""}),
        *[_alert(e, "warning") for e in errors],
        dbc.Row([dbc.Col(_controls(state), lg=3),
                 dbc.Col([html.Div(kpis(res, net.label), id="cov-kpis"), graph, cmap.legend_items()], lg=9)],
                className="g-3"),
        dbc.Tabs([
            dbc.Tab(_candidates_tab(state, concepts), label="Candidats", tab_id="candidats", className="pt-2"),
            dbc.Tab(_optimiser_tab(state), label="Optimiser", tab_id="optimiser", className="pt-2"),
            dbc.Tab(_territories_tab(), label="Zones blanches et territoires", tab_id="territoires",
                    className="pt-2"),
            dbc.Tab(_network_tab(net), label="Modifier le réseau", tab_id="reseau", className="pt-2"),
        ], id="cov-tabs", active_tab="candidats", className="mt-3"),
    ])


# ---------------------------------------------------------------------------------------------- callbacks
@callback(Output("cov-map", "figure"), Output("cov-kpis", "children"), Output("cov-zones", "rowData"),
          Output("cov-levels", "rowData"), Output("cov-settings-alert", "children"),
          Input("cov-minutes", "value"), Input("cov-weight", "value"), Input("cov-detour", "value"),
          Input("cov-speed", "value"), Input("cov-network-store", "data"), Input("cov-level", "value"))
def update_coverage(minutes, weight, detour, speed, store, level):
    """Threshold, weighting, speed/detour or network changed: patch the map, KPIs and tables."""
    try:
        settings = settings_from(detour, speed)
        res = coverage(store["codes"], minutes, settings, weight, store["label"])
    except (KeyError, ValueError) as err:
        return no_update, no_update, no_update, no_update, _alert(str(err.args[0] if err.args else err), "warning")
    patch = Patch()
    uncovered = res.uncovered_codes.tolist()
    patch["data"][cmap.TRACE_UNCOVERED]["locations"] = uncovered
    patch["data"][cmap.TRACE_UNCOVERED]["z"] = [1] * len(uncovered)
    patch["data"][cmap.TRACE_UNCOVERED]["name"] = f"Commune non couverte (> {res.minutes:g} min)"
    if ctx.triggered_id in ("cov-detour", "cov-speed", "cov-network-store"):  # times changed (sites: see below)
        patch["data"][cmap.TRACE_TIME]["z"] = cmap.time_values(res.times)
        patch["data"][cmap.TRACE_TIME]["customdata"] = cmap.hover_names(res.nearest)
    zones = res.zones_blanches.drop(columns=["codes", "code_principale"]).to_dict("records")
    levels = res.by(level if level in LEVELS else "departement").to_dict("records")
    return patch, kpis(res, store["label"]), zones, levels, None


@callback(Output("cov-url", "search"), Input("cov-minutes", "value"), Input("cov-weight", "value"),
          Input("cov-detour", "value"), Input("cov-speed", "value"), Input("cov-candidate-set", "value"),
          Input("cov-k", "value"), prevent_initial_call=True)
def write_url(minutes, weight, detour, speed, kind, k):
    q = {"minutes": minutes, "poids": weight, "detour": detour, "vitesse": speed, "candidats": kind, "k": k}
    return "?" + urlencode({key: v for key, v in q.items() if v is not None and v != ""})


@callback(Output("cov-added", "data"), Output("cov-added-list", "children"),
          Input({"type": "commune-search", "name": "cov-candidate"}, "value"), Input("cov-clear-added", "n_clicks"),
          State("cov-added", "data"), prevent_initial_call=True)
def add_candidate(code, _clear, added):
    if ctx.triggered_id == "cov-clear-added":
        return [], None
    if not code or code in (added or []):
        return no_update, no_update
    added = (added or []) + [code]
    names = geodata.communes().set_index("code_insee")["nom"]
    return added, "Ajoutées : " + ", ".join(names.get(c, c) for c in added)


@callback(Output("cov-candidates", "rowData"), Output("cov-candidate-note", "children"),
          Input("cov-candidate-set", "value"), Input("cov-bv-min", "value"), Input("cov-added", "data"),
          Input("cov-minutes", "value"), Input("cov-weight", "value"), Input("cov-detour", "value"),
          Input("cov-speed", "value"), Input("cov-network-store", "data"), Input("cov-concept", "value"),
          Input("cov-penetration", "value"))
def update_candidates(kind, bv_min, added, minutes, weight, detour, speed, store, concept, per_thousand):
    try:
        problem = candidate_problem(kind, bv_min, added, minutes, weight, settings_from(detour, speed), store)
        viability, econ = viability_for(concept, per_thousand)
    except (KeyError, ValueError) as err:
        return no_update, _alert(str(err.args[0] if err.args else err), "warning")
    rows = candidate_rows(problem, viability, added)
    note = [f"{len(rows)} candidats ({planner.CANDIDATE_SETS[kind]}). Demande ajoutée = {WEIGHTS[weight].lower()} "
            f"nouvellement à moins de {minutes} min (estimé) si l'on ajoute ce seul site au réseau actuel. "
            f"Point mort du concept « {econ['label']} » : "
            f"{fr_number(econ['break_even_learners'], 0) if econ['break_even_learners'] else 'jamais atteint'} "
            "auditeurs/an."]
    if kind == "toutes":
        note.append(html.Div("Sur toutes les communes, la couverture seule favorise des communes de banlieue et "
                             "des villages sans rôle de centre (voir la colonne Densité) : c'est pourquoi l'ensemble "
                             "des candidats compte.", className="weak-source"))
    return rows, note


def _solve(problem, k, method, viability, budget):
    if method == "both":
        out = planner.compare(problem, k, viability=viability, budget=budget, time_limit=TIME_LIMIT_S)
        return out["exact"], out
    res = planner.solve(problem, k, method, viability, budget, time_limit=TIME_LIMIT_S)
    return res, None


@callback(Output("cov-chosen", "rowData"), Output("cov-opt-message", "children"), Output("cov-optimised", "data"),
          Input("cov-optimise", "n_clicks"),
          State("cov-k", "value"), State("cov-method", "value"), State("cov-budget", "value"),
          State("cov-viable", "value"), State("cov-concept", "value"), State("cov-penetration", "value"),
          State("cov-candidate-set", "value"), State("cov-bv-min", "value"), State("cov-added", "data"),
          State("cov-minutes", "value"), State("cov-weight", "value"), State("cov-detour", "value"),
          State("cov-speed", "value"), State("cov-network-store", "data"), prevent_initial_call=True)
def optimise(_n, k, method, budget, viable, concept, per_thousand, kind, bv_min, added, minutes, weight, detour,
             speed, store):
    try:
        if k is None or int(k) != float(k) or not 0 <= int(k) <= 40:
            raise ValueError("Nombre de nouveaux sites invalide (entier de 0 à 40).")
        if budget not in (None, "") and float(budget) < 0:
            raise ValueError("Le budget doit être positif.")
        budget = None if budget in (None, "") else float(budget)
        problem = candidate_problem(kind, bv_min, added, minutes, weight, settings_from(detour, speed), store)
        viability, econ = viability_for(concept, per_thousand)
        if viable and viability is None:
            raise ValueError(f"Le concept « {econ['label']} » n'atteint jamais son point mort : contrainte impossible.")
        problem = problem.with_costs(econ["public_funding_0_3"])
        res, both = _solve(problem, int(k), method, viability if viable else None, budget)
    except (KeyError, ValueError) as err:
        return no_update, _alert(str(err.args[0] if err.args else err), "warning"), no_update
    names = geodata.communes().set_index("code_insee")["nom"]
    sites = res.sites.copy()
    sites.insert(1, "nom", sites["code_insee"].map(names))
    if viability is not None and "expected_learners" not in sites:  # report learners vs break-even anyway
        sites["expected_learners"] = sites["served_population"] * viability.penetration
        sites["break_even"] = viability.break_even
        sites["viable"] = sites["expected_learners"] >= viability.break_even - 1e-6
    label = f"Optimisé ({'exacte' if res.method == 'exact' else 'gloutonne'}, k = {k})"
    parts = [f"{METHODS[method]} : {len(res.chosen)} sites parmi {len(problem.candidates)} candidats, "
             f"{res.status}, {res.seconds:.2f} s. Demande ajoutée : {fr_number(res.gain)}."]
    if both is not None:
        g = both["greedy"]
        parts.append(f" Glouton : {fr_number(g.gain)} ; exact : {fr_number(both['exact'].gain)} ; écart "
                     f"{fr_number(both['gap'])} ({fr_number(both['gap_pct'], 2)} % de la demande couverte).")
    if budget is not None:
        parts.append(f" Budget utilisé : {fr_euros(float(sites['cost'].sum()) if len(sites) else 0)} "
                     f"sur {fr_euros(budget)} (concept « {econ['label']} », {fr_euros(econ['public_funding_0_3'])} "
                     "par site).")
    if len(res.chosen) < int(k):
        parts.append(" Moins de sites que demandé : plus aucun candidat admissible n'ajoute de demande.")
    color = "success" if res.optimal or res.method == "greedy" else "warning"
    return (sites.to_dict("records"), dbc.Alert(parts, color=color, className="mb-0"),
            {"codes": [str(c) for c in res.chosen], "label": label})


@callback(Output("cov-comparison", "rowData"), Output("cov-map", "figure", allow_duplicate=True),
          Input("cov-optimised", "data"), Input("cov-candidates", "selectedRows"), Input("cov-minutes", "value"),
          Input("cov-weight", "value"), Input("cov-detour", "value"), Input("cov-speed", "value"),
          Input("cov-network-store", "data"), prevent_initial_call="initial_duplicate")
def compare_networks(optimised, selected, minutes, weight, detour, speed, store):
    try:
        settings = settings_from(detour, speed)
        base = coverage(store["codes"], minutes, settings, weight)
    except (KeyError, ValueError):
        return no_update, no_update
    n = len(store["codes"])
    rows = [comparison_row("Réseau actuel", base, n, store["label"])]
    chosen = (optimised or {}).get("codes") or []
    if chosen:
        rows.append(comparison_row(optimised["label"], coverage(store["codes"] + chosen, minutes, settings, weight),
                                   n, "réseau actuel + sites proposés"))
    mine = [r["code_insee"] for r in (selected or []) if r.get("code_insee") not in store["codes"]]
    if mine:
        names = geodata.communes().set_index("code_insee")["nom"]
        rows.append(comparison_row("Ma sélection", coverage(store["codes"] + mine, minutes, settings, weight), n,
                                   "réseau actuel + " + ", ".join(names.get(c, c) for c in mine)))
    patch = Patch()
    cmap.patch_sites(patch, store["codes"], chosen, mine)
    return rows, patch


def _network_rows(net):
    com = geodata.communes().set_index("code_insee")
    sites = net.sites.copy()
    sites["lon"] = sites["code_insee"].map(com["lon"])
    sites["lat"] = sites["code_insee"].map(com["lat"])
    return sites.to_dict("records")


def _history_rows():
    h = netmod.history()
    if h.empty:
        return []
    names = geodata.communes().set_index("code_insee")["nom"]
    h["quand"] = h["created_at"].astype(str).str.slice(0, 16)
    h["commune"] = h["code_insee"].map(names)
    return h.sort_values("id", ascending=False)[["id", "quand", "author", "action_fr", "site_id", "commune"]] \
        .to_dict("records")


@callback(Output("cov-reset-confirm", "displayed"), Input("cov-reset-btn", "n_clicks"), prevent_initial_call=True)
def ask_reset(_n):
    return True


@callback(Output("cov-network-store", "data"), Output("cov-edit-message", "children"),
          Output("cov-network", "rowData"), Output("cov-history", "rowData"), Output("cov-site", "options"),
          Output("cov-network-label", "children"),
          Input("cov-add-btn", "n_clicks"), Input("cov-retire-btn", "n_clicks"), Input("cov-move-btn", "n_clicks"),
          Input("cov-reset-confirm", "submit_n_clicks"), Input("cov-tabs", "active_tab"),
          State("cov-author", "value"), State({"type": "commune-search", "name": "cov-add"}, "value"),
          State("cov-site", "value"), State({"type": "commune-search", "name": "cov-move"}, "value"),
          prevent_initial_call=True)
def edit_network(_add, _retire, _move, _reset, tab, author, add_code, site_id, move_code):
    """Add / retire / move / reset, persisted with author and time; also refreshes the tables on tab open."""
    trigger = ctx.triggered_id
    message = None
    try:
        if trigger == "cov-tabs":
            if tab != "reseau":
                return (no_update,) * 6
            net = netmod.current_network()
        elif trigger == "cov-add-btn":
            if not add_code:
                raise netmod.NetworkEditError("Choisissez la commune où ajouter un site.")
            net = netmod.add_site(add_code, author)
            message = "Site ajouté."
        elif trigger == "cov-retire-btn":
            if not site_id:
                raise netmod.NetworkEditError("Choisissez le site à retirer.")
            net = netmod.retire_site(site_id, author)
            message = "Site retiré."
        elif trigger == "cov-move-btn":
            if not site_id or not move_code:
                raise netmod.NetworkEditError("Choisissez le site et la commune de destination.")
            net = netmod.move_site(site_id, move_code, author)
            message = "Site déplacé."
        else:
            net = netmod.reset_to_reference(author)
            message = "Retour au réseau de référence (les modifications restent dans l'historique)."
    except netmod.NetworkEditError as err:
        return no_update, _alert(str(err), "warning"), no_update, no_update, no_update, no_update
    except Exception:  # noqa: BLE001 — database error: nothing written, say so
        return (no_update, _alert("La base de données n'a pas pu enregistrer la modification ; rien n'a été "
                                  "changé. Réessayez.", "danger"), no_update, no_update, no_update, no_update)
    options = [{"label": f"{r.commune} — {r.nom}", "value": r.site_id} for r in net.sites.itertuples()]
    msg = _alert(f"{message} Réseau : {net.label}.", "success") if message else None
    return network_store(net), msg, _network_rows(net), _history_rows(), options, net.label


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
