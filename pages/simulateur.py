"""/simulateur?ville=<code_insee>&concept=<id>&scenario=<id>&<paramètre>=<valeur>… — the concept simulator.

A planner picks a town and a concept, moves the ramp-up and key-assumption sliders (or edits any assumption in
the table) and sees at once the learners, revenue vs costs, funding mix, cumulative result, KPIs and the
sensitivity of the year-4 result. Scenarios are saved (versioned), reloaded, deleted and compared. The URL
always carries the town, the concept, the loaded scenario and every changed assumption, so a link reproduces
the view. Model: :mod:`models.simulator`; store: :mod:`models.scenarios`; charts: :mod:`components.simulator_charts`.
"""
from __future__ import annotations

import logging
import math
from datetime import timezone
from functools import lru_cache
from zoneinfo import ZoneInfo
from urllib.parse import urlencode

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

import geodata
from components import simulator_charts as charts
from components.commune_search import commune_search
from components.kpi_cards import fr_euros, fr_number, kpi_card, kpi_row
from models.scenarios import ScenarioError, default_store, parse_scenario_id
from models.simulator import (CRUISING_YEAR, ParameterError, concept, concept_ids, load_catalogue,
                              make_parameters, plausibility, sensitivity, simulate)

dash.register_page(__name__, path="/simulateur", name="Simulateur",
                   title="Simulateur — Atlas Cœur des territoires")

log = logging.getLogger("atlas.simulateur")
DEFAULT_CONCEPT = "clef_en_main"
CATCHMENT_MINUTES = 30
RESERVED = {"ville", "concept", "scenario"}
TOWN = {"type": "commune-search", "name": "sim"}
SLIDER, SLIDER_ROW, SLIDER_LABEL = "sim-slider", "sim-slider-row", "sim-slider-label"
PARIS = ZoneInfo("Europe/Paris")
CURRENT = "courant"  # compare: the simulation on screen, saved or not


def _slider_names() -> list[str]:
    """Union of the parameters flagged ``curseur`` in any concept, in file order (one slider each)."""
    names = []
    for cid in concept_ids():
        names += [n for n, s in concept(cid).specs.items() if s.slider and n not in names]
    order = list(concept(DEFAULT_CONCEPT).specs)
    return sorted(names, key=order.index)


SLIDERS = _slider_names()


# ------------------------------------------------------------------------------------------ pure helpers
def _nice_step(spec) -> float:
    if spec.integer:
        return 1
    raw = (spec.max - spec.min) / 200
    for base in (1, 2, 5, 10):
        for exp in range(-3, 6):
            step = base * 10 ** exp
            if step >= raw and all(abs(v / step - round(v / step)) < 1e-9 for v in (spec.min, spec.default)):
                return step
    return raw


@lru_cache(maxsize=None)
def _communes():
    return geodata.commune_index()


def _town_option(code: str) -> list[dict]:
    com = _communes()
    if code not in com.index:
        return []
    row = com.loc[code]
    label = f"{row.nom} ({row.departement}) · {code}"
    return [{"label": label, "value": code, "search": label}]


@lru_cache(maxsize=256)
def _town_facts(code: str) -> dict:
    """Population, unemployment, lycées, missions locales and population within ~30 min of a town."""
    row = _communes().loc[code]
    lyc = geodata.lycees()
    lyc = lyc[lyc.code_insee == code]
    ml = geodata.missions_locales()
    facts = {"nom": row.nom, "departement": row.departement, "population": float(row.population),
             "chomage": row.chomage_ze, "trimestre": row.chomage_ze_trimestre, "ze": row.ze_nom,
             "lycees": len(lyc), "lycees_pro": int(lyc.voie_pro.sum()), "ml": int((ml.code_insee == code).sum())}
    try:
        from models.catchment import population_within
        facts["pop_30"] = population_within(code, CATCHMENT_MINUTES)
        facts["pop_30_label"] = "temps de trajet estimé (distance × détour, vitesse moyenne)"
    except Exception:  # no catchment model: straight-line radius
        from models.travel import haversine_km
        com = _communes()
        d = haversine_km(row.lon, row.lat, com.lon.to_numpy(), com.lat.to_numpy())
        facts["pop_30"] = float(com.population.to_numpy()[d <= 25].sum())
        facts["pop_30_label"] = "estimation à vol d'oiseau (25 km)"
    return facts


