"""The ranking table (dash-ag-grid): rank, town (pinned), score, concept suggestion, raw criteria.

Unknown values show « n.d. » (never 0). Numbers in French format.
"""
from __future__ import annotations

import math
from functools import lru_cache

import dash_ag_grid as dag
import pandas as pd

from components.grid_locale import grid_locale
from models.domain.concept_fit import CONCEPTS, concept_fit_table
from models.domain.scoring import CRITERIA, KEYS, cached_table
from components.territory import current_territory

FR_NUMBER = ("params.value == null ? 'n.d.' : "
             "Number(params.value).toLocaleString('fr-FR', {maximumFractionDigits: %d})")
FR_SCORE = ("params.value == null ? 'n.d.' : Number(params.value).toLocaleString('fr-FR', "
            "{minimumFractionDigits: 1, maximumFractionDigits: 1})")
MISSING_STYLE = {"styleConditions": [{"condition": "params.value == null",
                                      "style": {"color": "#777", "fontStyle": "italic"}}]}


def _concepts(codes: tuple[str, ...]) -> pd.DataFrame:
    """Suggested concept and its reason per town (models.domain.concept_fit)."""
    t = concept_fit_table(list(codes)).set_index("code_insee")
    return pd.DataFrame({"concept": t["concept_suggere"].map(CONCEPTS), "raison": t["raison"]})


@lru_cache(maxsize=32)
def static_rows(codes: tuple[str, ...]) -> dict[str, dict]:
    """The parts of each row that do not depend on the weights (raw criteria, concept), per code."""
    t = cached_table(codes).table
    concepts = _concepts(codes)
    rows = {}
    pvd = set(current_territory().layer("pvd")["code_insee"])
    for code, r in t.iterrows():
        row = {"code_insee": code, "nom": r["nom"], "ville": f"[{r['nom']}](/ville/{code})",
               "acv": "ACV" if r["is_acv"] else "PVD" if code in pvd else "ajoutée",
               "concept": concepts.at[code, "concept"], "raison": concepts.at[code, "raison"],
               "site_cnam_proche": r["site_cnam_proche"], "mission_locale": _mission_locale(r),
               "gare": f"{r['gare_nom']} ({r['gare_commune']})" if r["gare_commune"] != r["nom"] else r["gare_nom"]}
        for k in KEYS:
            v = float(r[k])
            row[k] = None if math.isnan(v) else round(v, 2)
        rows[code] = row
    return rows


def _mission_locale(r) -> str:
    """The mission locale serving the town, and whether it is "proche" (the one town fact of the concept fit)."""
    if r["mission_locale_nommee"]:
        where = f"porte le nom de la ville, siège à {r['mission_locale_commune']}"
    elif r["mission_locale_km"] == 0:
        where = "siège dans la ville"
    else:
        where = f"siège à {r['mission_locale_commune']}, " + ("proche" if r["mission_locale_proche"] else "pas proche")
    return f"{r['mission_locale_nom']} ({where})"


DYNAMIC = ("code_insee", "rang", "score", "couverture", "manquants")


def dynamic_columns(ranked: pd.DataFrame) -> dict[str, list]:
    """The weight-dependent fields, column-wise in rank order (merged with :func:`static_rows` in the browser)."""
    return {
        "code_insee": ranked["code_insee"].tolist(),
        "rang": [int(r) for r in ranked["rang"].tolist()],
        "score": [None if math.isnan(v) else round(v, 1) for v in ranked["score"].tolist()],
        "couverture": [round(100 * v) for v in ranked["couverture"].tolist()],
        "manquants": [m or "" for m in ranked["manquants"].tolist()],
    }


# rowData = static part of each town (sent once per candidate set) + its weight-dependent fields
MERGE_ROWS_JS = """function(dyn, stat) {
    const nu = window.dash_clientside.no_update;
    if (!dyn || !stat) { return nu; }
    const rows = [];
    for (let i = 0; i < dyn.code_insee.length; i++) {
        const base = stat[dyn.code_insee[i]];
        if (!base) { return nu; }
        rows.push(Object.assign({}, base, {rang: dyn.rang[i], score: dyn.score[i], couverture: dyn.couverture[i],
                                          manquants: dyn.manquants[i]}));
    }
    return rows;
}"""


