"""AG Grid tables of the coverage page: short French headers (no word broken at 1280 px, see assets/coverage.css),
French number formats, town names linking to their profile, CSV export (";" separator)."""
from __future__ import annotations

import dash_ag_grid as dag

from components.grid_locale import grid_locale

INT = {"function": "params.value == null ? '—' : Math.round(params.value).toLocaleString('fr-FR')"}
DEC1 = {"function": "params.value == null ? '—' : params.value.toLocaleString('fr-FR', "
                    "{minimumFractionDigits: 1, maximumFractionDigits: 1})"}
PCT = {"function": "params.value == null ? '—' : (100 * params.value).toLocaleString('fr-FR', "
                   "{minimumFractionDigits: 1, maximumFractionDigits: 1}) + ' %'"}
EUR = {"function": "params.value == null ? '—' : Math.round(params.value).toLocaleString('fr-FR') + ' €'"}
YESNO = {"function": "params.value == null ? '—' : (params.value ? 'oui' : 'non')"}
LOCALE = grid_locale(noRowsToShow="Aucune ligne")  # French texts, screen-reader ones included


def col(field: str, header: str, kind: str | None = None, **extra) -> dict:
    """Column definition; ``kind`` in int, dec1, pct, eur, yesno (numbers right-aligned, sortable)."""
    fmt = {"int": INT, "dec1": DEC1, "pct": PCT, "eur": EUR, "yesno": YESNO}.get(kind)
    longest = max(len(w) for w in header.replace("-", " ").split())
    # headers wrap at spaces only: the column is at least as wide as its longest word at 16 px (+ the sort arrow)
    out = {"field": field, "headerName": header, "minWidth": max(90, 10 * longest + 44), **extra}
    if fmt:
        out["valueFormatter"] = fmt
    if kind == "yesno":
        out["cellDataType"] = "text"  # "oui"/"non" instead of a checkbox
    if kind in ("int", "dec1", "pct", "eur"):
        out["type"] = "rightAligned"
        out.setdefault("filter", "agNumberColumnFilter")
    return out


def grid(grid_id: str, columns: list[dict], file_name: str, height: int = 360, selectable: bool = False,
         row_id: str | None = None, **kwargs) -> dag.AgGrid:
    options = {"localeText": LOCALE, "animateRows": False, "tooltipShowDelay": 300}
    if selectable:
        options["rowSelection"] = {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False,
                                   "enableClickSelection": False}
    extra = {"getRowId": f"params.data.{row_id}"} if row_id else {}
    kwargs.setdefault("rowData", [])
    return dag.AgGrid(
        id=grid_id, columnDefs=columns, className="ag-theme-alpine cov-grid",
        defaultColDef={"sortable": True, "resizable": True, "filter": True, "minWidth": 90, "wrapHeaderText": True,
                       "autoHeaderHeight": True, "suppressHeaderMenuButton": True,
                       "suppressHeaderFilterButton": True},  # headers: text and sort only, room for the words
        dashGridOptions=options, columnSize="responsiveSizeToFit", style={"height": f"{height}px"},
        csvExportParams={"fileName": file_name, "columnSeparator": ";", "allColumns": True}, **extra, **kwargs)


LINK = {"cellRenderer": "CommuneLink"}  # assets/coverage.js: the name links to /ville/<code_insee>
HIDDEN = {"hide": True}  # in the CSV export, not on screen (the town's link carries its code)


def candidate_columns(unit: str = "hab.", minutes: float = 30) -> list[dict]:
    """Candidates table; ``unit`` of the demand (hab., demandeurs d'emploi…) and the threshold in headers."""
    return [
        col("nom", "Commune", pinned="left", minWidth=210, **LINK), col("departement", "Dép."),
        col("densite_libelle", "Densité", minWidth=150), col("population", "Population", "int"),
        col("gain", f"Demande ajoutée ({unit})", "int", minWidth=150),
        col("catchment", f"Habitants à {minutes:g} min", "int"),
        col("expected_learners", "Apprenants attendus / an", "int"), col("low", "bas", "int"),
        col("high", "haut", "int"), col("net_new", "dont nets", "int"),
        col("break_even", "Point mort (apprenants / an)", "int"),
        col("viable", "Viable", "yesno"), col("origine", "Origine", minWidth=150),
        col("code_insee", "Code INSEE", **HIDDEN),
    ]


