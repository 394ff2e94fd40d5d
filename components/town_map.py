"""Small map of a town and its partners: a plotly figure for the page, a standalone folium HTML for e-mail.

Both work offline: the plotly map uses the "white-bg" style with the commune outline drawn from
``geodata.commune_shapes()``; the folium export has no tiles and inlines Leaflet 1.9.3 (JS and CSS) from the
``xstatic-leaflet`` package instead of folium's CDN links, so the file opens with no network.
Colours follow the regional map (Okabe–Ito, colour-blind safe).
"""
from __future__ import annotations

import html
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import shapely

import geodata
from components.data_routes import COMMUNES_URL
from components.map_base import FONT, OFFLINE_STYLE
from models.text import fr_format as F
from models.domain.partners import KINDS
from components.territory import current_territory

def records(df) -> list[SimpleNamespace]:
    """Rows as attribute objects (much faster than ``DataFrame.itertuples`` on Arrow-backed columns)."""
    cols = [str(c) for c in df.columns]
    arrays = [df[c].to_numpy() for c in df.columns]
    return [SimpleNamespace(**dict(zip(cols, values))) for values in zip(*arrays)]


KIND_STYLE = {  # kind: (colour, marker size)
    "cnam_sites": ("#000000", 16),
    "missions_locales": ("#D55E00", 13),
    "lycees_pro": ("#0072B2", 11),
    "france_travail": ("#CC79A7", 11),
    "france_services": ("#009E73", 10),
}
TOWN_COLOUR = "#E69F00"
OUTLINE_COLOUR = "#1d3557"


@lru_cache(maxsize=256)
def commune_outline(code_insee: str) -> dict:
    """GeoJSON geometry (mapping) of one commune, simplified shapes of ``geodata.commune_shapes()``."""
    shapes = geodata.commune_shapes()
    geom = shapes.geometry[shapes.code_insee == code_insee]
    return json.loads(shapely.to_geojson(geom.iloc[0])) if len(geom) else {}


NEIGHBOUR_KM = 20.0


@lru_cache(maxsize=64)
def neighbour_outlines(code_insee: str, radius_km: float = NEIGHBOUR_KM) -> dict:
    """Outlines of the communes whose town hall is within ``radius_km`` (context drawn in grey), simplified."""
    from models.domain.travel import haversine_km

    com = current_territory().communes
    row = current_territory().index.loc[code_insee]
    near = com.code_insee[haversine_km(row.lon, row.lat, com.lon, com.lat) <= radius_km]
    shapes = geodata.commune_shapes()
    geoms = shapes[shapes.code_insee.isin(near) & (shapes.code_insee != code_insee)]
    simple = shapely.simplify(geoms.geometry.to_numpy(), 0.002)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)), "properties": {}} for g in simple]}


def _zoom(radius_km: float) -> float:
    return 10.4 if radius_km <= 6 else 9.4 if radius_km <= 14 else 8.6 if radius_km <= 25 else 7.6


def _hover(kind: str, r) -> str:
    where = "dans la commune" if r.dans_la_commune else f"{F.km(r.distance_km)} à vol d'oiseau"
    return f"<b>{html.escape(str(r.nom))}</b><br>{KINDS[kind]} — {html.escape(str(r.commune))}<br>{where}"


def town_map_figure(p) -> dict:
    """Plotly map (as a figure dict, cached per town) of a :class:`models.domain.town_profile.TownProfile`.

    The outlines come from the shared commune GeoJSON URL (fetched once by the browser, then cached), so the
    figure itself only carries the points: the town is highlighted by its ``code_insee``.
    """
    if p.code_insee not in _FIGURES:
        if len(_FIGURES) > 512:
            _FIGURES.clear()
        _FIGURES[p.code_insee] = _town_map_figure(p)
    return _FIGURES[p.code_insee]


_FIGURES: dict[str, dict] = {}