def merge_rows(dyn: dict, static: dict) -> list[dict]:
    """Python twin of :data:`MERGE_ROWS_JS` (tests, CSV export)."""
    return [{**static[c], **{k: dyn[k][i] for k in DYNAMIC}} for i, c in enumerate(dyn["code_insee"])]


def row_data(ranked: pd.DataFrame, codes: tuple[str, ...]) -> list[dict]:
    """Grid rows in rank order."""
    return merge_rows(dynamic_columns(ranked), static_rows(codes))


def column_defs() -> list[dict]:
    cols = [
        {"field": "rang", "headerName": "Rang", "pinned": "left", "width": 100, "wrapHeaderText": False, "filter": False,
         "sort": "asc"},
        {"field": "ville", "headerName": "Ville", "pinned": "left", "width": 210, "filter": "agTextColumnFilter",
         "cellRenderer": "markdown", "headerTooltip": "Cliquez sur une ville pour ouvrir sa fiche",
         "filterValueGetter": {"function": "params.data.nom"}, "comparator": {"function": "(a, b) => a.localeCompare(b, 'fr')"}},
        {"field": "score", "headerName": "Score /100", "width": 120, "filter": "agNumberColumnFilter",
         "valueFormatter": {"function": FR_SCORE}, "cellClassRules": {"fw-bold": "true"}},
        {"field": "manquants", "headerName": "Données inconnues", "width": 200, "filter": "agTextColumnFilter",
         "tooltipField": "manquants"},
        {"field": "concept", "headerName": "Concept suggéré", "width": 170, "filter": "agTextColumnFilter",
         "tooltipField": "raison"},
        {"field": "raison", "headerName": "Pourquoi ce concept", "width": 340, "filter": "agTextColumnFilter",
         "tooltipField": "raison"},
        {"field": "acv", "headerName": "Statut", "width": 110, "filter": "agTextColumnFilter"},
    ]
    for c in CRITERIA:
        digits = 1 if c.unit in ("%", "min", "km") else 0
        unit = f" ({c.unit})" if c.unit and f"({c.unit})" not in c.label else ""  # every figure with its unit
        cols.append({"field": c.key, "headerName": c.label + unit,
                     "headerTooltip": c.explanation(), "width": 170, "filter": "agNumberColumnFilter",
                     "type": "rightAligned", "valueFormatter": {"function": FR_NUMBER % digits},
                     "cellStyle": MISSING_STYLE})
    cols.append({"field": "mission_locale", "headerName": "Mission locale qui dessert la ville", "width": 260,
                 "filter": "agTextColumnFilter", "tooltipField": "mission_locale"})
    cols.append({"field": "gare", "headerName": "Gare TER la plus proche", "width": 200,
                 "filter": "agTextColumnFilter"})
    cols.append({"field": "site_cnam_proche", "headerName": "Site Cnam le plus proche", "width": 180,
                 "filter": "agTextColumnFilter"})
    cols.append({"field": "couverture", "headerName": "Poids connu (%)", "width": 130,
                 "filter": "agNumberColumnFilter", "headerTooltip": "Part du poids total dont la valeur est connue"})
    return cols


def ranking_grid(grid_id: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=grid_id, columnDefs=column_defs(), rowData=[], getRowId="params.data.code_insee",
        defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True,
                       "floatingFilter": False},
        dashGridOptions={"animateRows": True, "tooltipShowDelay": 300, "enableCellTextSelection": True,
                         "localeText": grid_locale(noRowsToShow="Aucune ville")},
        style={"height": "560px", "width": "100%", "--ag-font-size": "16px", "--ag-header-font-size": "15px"},
        className="ranking-grid",
    )
