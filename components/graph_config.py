"""One configuration for every chart: French locale, no Plotly logo, a short toolbar.

The toolbar itself (download image + full screen, out of the Tab order) is set for every graph of the app by
``assets/07_graph_toolbar.js`` (``Plotly.setPlotConfig``), because a full-screen button needs a JavaScript
click handler. Python only states the locale, so that a page that forgets this helper still gets French.
"""
from __future__ import annotations

from dash import dcc

GRAPH_CONFIG = {"locale": "fr", "displaylogo": False}


def graph_config(**extra) -> dict:
    """The shared config, updated with ``extra`` (e.g. ``scrollZoom=True``)."""
    return {**GRAPH_CONFIG, **extra}


def graph(graph_id: str, figure=None, config: dict | None = None, **kwargs) -> dcc.Graph:
    """A ``dcc.Graph`` with the shared config (``config`` adds or overrides keys)."""
    if figure is not None:
        kwargs["figure"] = figure
    return dcc.Graph(id=graph_id, config=graph_config(**(config or {})), **kwargs)


def export_meta(title: str, source: str, filename: str, legend: bool = False) -> dict:
    """``layout.meta`` of a figure whose image export must say what it is: the toolbar's download button
    (``assets/07_graph_toolbar.js``) adds ``title``, "Source : ``source``", the date and, with ``legend``, the
    legend of its traces, and names the file ``<filename>_<date>.png``."""
    return {"export": {"title": title, "source": source, "filename": filename, "legend": legend}}