def town_context(code: str | None, learners_y4: float) -> list:
    """One line about the town + the plausibility of the learners targeted (French)."""
    if not code:
        return [html.Span("Choisissez une ville pour situer le projet (population, chômage, lycées, missions "
                          "locales) et vérifier la plausibilité des effectifs.", className="text-muted")]
    f = _town_facts(code)
    chomage = ("chômage ZE " + fr_number(f["chomage"], 1) + f" % ({f['trimestre']})"
               if f["chomage"] == f["chomage"] else "chômage ZE inconnu")
    line = (f"{f['nom']} ({f['departement']}) · {fr_number(f['population'])} hab. · {chomage} · "
            f"{f['lycees']} lycée(s) dont {f['lycees_pro']} avec voie professionnelle · "
            f"{f['ml']} mission(s) locale(s) dans la commune")
    p = plausibility(learners_y4, f["pop_30"])
    colour = {"cohérent": "success", "ambitieux": "warning", "peu plausible": "danger"}.get(p["verdict"], "secondary")
    if p["rate_pct"] is None:
        check = "Plausibilité : population alentour inconnue."
    else:
        check = (f"{fr_number(learners_y4)} auditeurs en année {CRUISING_YEAR} = {fr_number(p['rate_pct'], 3)} % des "
                 f"{fr_number(f['pop_30'])} habitants à ≤ {CATCHMENT_MINUTES} min ({f['pop_30_label']}) ; "
                 f"taux régional 2016 : {fr_number(p['regional_pct'], 2)} % (≈ 5 000 auditeurs, 24 sites) "
                 f"→ {fr_number(p['ratio'], 1)} fois le taux régional.")
    return [html.Div(line, className="sim-context-line"),
            html.Div([dbc.Badge(p["verdict"].capitalize(), color=colour, className="me-2 sim-verdict"), check],
                     className="sim-plausibility")]


def kpi_cards(result) -> dbc.Row:
    k = result.kpis
    be, learners = k["break_even_learners"], k["learners_year4"]
    funded = int(result.params.values["annees_financement_public"])
    sfy = k["self_financing_year"]
    cards = [
        kpi_card("Seuil d'équilibre",
                 "jamais" if be is None else f"{fr_number(math.ceil(be - 1e-9))} auditeurs",
                 f"par an : résultat de l'année {CRUISING_YEAR} = 0, au mix de croisière",
                 "good" if be is not None and learners >= be else "bad"),
        kpi_card("Autofinancement", "jamais (années 1–6)" if sfy is None else f"dès l'année {sfy}",
                 "résultat ≥ 0 sans subvention, et ensuite",
                 "bad" if sfy is None else ("good" if sfy <= CRUISING_YEAR else "warn")),
        kpi_card("Financement public", fr_euros(k["public_funding_total"]),
                 f"années 0–{funded} · + {fr_euros(k['cnam_own_funds_total'])} de fonds propres Cnam"),
        kpi_card(f"Résultat de l'année {CRUISING_YEAR}", fr_euros(k["net_year4"]), "sans financement public",
                 "good" if k["net_year4"] >= 0 else "bad"),
        kpi_card(f"Auditeurs en année {CRUISING_YEAR}", fr_number(learners),
                 f"coût par auditeur : {fr_euros(k['cost_per_learner'])}"),
        kpi_card("Besoin de trésorerie", fr_euros(k["max_funding_need"]), "déficit cumulé maximal avant subventions"),
    ]
    return kpi_row(cards, id="sim-kpi-row")


def grid_rows(concept_id: str, values: dict) -> list[dict]:
    rows = []
    for name, spec in concept(concept_id).specs.items():
        rows.append({"name": name, "groupe": spec.group, "libelle": spec.label, "valeur": values[name],
                     "unite": spec.unit, "min": spec.min, "max": spec.max, "defaut": spec.default,
                     "modifie": values[name] != spec.default, "portee": "commun" if spec.common else "concept",
                     "justification": spec.rationale})
    return rows


