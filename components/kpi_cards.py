"""Generic KPI cards (big number, title, one-line explanation), readable on a projector. Reusable by any page.

>>> kpi_row([kpi_card("Seuil d'équilibre", "126 auditeurs/an", "année 4, au mix de croisière")])
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from models.text import fr_format as F

TITLE_STYLE = {"fontSize": "0.95rem", "fontWeight": 600, "color": "#444", "textTransform": "uppercase",
               "letterSpacing": "0.02em"}
VALUE_STYLE = {"fontSize": "1.75rem", "fontWeight": 700, "lineHeight": 1.15, "fontVariantNumeric": "tabular-nums"}
DETAIL_STYLE = {"fontSize": "0.9rem", "color": "#555"}
TONES = {None: "#1a1a1a", "good": "#1b7837", "bad": "#b2182b", "warn": "#8c510a"}  # text colours, AA contrast


def kpi_card(title: str, value: str, detail: str | None = None, tone: str | None = None,
             card_id: str | None = None) -> dbc.Card:
    """One card: ``title`` (small caps), ``value`` (large), ``detail`` (small). ``tone``: good/bad/warn/None."""
    body = [html.Div(title, className="kpi-title", style=TITLE_STYLE),
            html.Div(value, className="kpi-value", style={**VALUE_STYLE, "color": TONES.get(tone, TONES[None])})]
    if detail:
        body.append(html.Div(detail, className="kpi-detail", style=DETAIL_STYLE))
    kwargs = {"id": card_id} if card_id else {}
    return dbc.Card(dbc.CardBody(body, className="p-2"), className="kpi-card h-100", **kwargs)


def kpi_row(cards: list, **row_kwargs) -> dbc.Row:
    """Cards side by side, equal widths, wrapping on small screens."""
    width = max(2, 12 // max(1, len(cards)))
    return dbc.Row([dbc.Col(c, xs=6, md=width, className="mb-2") for c in cards], className="g-2 kpi-row",
                   **row_kwargs)


# French numbers come from the one formatter (models.text.fr_format); these names stay for the pages.
fr_number = F.num
fr_euros = F.euros