def _town_map_figure(p) -> dict:
    # plain dicts, not go.Figure: plotly's per-property validation would cost more than the whole profile
    data = [
        {"type": "choroplethmap", "geojson": COMMUNES_URL, "locations": [p.code_insee], "z": [1], "featureidkey": "id",
         "colorscale": [[0, "#fde6b8"], [1, "#fde6b8"]], "showscale": False,
         "marker": {"line": {"width": 2.5, "color": OUTLINE_COLOUR}, "opacity": 0.8},
         "hovertemplate": f"<b>{html.escape(p.nom)}</b><extra></extra>", "name": p.nom, "showlegend": False},
        {"type": "scattermap", "lon": [p.lon], "lat": [p.lat], "mode": "markers", "name": f"Mairie de {p.nom}",
         "marker": {"size": 18, "color": TOWN_COLOUR},
         "hovertemplate": f"<b>{html.escape(p.nom)}</b><br>mairie<extra></extra>"},
    ]
    radius = 5.0
    for kind, df in p.partners.items():
        if df.empty:
            continue
        colour, size = KIND_STYLE[kind]
        near = df.distance_km.to_numpy() <= 30
        if near.any():
            radius = max(radius, float(df.distance_km.to_numpy()[near].max()))
        away = int((~near).sum())
        data.append({"type": "scattermap", "lon": df.lon.round(5).tolist(), "lat": df.lat.round(5).tolist(),
                     "mode": "markers", "marker": {"size": size, "color": colour, "opacity": 0.95},
                     "name": f"{KINDS[kind]} ({len(df)}{f', dont {away} hors carte' if away else ''})",
                     "text": [_hover(kind, r) for r in records(df)], "hovertemplate": "%{text}<extra></extra>"})
    layout = {
        "map": {"style": OFFLINE_STYLE, "center": {"lon": p.lon, "lat": p.lat}, "zoom": _zoom(min(radius, 30)) + 0.9,
                "layers": [{"sourcetype": "geojson", "source": COMMUNES_URL, "type": "line", "color": "#a0a0a0",
                            "line": {"width": 0.8}, "below": "traces"}]},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "font": FONT, "separators": ", ", "uirevision": p.code_insee,
        "height": 480, "showlegend": True, "hoverlabel": {"font": {"size": 15}},
        "legend": {"x": 0.005, "y": 0.995, "bgcolor": "rgba(255,255,255,0.88)", "bordercolor": "#999",
                   "borderwidth": 1, "font": {"size": 13}, "itemsizing": "constant"},
    }
    return {"data": data, "layout": layout}


# --- static SVG for print (WebGL maps do not print) ----------------------------------------------------------

SVG_SHAPES = {  # distinct shapes so the printed map reads in black and white
    "cnam_sites": "star", "missions_locales": "square", "lycees_pro": "triangle", "france_travail": "diamond",
    "france_services": "circle",
}
SVG_SYMBOL = {"star": "★", "square": "■", "triangle": "▲", "diamond": "◆", "circle": "●"}


def _svg_marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    style = f'fill="{colour}" stroke="#000" stroke-width="1"'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - r * 1.2:.1f} {x - r:.1f},{y + r * .8:.1f} {x + r:.1f},{y + r * .8:.1f}" {style}/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - r * 1.2:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r * 1.2:.1f} {x - r:.1f},{y:.1f}" {style}/>'
    if shape == "star":
        pts = " ".join(f"{x + (r * 1.4 if k % 2 == 0 else r * .6) * math.sin(k * math.pi / 5):.1f},"
                       f"{y - (r * 1.4 if k % 2 == 0 else r * .6) * math.cos(k * math.pi / 5):.1f}" for k in range(10))
        return f'<polygon points="{pts}" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'