def slider_props(concept_id: str, values: dict) -> dict:
    """Per-slider value, range, step, marks, label and visibility for ``concept_id`` (lists in SLIDERS order)."""
    specs = concept(concept_id).specs
    out = {k: [] for k in ("value", "min", "max", "step", "marks", "label", "style")}
    for name in SLIDERS:
        s = specs[name]
        out["value"].append(values[name])
        out["min"].append(s.min)
        out["max"].append(s.max)
        out["step"].append(_nice_step(s))
        out["marks"].append({s.min: fr_number(s.min), s.max: fr_number(s.max)})
        out["label"].append(f"{s.label} ({s.unit})")
        unused = name.startswith("recette_") and values.get("part_" + name[len("recette_"):], 1) == 0
        out["style"].append({} if s.slider and not unused else {"display": "none"})
    return out


def search_string(state: dict) -> str:
    q = {}
    if state.get("ville"):
        q["ville"] = state["ville"]
    q["concept"] = state["concept"]
    if state.get("scenario"):
        q["scenario"] = state["scenario"]
    for name, value in sorted(state.get("overrides", {}).items()):
        q[name] = fr_number(value, 6).replace("\u202f", "").replace(",", ".").rstrip("0").rstrip(".") \
            if not float(value).is_integer() else str(int(value))
    return "?" + urlencode(q)


def render(state: dict) -> dict:
    """Everything the page shows for ``state`` = {concept, ville, overrides, scenario} (already validated)."""
    params = make_parameters(state["concept"], state.get("overrides", {}))
    result = simulate(params)
    c = concept(state["concept"])
    return {
        "kpis": kpi_cards(result),
        "learners": charts.learners_figure(result),
        "money": charts.revenue_costs_figure(result),
        "funding": charts.funding_figure(result),
        "cumul": charts.cumulative_figure(result),
        "context": town_context(state.get("ville"), result.kpis["learners_year4"]),
        "rows": grid_rows(state["concept"], params.values),
        "sliders": slider_props(state["concept"], params.values),
        "concept_desc": [html.Strong(c.target), html.Br(), c.description],
        "search": search_string(state),
    }


def tornado(state: dict) -> dict:
    return charts.tornado_figure(sensitivity(make_parameters(state["concept"], state.get("overrides", {}))))


def state_from_query(query: dict) -> tuple[dict, list[str]]:
    """Validate the URL's query values: (state, French error messages). Bad values are dropped, never raised."""
    errors = []
    cid = str(query.get("concept") or DEFAULT_CONCEPT)
    if cid not in concept_ids():
        errors.append(f"Concept inconnu : « {cid[:40]} » ; concept « {concept(DEFAULT_CONCEPT).label} » affiché. "
                      f"Concepts possibles : {', '.join(concept_ids())}.")
        cid = DEFAULT_CONCEPT
    ville = query.get("ville")
    if ville is not None:
        ville = str(ville).strip()
        if ville not in _communes().index:
            errors.append(f"Commune inconnue en Grand Est : « {ville[:20]} » (code INSEE attendu, ex. 54329).")
            ville = None
    state = {"concept": cid, "ville": ville or None, "overrides": {}, "scenario": None}
    if query.get("scenario") not in (None, ""):
        try:
            sc = default_store().load(query["scenario"])
            if "concept" in query and sc.concept != cid:
                errors.append(f"Le scénario n° {sc.id} porte sur le concept « {concept(sc.concept).label} » : "
                              "c'est lui qui est affiché.")
            state.update(concept=sc.concept, overrides=sc.overrides(), scenario=sc.id)
            state["ville"] = state["ville"] or sc.code_insee
        except (ScenarioError, ParameterError) as exc:
            errors.append(str(exc))
    for name, value in query.items():
        if name in RESERVED:
            continue
        try:
            v = make_parameters(state["concept"], {**state["overrides"], name: value}).values[name]
            state["overrides"][name] = v
        except ParameterError as exc:
            errors.append(f"Paramètre de l'adresse ignoré — {exc}")
    return state, errors


# ------------------------------------------------------------------------------------------------- layout
def _slider_block(name: str) -> html.Div:
    return html.Div([
        html.Label(id={"type": SLIDER_LABEL, "name": name}, className="sim-slider-label"),
        dcc.Slider(id={"type": SLIDER, "name": name}, min=0, max=1, value=0, updatemode="mouseup",
                   tooltip={"placement": "bottom", "always_visible": False}, className="sim-slider"),
    ], id={"type": SLIDER_ROW, "name": name}, className="mb-2")


