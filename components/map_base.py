"""Base of every map: offline style, commune geometry by URL, département outlines, projector-sized fonts.

The default style is "white-bg" with our own outlines, so maps render with no network. An online tile style
(OpenStreetMap via carto) is offered as an option only.
"""
from __future__ import annotations

import plotly.graph_objects as go

from components.data_routes import COMMUNES_URL, DEPARTEMENTS_URL

GRAND_EST_CENTER = {"lon": 5.62, "lat": 48.72}
GRAND_EST_ZOOM = 6.85
GRAND_EST_BOUNDS = (3.384, 47.420, 8.233, 50.169)  # west, south, east, north of the départements (geodata)
FIT_BOUNDS = ",".join(str(v) for v in GRAND_EST_BOUNDS)  # data-fit-bounds: assets/09_map_fit.js fits the map to it
OFFLINE_STYLE = "white-bg"
STYLES = [{"label": "Fond neutre (hors ligne)", "value": OFFLINE_STYLE},
          {"label": "Fond OpenStreetMap (internet requis)", "value": "carto-positron"}]
MISSING_COLOUR = "#d9d9d9"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 16}


def departement_layer(visible: bool = True) -> dict:
    """Département outlines as a MapLibre line layer, fetched once by URL and drawn above the choropleth."""
    return {"sourcetype": "geojson", "source": DEPARTEMENTS_URL, "type": "line", "color": "#222222",
            "line": {"width": 2.2}, "visible": visible, "name": "departements"}


def base_layout(fig: go.Figure, *, style: str = OFFLINE_STYLE, center=None, zoom=None, uirevision="map",
                show_departements: bool = True) -> go.Figure:
    fig.update_layout(
        map={"style": style, "center": center or GRAND_EST_CENTER, "zoom": zoom or GRAND_EST_ZOOM,
             "layers": [departement_layer(show_departements)], "domain": {"x": [0, 0.87], "y": [0, 1]}},
        showlegend=False,  # the page's layer panel is the legend (colours + counts)
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        font=FONT,
        separators=", ",  # French: decimal comma, thin space between thousands
        uirevision=uirevision,  # keeps the user's pan/zoom across updates
        legend={"x": 0.005, "y": 0.005, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.9)", "bordercolor": "#999",
                "borderwidth": 1, "font": {"size": 14}, "itemsizing": "constant"},
        hoverlabel={"font": {"size": 15}},
    )
    return fig


def choropleth(locations, z, *, colorscale="Cividis", zmin=None, zmax=None, colorbar: dict | None = None,
               customdata=None, hovertemplate: str | None = None, name: str = "communes",
               text=None) -> go.Choroplethmap:
    """Commune choropleth whose geometry is the shared GeoJSON URL (fetched once: plotly caches it by URL).

    One trace per map: MapLibre tessellates and paints the 5,115 polygons once per trace (a second trace over
    the same communes doubles the first draw); the thin white outline stays although it costs ~0.3 s of software
    rendering at first draw: without it (width 0) a hover over the sites of /couverture no longer reaches them
    (tests/browser/test_couverture_browser.py); communes without a value get the grey band of the colour scale
    (``components.map_scale.scale_for``)."""
    return go.Choroplethmap(
        geojson=COMMUNES_URL, locations=locations, z=z, featureidkey="id", colorscale=colorscale, zmin=zmin,
        zmax=zmax, marker={"line": {"width": 0.15, "color": "#ffffff"}, "opacity": 0.92},
        colorbar={"thickness": 22, "len": 0.8, "x": 1.0, "xanchor": "right", "tickfont": {"size": 15},
                  **(colorbar or {})},
        customdata=customdata, hovertemplate=hovertemplate, name=name, showlegend=False, text=text)