def town_map_svg(p, radius_km: float = 22.0, size: int = 520) -> str:
    """A static SVG map (outline, neighbouring communes, partners within ``radius_km``) for the printed page."""
    kx = 111.32 * math.cos(math.radians(p.lat))  # km per degree of longitude here
    scale = size / (2 * radius_km)

    def xy(lon, lat):
        return (size / 2 + (lon - p.lon) * kx * scale, size / 2 - (lat - p.lat) * 110.57 * scale)

    def path(geom) -> str:
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out = []
        for poly in polys:
            for ring in poly:
                out.append("M" + " L".join(f"{x:.0f},{y:.0f}" for x, y in (xy(lon, lat) for lon, lat in ring)) + "Z")
        return " ".join(out)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="100%" '
             f'style="max-width:{size}px" role="img" aria-label="Carte de {html.escape(p.nom)} et de ses partenaires">',
             f'<rect width="{size}" height="{size}" fill="#fff" stroke="#000"/>']
    for f in neighbour_outlines(p.code_insee, radius_km * 1.45)["features"]:
        parts.append(f'<path d="{path(f["geometry"])}" fill="none" stroke="#999" stroke-width="0.6"/>')
    outline = commune_outline(p.code_insee)
    if outline:
        parts.append(f'<path d="{path(outline)}" fill="#eee" stroke="#000" stroke-width="2.2"/>')
    parts.append(f'<circle cx="{size / 2}" cy="{size / 2}" r="6" fill="#fff" stroke="#000" stroke-width="2.5"/>')
    for kind in ("france_services", "france_travail", "lycees_pro", "missions_locales", "cnam_sites"):
        df = p.partners.get(kind)
        if df is None:
            continue
        for r in records(df[df.distance_km <= radius_km]):
            x, y = xy(r.lon, r.lat)
            parts.append(_svg_marker(SVG_SHAPES[kind], x, y, 5.5, KIND_STYLE[kind][0]))
    parts += _svg_place_names(p, xy, size)
    bar_km = 10
    parts.append(f'<line x1="12" y1="{size - 14}" x2="{12 + bar_km * scale:.1f}" y2="{size - 14}" stroke="#000" '
                 f'stroke-width="3"/><text x="14" y="{size - 20}" font-size="12">{bar_km} km</text></svg>')
    return "".join(parts)


def _svg_place_names(p, xy, size: int, min_population: int = 2500, gap_px: float = 70, most: int = 14) -> list[str]:
    """Names of the town (bold) and of the larger communes in the frame, biggest first, never on top of each other."""
    com = current_territory().index
    placed, out = [], []
    others = com[(com.population >= min_population) & (com.index != p.code_insee)].sort_values(
        "population", ascending=False)
    for code, name, lon, lat in [(p.code_insee, p.nom, p.lon, p.lat)] + list(
            zip(others.index, others.nom, others.lon, others.lat)):
        x, y = xy(lon, lat)
        if not (30 <= x <= size - 30 and 16 <= y <= size - 30) or len(out) >= most:
            continue
        if any(math.hypot(x - a, y - b) < gap_px for a, b in placed):
            continue
        placed.append((x, y))
        weight = ' font-weight="700" font-size="15"' if code == p.code_insee else ' font-size="12"'
        out.append(f'<text x="{x:.0f}" y="{y - 9:.0f}" text-anchor="middle"{weight} stroke="#fff" stroke-width="3" '
                   f'paint-order="stroke" font-family="sans-serif">{html.escape(str(name))}</text>')
    return out


def svg_legend_items() -> list[tuple[str, str]]:
    """(symbol, label) pairs for the printed map's legend."""
    return [(SVG_SYMBOL[SVG_SHAPES[k]], KINDS[k]) for k in SVG_SHAPES]


