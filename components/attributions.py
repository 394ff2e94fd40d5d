"""Licence Ouverte attributions: the one-line footer (app shell) and the detailed list (page /sources).

Licence Ouverte / Etalab 2.0 asks for the producer of each dataset and the date of its last update: the
footer names the producers, the page /sources gives dataset by dataset the producer, origin and date.
"""
from __future__ import annotations

from dash import dcc, html

from models.text.display_names import plain

PRODUCTEURS = "INSEE, ANCT, Ministère de l'Éducation nationale (DEPP), France Travail, DARES"
LICENCE = "Licence Ouverte / Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def footer_attributions() -> html.Div:
    """Short French attribution line for the footer of every page, with a link to /sources."""
    return html.Div([
        html.Span(f"Sources : {PRODUCTEURS} — "),
        html.A(LICENCE, href=LICENCE_URL, target="_blank", rel="noopener"),
        html.Span(" · "),
        dcc.Link("détail sur la page Sources", href="/sources"),
    ], id="footer-attributions", className="atlas-attributions")


def attribution_lines(datasets: dict) -> list[str]:
    """One attribution per dataset under Licence Ouverte: « producteur — titre (date) ».

    Parameters
    ----------
    datasets : dict
        ``geodata.sources()["datasets"]``.
    """
    lines = []
    for d in datasets.values():
        if "licence ouverte" in str(d.get("licence", "")).lower():
            lines.append(plain(f"{d.get('publisher', '?')} — {d.get('title', d.get('file', '?'))} ({d.get('date', '?')})"))
    return sorted(dict.fromkeys(lines))