def _grid() -> dag.AgGrid:
    number = {"function": "params.value.toLocaleString('fr-FR')"}  # a typed string stays as typed
    return dag.AgGrid(
        id="sim-grid", getRowId="params.data.name", className="ag-theme-alpine sim-grid",
        columnDefs=[
            {"field": "groupe", "headerName": "Groupe", "width": 150, "filter": True},
            {"field": "libelle", "headerName": "Hypothèse", "flex": 2, "minWidth": 260, "wrapText": True,
             "autoHeight": True, "tooltipField": "name"},
            {"field": "valeur", "headerName": "Valeur ✎", "editable": True, "width": 130,
             "cellEditor": "agTextCellEditor", "cellDataType": False, "valueFormatter": number,
             "cellStyle": {"styleConditions": [{"condition": "params.data.modifie",
                                                "style": {"backgroundColor": "#fde68a", "fontWeight": "bold"}}]}},
            {"field": "unite", "headerName": "Unité", "width": 150},
            {"field": "min", "headerName": "Min", "width": 95, "valueFormatter": number},
            {"field": "max", "headerName": "Max", "width": 105, "valueFormatter": number},
            {"field": "defaut", "headerName": "Défaut", "width": 105, "valueFormatter": number},
            {"field": "justification", "headerName": "Source ou justification", "flex": 3, "minWidth": 320,
             "wrapText": True, "autoHeight": True},
        ],
        defaultColDef={"resizable": True, "sortable": True, "cellStyle": {"lineHeight": "1.35", "paddingTop": "4px"}},
        dashGridOptions={"singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True, "tooltipShowDelay": 300,
                         "localeText": {"noRowsToShow": "Aucune hypothèse"}},
        style={"height": "560px"},
    )


def _scenario_panel() -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.H3("Scénarios", className="h5"),
        dbc.Row([
            dbc.Col(dbc.Input(id="sim-scen-name", placeholder="Nom du scénario (obligatoire)", type="text"), md=5),
            dbc.Col(dbc.Input(id="sim-scen-author", placeholder="Auteur", type="text"), md=3),
            dbc.Col(dbc.Button("Enregistrer", id="sim-save", color="primary", className="w-100"), md=4),
        ], className="g-2 mb-2"),
        dbc.Textarea(id="sim-scen-note", placeholder="Note (facultative)", rows=2, className="mb-2"),
        html.Div(id="sim-scen-msg"),
        dbc.Row([
            dbc.Col(dcc.Dropdown(id="sim-scen-pick", placeholder="Choisir un scénario enregistré…",
                                 options=[]), md=6),
            dbc.Col(dbc.Button("Charger", id="sim-load", color="secondary", className="w-100"), md=3),
            dbc.Col(dbc.Button("Supprimer", id="sim-delete", color="danger", outline=True, className="w-100"), md=3),
        ], className="g-2 mb-2"),
        html.Div(id="sim-scen-table", className="sim-scen-table"),
        html.H4("Comparer deux scénarios", className="h6 mt-3"),
        dbc.Row([dbc.Col(dcc.Dropdown(id="sim-cmp-a", placeholder="Scénario A", options=[]), md=6),
                 dbc.Col(dcc.Dropdown(id="sim-cmp-b", placeholder="Scénario B", options=[]), md=6)],
                className="g-2"),
    ]), className="h-100")


def _graph(gid: str, figure: dict) -> dcc.Graph:
    return dcc.Graph(id=gid, figure=figure, config={"displaylogo": False, "locale": "fr",
                                                    "modeBarButtonsToRemove": ["lasso2d", "select2d"]})