# --- standalone HTML (folium) ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _leaflet_inline() -> str:
    """Leaflet's CSS and JS (the version folium targets) as inline tags, from the xstatic-leaflet package."""
    from xstatic.pkg import leaflet

    base = Path(leaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    js = (base / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"<style>{css}</style>\n<script>{js}</script>"


PAGE_CSS = """<style>
 body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0; color: #1a1a1a; }
 .atlas-head { padding: 10px 16px; background: #1d3557; color: #fff; }
 .atlas-head h1 { font-size: 22px; margin: 0; } .atlas-head p { margin: 4px 0 0; font-size: 14px; }
 .folium-map { height: 62vh !important; position: relative !important; border-bottom: 1px solid #999; }
 .atlas-list { padding: 8px 16px 24px; font-size: 14px; }
 .atlas-list table { border-collapse: collapse; width: 100%; margin-bottom: 12px; }
 .atlas-list th, .atlas-list td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; }
 .atlas-list h2 { font-size: 16px; margin: 14px 0 4px; }
 .dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px; }
 .note { color: #555; font-size: 12px; }
</style>"""


def _partner_tables(p) -> str:
    parts = []
    for kind, df in p.partners.items():
        colour, _ = KIND_STYLE[kind]
        rows = "".join(
            f"<tr><td>{html.escape(str(r.nom))}</td><td>{html.escape(str(r.commune))}</td>"
            f"<td>{'dans la commune' if r.dans_la_commune else F.km(r.distance_km)}</td>"
            f"<td>≈ {F.minutes(r.minutes)}</td></tr>" for r in records(df))
        parts.append(f"<h2><span class='dot' style='background:{colour}'></span>{KINDS[kind]} ({len(df)})</h2>"
                     "<table><tr><th>Nom</th><th>Commune</th><th>Distance à vol d'oiseau</th>"
                     f"<th>Temps estimé</th></tr>{rows}</table>")
    return "".join(parts)


def town_map_html(p, generated: str = "") -> str:
    """Standalone HTML map (folium, no tiles, Leaflet inlined) listing the partners of a town profile."""
    import folium  # only for this export: keeps ~0.5 s of imports out of the app's start

    m = folium.Map(location=[p.lat, p.lon], zoom_start=int(_zoom(20)), tiles=None, control_scale=True,
                   prefer_canvas=False)
    m.default_js, m.default_css = [], []   # no CDN: Leaflet is inlined below
    root = m.get_root()
    root.header.add_child(folium.Element(_leaflet_inline() + PAGE_CSS))
    root.html.add_child(folium.Element(
        f"<div class='atlas-head'><h1>{html.escape(p.nom)} ({p.code_insee}) — partenaires à proximité</h1>"
        f"<p>{html.escape(p.departement_nom)} · {html.escape(p.epci_nom)} · Atlas Cœur des territoires, Cnam Grand Est"
        f"{' · ' + html.escape(generated) if generated else ''}</p></div>"), index=0)
    outline = commune_outline(p.code_insee)
    if outline:
        folium.GeoJson({"type": "Feature", "geometry": outline, "properties": {"nom": p.nom}},
                       name=p.nom, style_function=lambda _f: {"color": OUTLINE_COLOUR, "weight": 3,
                                                              "fillColor": "#fde6b8", "fillOpacity": 0.5},
                       tooltip=p.nom).add_to(m)
    context = neighbour_outlines(p.code_insee)
    if context["features"]:
        folium.GeoJson(context, name="Communes voisines", control=False, style_function=lambda _f: {
            "color": "#9a9a9a", "weight": 0.8, "fill": False}).add_to(m)
    folium.CircleMarker([p.lat, p.lon], radius=9, color="#222", weight=2, fill=True, fill_color=TOWN_COLOUR,
                        fill_opacity=1, tooltip=f"Mairie de {html.escape(p.nom)}").add_to(m)
    bounds = [[p.lat, p.lon]]
    for kind, df in p.partners.items():
        colour, size = KIND_STYLE[kind]
        group = folium.FeatureGroup(name=f"<span style='color:{colour}'>●</span> {KINDS[kind]} ({len(df)})").add_to(m)
        for r in records(df):
            text = _hover(kind, r) + f"<br>≈ {F.minutes(r.minutes)} (estimé)"
            folium.CircleMarker([r.lat, r.lon], radius=size / 2, color="#222", weight=1, fill=True,
                                fill_color=colour, fill_opacity=0.95, tooltip=text).add_to(group)  # no Popup: it needs jQuery
            if r.distance_km <= 30:
                bounds.append([r.lat, r.lon])
    folium.LayerControl(collapsed=False).add_to(m)
    if len(bounds) > 1:
        m.fit_bounds(bounds, padding=(20, 20))
    note = html.escape(p.travel_note + " Missions locales et sites du Cnam placés à la mairie de leur commune ; "
                       "agences France Travail : liste de 2019 ; France Services : août 2024.")
    listing = (f"<div class='atlas-list'>{_partner_tables(p)}<p class='note'>{note}</p>"
               "<p class='note'>Sources : Ministère de l'Éducation nationale, i-milo (UNML), ANCT, Pôle emploi, "
               "sources de presse (sites Cnam) ; contours IGN / INSEE — Licence Ouverte / Etalab 2.0.</p></div>")
    page = root.render()
    match = re.search(r'<div class="folium-map"[^>]*>\s*</div>', page)  # the list goes right under the map
    return page[:match.end()] + listing + page[match.end():] if match else page + listing
