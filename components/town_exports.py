"""Downloads of the town profile: CSV of the indicators and standalone offline HTML map (``dcc.Download`` payloads)."""
from __future__ import annotations

from datetime import date

from components.commune_search import fold
from components.town_map import town_map_html
from models.domain.town_profile import indicator_rows, profile


def _slug(name: str) -> str:
    return fold(name).replace(" ", "-")


def csv_export(code_insee: str) -> dict:
    """One row per indicator, with source and date; ``;`` separator, decimal comma, UTF-8 with BOM (Excel)."""
    p = profile(code_insee)
    text = indicator_rows(p).to_csv(index=False, sep=";", decimal=",")
    return {"content": "\ufeff" + text, "filename": f"fiche_{p.code_insee}_{_slug(p.nom)}_indicateurs.csv",
            "type": "text/csv"}


def html_export(code_insee: str) -> dict:
    """Standalone HTML map of the town and its partners, opens offline."""
    p = profile(code_insee)
    return {"content": town_map_html(p, generated=f"carte générée le {date.today().strftime('%d/%m/%Y')}"),
            "filename": f"carte_{p.code_insee}_{_slug(p.nom)}.html", "type": "text/html"}