def layout(**query):
    try:
        state, errors = state_from_query(query)
        view = render(state)
        tornado_fig = tornado(state)
    except Exception:  # never a stack trace in the browser
        log.exception("simulateur: layout")
        state, errors = {"concept": DEFAULT_CONCEPT, "ville": None, "overrides": {}, "scenario": None}, [
            "Les paramètres de l'adresse n'ont pas pu être appliqués ; hypothèses par défaut affichées."]
        view, tornado_fig = render(state), tornado(state)
    town = commune_search("sim", value=state["ville"])
    town.options = _town_option(state["ville"]) if state["ville"] else []
    sliders = [_slider_block(n) for n in SLIDERS]
    sp = view["sliders"]
    for i, block in enumerate(sliders):
        label, slider = block.children
        label.children = sp["label"][i]
        block.style = sp["style"][i]
        for prop in ("value", "min", "max", "step", "marks"):
            setattr(slider, prop, sp[prop][i])
    alerts = [dbc.Alert(e, color="warning", dismissable=True, className="mb-2") for e in errors]
    return html.Div([
        dcc.Location(id="sim-url", refresh=False),
        dcc.Store(id="sim-state", data=state),
        dcc.Store(id="sim-loaded"), dcc.Store(id="sim-saved"), dcc.Store(id="sim-scen-refresh", data=0),
        html.H1("Simulateur de concepts d'implantation", className="h2 mb-1"),
        html.P("Montée en charge, compte de résultat des années 0 à 6, financements et viabilité d'un site. "
               "Les montants sont des hypothèses (tableau en bas de page), modifiables.", className="lead mb-2"),
        html.Div(alerts, id="sim-url-alerts"),
        html.Div(id="sim-alert"),
        dbc.Row([
            dbc.Col([html.Label("Ville d'implantation", className="fw-bold"), town,
                     html.Div(view["context"], id="sim-context", className="sim-context mt-1")], lg=6),
            dbc.Col([html.Label("Concept", className="fw-bold"),
                     dbc.RadioItems(id="sim-concept", value=state["concept"], inline=True,
                                    options=[{"label": concept(c).label, "value": c} for c in concept_ids()],
                                    className="sim-concept-radio"),
                     html.Div(view["concept_desc"], id="sim-concept-desc", className="sim-concept-desc")], lg=6),
        ], className="mb-2 g-3"),
        html.Div(view["kpis"], id="sim-kpis", className="mb-2"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([
                html.H2("Hypothèses clés", className="h5"),
                dbc.Button("Revenir aux valeurs par défaut", id="sim-reset", size="sm", color="secondary",
                           outline=True, className="mb-2"),
                html.Div(sliders, id="sim-sliders"),
                html.Small("Toutes les hypothèses sont dans le tableau en bas de page.", className="text-muted"),
            ])), lg=3, className="mb-2"),
            dbc.Col(dbc.Row([
                dbc.Col(_graph("sim-fig-learners", view["learners"]), xl=6),
                dbc.Col(_graph("sim-fig-money", view["money"]), xl=6),
                dbc.Col(_graph("sim-fig-funding", view["funding"]), xl=6),
                dbc.Col(_graph("sim-fig-cumul", view["cumul"]), xl=6),
            ], className="g-2"), lg=9),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody(_graph("sim-fig-tornado", tornado_fig))), lg=6, className="mb-2"),
            dbc.Col(_scenario_panel(), lg=6, className="mb-2"),
        ], className="g-2 mt-1"),
        html.Div(id="sim-compare", className="mb-3"),
        html.H2("Hypothèses du concept", className="h4 mt-2"),
        html.P("Cliquez une valeur pour la modifier (plage autorisée dans les colonnes Min et Max). Les valeurs "
               "modifiées sont surlignées. « Documents fondateurs 2019 » : cibles du programme reproduites par "
               "le calcul ; « hypothèse à vérifier » : ordre de grandeur à confirmer.", className="mb-1"),
        _grid_with_rows(view["rows"]),
    ], className="sim-page")


def _grid_with_rows(rows):
    grid = _grid()
    grid.rowData = rows
    return grid


# ---------------------------------------------------------------------------------------------- callbacks
def _grid_change(event):
    """(name, typed value) of an ag-grid ``cellValueChanged`` event (a list in recent dash-ag-grid)."""
    if isinstance(event, list):
        event = event[-1] if event else None
    if not event:
        return None, None
    return (event.get("data") or {}).get("name") or event.get("rowId"), event.get("value")