CHOSEN_COLUMNS = [
    col("ordre", "Rang", "int"), col("nom", "Commune", minWidth=210, **LINK),
    col("acv", "Ville ACV", "yesno"), col("gain", "Demande ajoutée", "int"),
    col("served_population", "Habitants desservis", "int"),
    col("expected_learners", "Apprenants attendus / an", "int"), col("low", "bas", "int"), col("high", "haut", "int"),
    col("drawn", "pris aux sites existants", "int"), col("net_new", "nets", "int"),
    col("break_even", "Point mort (apprenants / an)", "int"), col("viable", "Viable", "yesno"),
    col("cost", "Coût années 0–3", "eur"), col("code_insee", "Code INSEE", **HIDDEN),
]
COMPARISON_COLUMNS = [
    col("reseau", "Réseau", minWidth=200), col("sites", "Sites", "int"),
    col("nouveaux", "Nouveaux", "int"), col("covered_population", "Habitants couverts", "int"),
    col("covered_share", "Part couverte", "pct"), col("uncovered_population", "Non couverts", "int"),
    col("largest_zone", "Plus grande zone blanche (hab.)", "int", minWidth=170),
    col("zones_blanches", "Zones", "int"), col("detail", "Détail", minWidth=260),
]
WHOLE = {"wrapText": True, "autoHeight": True, "cellStyle": {"lineHeight": "1.3", "wordBreak": "normal",
                                                              "paddingTop": "4px", "paddingBottom": "4px"}}
DEMAND_TIP = {"headerTooltip": "Demande pondérée : habitants, 15–64 ans ou demandeurs d'emploi selon le choix "
                               "« Pondérer la demande par »"}
ZONE_COLUMNS = [  # the answer first: most people left out first, the zone's whole name beside its population
    col("rang", "Rang", "int", maxWidth=90), col("nom", "Zone : principales communes (départements)", minWidth=320,
                                                 flex=3, **WHOLE),
    col("population", "Population (hab.)", "int"), col("demand", "Demande (pondérée)", "int", **DEMAND_TIP),
    col("communes", "Communes (nombre)", "int"), col("minutes_max", "Temps max. (min)", "int"),
]
LEVEL_COLUMNS = [  # worst served first: the covered share leads, then the territory's whole name
    col("covered_share", "Part couverte", "pct", sort="asc", pinned="left", maxWidth=130),
    col("nom", "Territoire", minWidth=220, flex=2, **WHOLE),
    col("uncovered_population", "Habitants non couverts", "int"), col("population", "Population (hab.)", "int"),
    col("covered_population", "Habitants couverts", "int"), col("demand", "Demande (pondérée)", "int", **DEMAND_TIP),
    col("uncovered_communes", "Communes non couvertes", "int"), col("communes", "Communes (nombre)", "int"),
    col("code", "Code"),
]
NETWORK_COLUMNS = [
    col("commune", "Commune", minWidth=150, **LINK), col("nom", "Libellé", minWidth=260), col("type", "Type"),
    col("source_label", "Source", minWidth=200), col("fiabilite", "Fiabilité"), col("origine", "Origine"),
    col("site_id", "Identifiant"), col("code_insee", "Code INSEE", **HIDDEN), col("lon", "Longitude", **HIDDEN),
    col("lat", "Latitude", **HIDDEN),
]
HISTORY_COLUMNS = [
    col("id", "N°", "int"), col("quand", "Date (UTC)", minWidth=150), col("author", "Auteur"),
    col("action_fr", "Action"), col("site_id", "Site"), col("commune", "Commune"),
]
