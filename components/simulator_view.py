"""View of /simulateur: everything the page shows for a state (KPI cards, charts, town context, sliders, table).

:func:`render` turns a state from :mod:`components.simulator_state` into the props of the page; the layout
builders (:func:`slider_block`, :func:`assumptions_grid`) make the widgets once.
"""
from __future__ import annotations

import math

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from components import simulator_charts as charts
from components import simulator_demand
from components.glossary import annotate
from components.graph_config import graph
from components.grid_locale import grid_locale
from components.kpi_cards import fr_euros, fr_number, kpi_card, kpi_row
from components.simulator_state import (LEARNERS, expected, learners_source, nice_step, parameters, search_string,
                                        slider_names)
from models.text.fr_format import num_short
from models.domain.demand import reaches_break_even
from models.domain.simulator import CRUISING_YEAR, concept, sensitivity, simulate

SLIDER, SLIDER_ROW, SLIDER_LABEL, SLIDER_VALUE = "sim-slider", "sim-slider-row", "sim-slider-label", "sim-slider-value"


def kpi_cards(result, est: dict | None = None) -> dbc.Row:
    k = result.kpis
    be, learners, sfy = k["break_even_learners"], k["learners_year4"], k["self_financing_year"]
    funded = int(result.params.values["annees_financement_public"])
    cards = [
        kpi_card("Seuil d'équilibre", "jamais" if be is None else f"{fr_number(math.ceil(be - 1e-9))} auditeurs",
                 f"par an : résultat de l'année {CRUISING_YEAR} = 0, au mix de croisière",
                 "good" if be is not None and reaches_break_even(learners, be) else "bad"),
        kpi_card("Autofinancement", "jamais (années 1–6)" if sfy is None else f"dès l'année {sfy}",
                 "résultat ≥ 0 sans subvention, et ensuite",
                 "bad" if sfy is None else ("good" if sfy <= CRUISING_YEAR else "warn")),
        kpi_card("Financement public", fr_euros(k["public_funding_total"]),
                 f"années 0–{funded} · + {fr_euros(k['cnam_own_funds_total'])} de fonds propres Cnam"),
        kpi_card(f"Résultat de l'année {CRUISING_YEAR}", fr_euros(k["net_year4"]), "sans financement public",
                 "good" if k["net_year4"] >= 0 else "bad"),
        kpi_card(f"Auditeurs en année {CRUISING_YEAR}", fr_number(learners),
                 (f"modèle : {fr_number(est['low'])} à {fr_number(est['high'])} · " if est else "")
                 + f"coût par auditeur : {fr_euros(k['cost_per_learner'])}"),
        kpi_card("Besoin de trésorerie", fr_euros(k["max_funding_need"]), "déficit cumulé maximal avant subventions"),
    ]
    return kpi_row(cards, id="sim-kpi-row")


def grid_rows(concept_id: str, values: dict) -> list[dict]:
    return [{"name": name, "groupe": spec.group, "libelle": spec.label, "valeur": values[name], "unite": spec.unit,
             "min": spec.min, "max": spec.max, "defaut": spec.default, "modifie": values[name] != spec.default,
             "portee": "commun" if spec.common else "concept", "justification": spec.rationale}
            for name, spec in concept(concept_id).specs.items()]


def value_text(value: float, unit: str) -> str:
    """The value shown beside a slider, French format: ``2,5 ETP``."""
    return f"{num_short(value, 2)}\u00a0{unit}"


def slider_props(concept_id: str, values: dict) -> dict:
    """Per-slider value, range, step, marks, label, shown value and visibility (lists in slider order)."""
    specs = concept(concept_id).specs
    out = {k: [] for k in ("value", "min", "max", "step", "marks", "label", "text", "style")}
    for name in slider_names():
        s = specs[name]
        out["value"].append(values[name])
        out["min"].append(s.min)
        out["max"].append(s.max)
        out["step"].append(nice_step(s))
        out["marks"].append({s.min: fr_number(s.min), s.max: fr_number(s.max)})
        out["label"].append(s.label)
        out["text"].append(value_text(values[name], s.unit))
        unused = name.startswith("recette_") and values.get("part_" + name[len("recette_"):], 1) == 0
        out["style"].append({} if s.slider and not unused else {"display": "none"})
    return out


def render(state: dict) -> dict:
    """Everything the page shows for ``state`` (already validated)."""
    params = parameters(state)
    result = simulate(params)
    c = concept(state["concept"])
    est = expected(state)
    band = None if est is None else tuple(simulate(params.replace(**{LEARNERS: round(est[k])}))
                                          for k in ("low", "high"))
    return {
        "kpis": kpi_cards(result, est), "learners": charts.learners_figure(result),
        "money": charts.revenue_costs_figure(result), "funding": charts.funding_figure(result),
        "cumul": charts.cumulative_figure(result, band),
        "context": simulator_demand.block(state, result, learners_source(state)),
        "rows": grid_rows(state["concept"], params.values), "sliders": slider_props(state["concept"], params.values),
        "concept_desc": [html.Strong(c.target), html.Br(), *annotate(c.description)], "search": search_string(state),
    }


def tornado(state: dict) -> dict:
    return charts.tornado_figure(sensitivity(parameters(state)))


def slider_block(name: str, props: dict, i: int) -> html.Div:
    """Label, current value (always shown, at every width) and slider of parameter ``name``."""
    label = props["label"][i]
    return html.Div([
        html.Div([html.Label(annotate(label), id={"type": SLIDER_LABEL, "name": name}, className="sim-slider-label"),
                  html.Output(props["text"][i], id={"type": SLIDER_VALUE, "name": name},
                              className="sim-slider-value", **{"aria-live": "polite"})],
                 className="sim-slider-head"),
        dcc.Slider(id={"type": SLIDER, "name": name}, min=props["min"][i], max=props["max"][i],
                   value=props["value"][i], step=props["step"][i], marks=props["marks"][i], updatemode="drag",
                   allow_direct_input=False, className="sim-slider"),
    ], id={"type": SLIDER_ROW, "name": name}, className="mb-2 sim-slider-row", style=props["style"][i],
        **{"data-slider-label": label})  # accessible name of the thumb (assets/08_accessibility.js)


def chart(gid: str, figure: dict) -> dcc.Graph:
    return graph(gid, figure)


def assumptions_grid(rows: list[dict]) -> dag.AgGrid:
    number = {"function": "params.value.toLocaleString('fr-FR')"}  # a typed string stays as typed
    return dag.AgGrid(
        id="sim-grid", getRowId="params.data.name", className="ag-theme-alpine sim-grid", rowData=rows,
        columnDefs=[
            {"field": "groupe", "headerName": "Groupe", "width": 150, "filter": True},
            {"field": "libelle", "headerName": "Hypothèse", "flex": 2, "minWidth": 260, "wrapText": True,
             "autoHeight": True},
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
        # the grid grows with its rows (about 30): no scroll box of its own, which a keyboard could not scroll
        # (axe scrollable-region-focusable: the cells are not Tab stops)
        dashGridOptions={"singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True, "domLayout": "autoHeight",
                         "localeText": grid_locale(noRowsToShow="Aucune hypothèse")},
        style={"height": None},
    )