def next_state(state: dict, triggered: set, trigger_id, trigger_value, concept_value, ville_value,
               grid_event, loaded, saved) -> tuple[dict, str | None]:
    """The new page state after one user action, and a French message (or None). Pure, testable."""
    state = {**state, "overrides": dict(state.get("overrides") or {})}
    if "sim-loaded.data" in triggered and loaded:
        return {"concept": loaded["concept"], "ville": loaded.get("ville"), "overrides": loaded["overrides"],
                "scenario": loaded["id"]}, None
    if "sim-saved.data" in triggered and saved:
        if saved.get("id"):
            state["scenario"] = saved["id"]
        elif saved.get("deleted") and saved["deleted"] == state.get("scenario"):
            state["scenario"] = None
        return state, None
    if "sim-concept.value" in triggered:
        if concept_value not in concept_ids():
            return state, f"Concept inconnu : « {concept_value} »."
        if concept_value != state["concept"]:
            state.update(concept=concept_value, overrides={}, scenario=None)
        return state, None
    if "sim-reset.n_clicks" in triggered:
        state.update(overrides={}, scenario=None)
        return state, None
    if isinstance(trigger_id, dict) and trigger_id.get("type") == SLIDER:
        if trigger_value is None:
            return state, None
        return _apply(state, trigger_id["name"], trigger_value)
    if "sim-grid.cellValueChanged" in triggered:
        name, value = _grid_change(grid_event)
        if name is None:
            return state, None
        return _apply(state, name, value)
    if any("commune-search" in t for t in triggered):
        if ville_value and ville_value not in _communes().index:
            return state, f"Commune inconnue : « {str(ville_value)[:20]} »."
        state["ville"] = ville_value or None
        return state, None
    return state, None


def _apply(state: dict, name: str, value) -> tuple[dict, str | None]:
    try:
        params = make_parameters(state["concept"], {**state["overrides"], name: value})
    except ParameterError as exc:
        return state, f"Valeur refusée — {exc} La valeur précédente est conservée."
    spec = concept(state["concept"]).specs[name]
    new = params.values[name]
    if new == spec.default:
        state["overrides"].pop(name, None)
    else:
        state["overrides"][name] = new
    state["scenario"] = None  # modified: the URL now carries the values, no longer the saved scenario
    return state, None


@callback(
    Output("sim-state", "data"), Output("sim-url", "search"), Output("sim-alert", "children"),
    Output("sim-kpis", "children"), Output("sim-fig-learners", "figure"), Output("sim-fig-money", "figure"),
    Output("sim-fig-funding", "figure"), Output("sim-fig-cumul", "figure"), Output("sim-context", "children"),
    Output("sim-grid", "rowData"), Output("sim-concept-desc", "children"), Output("sim-concept", "value"),
    Output(TOWN, "value"), Output(TOWN, "options", allow_duplicate=True),
    Output({"type": SLIDER, "name": ALL}, "value"), Output({"type": SLIDER, "name": ALL}, "min"),
    Output({"type": SLIDER, "name": ALL}, "max"), Output({"type": SLIDER, "name": ALL}, "step"),
    Output({"type": SLIDER, "name": ALL}, "marks"), Output({"type": SLIDER_LABEL, "name": ALL}, "children"),
    Output({"type": SLIDER_ROW, "name": ALL}, "style"),
    Input("sim-concept", "value"), Input(TOWN, "value"), Input({"type": SLIDER, "name": ALL}, "value"),
    Input("sim-grid", "cellValueChanged"), Input("sim-reset", "n_clicks"), Input("sim-loaded", "data"),
    Input("sim-saved", "data"), State("sim-state", "data"),
    prevent_initial_call=True,
)
def update(concept_value, ville_value, _sliders, grid_event, _reset, loaded, saved, state):
    """Any change (concept, town, slider, table cell, reset, scenario loaded/saved) → recompute everything."""
    triggered = set(ctx.triggered_prop_ids)
    trigger = ctx.triggered[0] if ctx.triggered else {}
    try:
        new, message = next_state(state, triggered, ctx.triggered_id, trigger.get("value"), concept_value,
                                  ville_value, grid_event, loaded, saved)
        view = render(new)
    except Exception:  # noqa: BLE001 — a French message, never a trace
        log.exception("simulateur: update")
        new, message = state, "Le calcul n'a pas pu être fait ; les hypothèses précédentes sont conservées."
        try:
            view = render(state)
        except Exception:  # noqa: BLE001 — even the previous state is unusable: defaults of the concept
            cid = state.get("concept") if state.get("concept") in concept_ids() else DEFAULT_CONCEPT
            new = {"concept": cid, "ville": None, "overrides": {}, "scenario": None}
            view = render(new)
    alert = dbc.Alert(message, color="danger", dismissable=True, className="mb-2") if message else None
    n = len(SLIDERS)
    from_slider = isinstance(ctx.triggered_id, dict) and ctx.triggered_id.get("type") == SLIDER and not message
    sp = view["sliders"]
    if from_slider:  # do not fight the hand on the slider; the others keep their values too
        sliders = [[no_update] * n for _ in range(5)] + [[no_update] * n, [no_update] * n]
    else:
        sliders = [sp["value"], sp["min"], sp["max"], sp["step"], sp["marks"], sp["label"], sp["style"]]
    relay_concept = new["concept"] if new["concept"] != concept_value else no_update
    relay_town = new.get("ville") if new.get("ville") != ville_value else no_update
    town_options = _town_option(new["ville"]) if relay_town is not no_update and new.get("ville") else no_update
    return (new, view["search"], alert, view["kpis"], view["learners"], view["money"], view["funding"],
            view["cumul"], view["context"], view["rows"], view["concept_desc"], relay_concept, relay_town,
            town_options, *sliders)


@callback(Output("sim-fig-tornado", "figure"), Input("sim-state", "data"), prevent_initial_call=True)
def update_tornado(state):
    try:
        return tornado(state)
    except Exception:  # noqa: BLE001
        log.exception("simulateur: tornado")
        return no_update


# -------------------------------------------------------------------------------------------- scenarios
def _paris_time(dt) -> str:
    """Saved times are UTC (SQLite gives them back naive): shown in French local time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def _scenario_label(sc) -> str:
    town = _communes().loc[sc.code_insee, "nom"] if sc.code_insee in _communes().index else "sans ville"
    return (f"n° {sc.id} · {sc.title} · {concept(sc.concept).label if sc.concept in concept_ids() else sc.concept}"
            f" · {town}")


@callback(Output("sim-scen-pick", "options"), Output("sim-cmp-a", "options"), Output("sim-cmp-b", "options"),
          Output("sim-scen-table", "children"), Input("sim-scen-refresh", "data"))
def refresh_scenarios(_nonce):
    try:
        scenarios = default_store().list()
    except Exception:  # noqa: BLE001
        log.exception("simulateur: list")
        return [], [], [], dbc.Alert("Liste des scénarios indisponible (base de données).", color="danger")
    options = [{"label": _scenario_label(s), "value": s.id} for s in scenarios]
    compare = [{"label": "Simulation en cours (à l'écran)", "value": CURRENT}] + options
    if not scenarios:
        table = html.Small("Aucun scénario enregistré.", className="text-muted")
    else:
        head = html.Thead(html.Tr([html.Th(h) for h in ("n°", "Nom", "Version", "Auteur", "Concept", "Ville",
                                                        "Enregistré le", "Note")]))
        body = html.Tbody([html.Tr([
            html.Td(s.id), html.Td(s.name), html.Td(s.version), html.Td(s.author),
            html.Td(concept(s.concept).label if s.concept in concept_ids() else s.concept),
            html.Td(_communes().loc[s.code_insee, "nom"] if s.code_insee in _communes().index else "—"),
            html.Td(_paris_time(s.created_at)), html.Td(s.note)]) for s in scenarios[:50]])
        table = dbc.Table([head, body], size="sm", striped=True, responsive=True, className="mb-0")
    return options, compare, compare, table


@callback(Output("sim-scen-msg", "children"), Output("sim-saved", "data"), Output("sim-scen-refresh", "data"),
          Input("sim-save", "n_clicks"), State("sim-scen-name", "value"), State("sim-scen-author", "value"),
          State("sim-scen-note", "value"), State("sim-state", "data"), State("sim-scen-refresh", "data"),
          prevent_initial_call=True)
def save_scenario(_n, name, author, note, state, nonce):
    try:
        sid = default_store().save(name, state["concept"], state.get("overrides") or {}, author=author or "",
                                   note=note or "", code_insee=state.get("ville"))
        sc = default_store().load(sid)
    except ScenarioError as exc:
        return dbc.Alert(str(exc), color="danger", dismissable=True), no_update, no_update
    except Exception:  # noqa: BLE001
        log.exception("simulateur: save")
        return dbc.Alert("Enregistrement impossible (base de données) ; rien n'a été perdu, réessayez.",
                         color="danger", dismissable=True), no_update, no_update
    msg = dbc.Alert(f"Scénario « {sc.name} » enregistré : version {sc.version} (n° {sc.id}).", color="success",
                    dismissable=True, duration=8000)
    return msg, {"id": sid}, (nonce or 0) + 1


@callback(Output("sim-scen-msg", "children", allow_duplicate=True), Output("sim-loaded", "data"),
          Input("sim-load", "n_clicks"), State("sim-scen-pick", "value"), prevent_initial_call=True)
def load_scenario(_n, sid):
    try:
        sc = default_store().load(sid)
        make_parameters(sc.concept, sc.overrides())  # still valid with today's parameter ranges?
    except (ScenarioError, ParameterError) as exc:
        msg = "Choisissez d'abord un scénario dans la liste." if sid is None else str(exc)
        return dbc.Alert(msg, color="danger", dismissable=True), no_update
    return (dbc.Alert(f"Scénario « {sc.title} » chargé.", color="info", dismissable=True, duration=6000),
            {"id": sc.id, "concept": sc.concept, "ville": sc.code_insee, "overrides": sc.overrides()})


@callback(Output("sim-scen-msg", "children", allow_duplicate=True),
          Output("sim-scen-refresh", "data", allow_duplicate=True), Output("sim-saved", "data", allow_duplicate=True),
          Input("sim-delete", "n_clicks"), State("sim-scen-pick", "value"), State("sim-scen-refresh", "data"),
          prevent_initial_call=True)
def delete_scenario(_n, sid, nonce):
    if sid is None:
        return dbc.Alert("Choisissez d'abord un scénario dans la liste.", color="warning", dismissable=True), \
            no_update, no_update
    try:
        sc = default_store().load(sid)
        default_store().delete(sid)
    except ScenarioError as exc:
        return dbc.Alert(str(exc), color="danger", dismissable=True), (nonce or 0) + 1, no_update
    return (dbc.Alert(f"Scénario « {sc.title} » supprimé (les autres versions sont conservées).", color="info",
                      dismissable=True, duration=8000), (nonce or 0) + 1, {"deleted": sc.id})


def _resolve(choice, state):
    """(title, SimulationResult) of a compare choice: the on-screen simulation or a saved scenario id."""
    if choice == CURRENT:
        return "simulation en cours", simulate(make_parameters(state["concept"], state.get("overrides") or {}))
    sc = default_store().load(parse_scenario_id(choice))
    return sc.title, simulate(make_parameters(sc.concept, sc.overrides()))


def compare_table(a, b, title_a: str, title_b: str) -> dbc.Table:
    rows = [("Concept", concept(a.concept).label, concept(b.concept).label)]
    ka, kb = a.kpis, b.kpis
    for label, key, fmt in [
        (f"Auditeurs en année {CRUISING_YEAR}", "learners_year4", fr_number),
        ("Seuil d'équilibre (auditeurs/an)", "break_even_learners",
         lambda x: "jamais" if x is None else fr_number(math.ceil(x - 1e-9))),
        ("Autofinancement dès l'année", "self_financing_year", lambda x: "jamais" if x is None else str(x)),
        (f"Résultat de l'année {CRUISING_YEAR}", "net_year4", fr_euros),
        ("Financement public total", "public_funding_total", fr_euros),
        ("Fonds propres du Cnam", "cnam_own_funds_total", fr_euros),
        ("Résultat cumulé en année 6", "cumulative_net_year6", fr_euros),
        (f"Coût par auditeur (année {CRUISING_YEAR})", "cost_per_learner", fr_euros),
    ]:
        rows.append((label, fmt(ka[key]), fmt(kb[key])))
    specs = concept(a.concept).specs
    if a.concept == b.concept:
        for name, spec in specs.items():
            va, vb = a.params.values[name], b.params.values[name]
            if va != vb:
                rows.append((f"{spec.label} ({spec.unit})", fr_number(va, 2 if not va.is_integer() else 0),
                             fr_number(vb, 2 if not vb.is_integer() else 0)))
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
                 dbc.Col(_graph("sim-fig-compare", charts.compare_figure(ra, rb, ta, tb)), lg=7)]),
    ]))
