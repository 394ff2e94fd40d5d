"""Blocks of the town profile page (header, diagnostic table, BMO, partners, catchment, concept cards, sources).

Pure layout builders from a :class:`models.domain.town_profile.TownProfile`; no callbacks here. Every block is a
``.ville-block`` so the print stylesheet (assets/print.css) never cuts one across two pages. Status is given by
words and symbols (✓ ✗ ?), never by colour alone, so the page reads in black and white.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

import geodata
from components.kpi_cards import kpi_card, kpi_row
from components.town_map import records, svg_legend_items, town_map_svg
from models.text import fr_format as F
from models.text.display_names import bmo_basin, occupation
from models.domain.partners import KINDS
from components.territory import region_name

LEVEL_TEXT = {"forte": "convient bien", "moyenne": "convient en partie", "faible": "convient peu"}


def fit_summary(fit) -> str:
    """A concept's verdict in words, consistent with its count of assets: a missing host condition is said as such
    (it outweighs any number of assets), never as a "weak fit with 4 assets out of 5"."""
    assets = f"{F.plural(len(fit.has), 'atout')} sur {fit.n_known} critères connus"
    if not fit.prerequisite_met:
        return f"ne convient pas : une condition d'accueil manque (✗ en tête de liste) — malgré {assets}"
    return f"{LEVEL_TEXT[fit.level]} — {assets}"
WEAK_NOTES = {
    "missions_locales": "Position : mairie de la commune du siège (pas d'adresse connue) ; antennes absentes.",
    "france_travail": "Liste des agences de 2019 (certaines ont pu déménager ou fusionner).",
    "cnam_sites": ("Réseau en vigueur : implantations MESR (état 2017, à leur adresse) et sites attestés par la presse "
                   "(placés à la mairie) ; sites ouverts depuis 2017 à ajouter dans l'éditeur du réseau."),
    "france_services": "État au 1er août 2024 ; pour un bus, le point est sa base.",
    "lycees_pro": "Effectifs de la voie professionnelle 2022-23 ; taux InserJeunes 2022-23 quand ils sont publiés.",
}


def block(title: str, children, block_id: str | None = None, subtitle: str | None = None) -> html.Section:
    head = [html.H2(title, className="ville-h2")]
    if subtitle:
        head.append(html.P(subtitle, className="ville-sub"))
    kwargs = {"id": block_id} if block_id else {}
    return html.Section(head + (children if isinstance(children, list) else [children]),
                        className="ville-block", **kwargs)


def simulator_href(code_insee: str, concept: str) -> str:
    return "/simulateur?" + urlencode({"ville": code_insee, "concept": concept})


# --- header ---------------------------------------------------------------------------------------------------

def header(p, brief=None) -> html.Header:
    """Name and population, then ``brief`` (the "En bref" block: read first), then the identity facts."""
    from components.glossary import term
    from components.town_links import town_link, zone_town

    row = geodata.communes().set_index("code_insee").loc[p.code_insee]

    def zone(kind, name, link_id):
        """A zone named after a town links to that town's profile (not to the page shown)."""
        town = zone_town(kind, row.get(f"{kind}_code"))
        return name if town in (None, p.code_insee) else town_link(name, town, id=link_id)

    facts = [("Code INSEE", p.code_insee), ("Département", f"{p.departement_nom} ({p.departement})"),
             ("Intercommunalité", p.epci_nom),
             (term("zone d'emploi", "Zone d'emploi"), zone("ze", p.ze_nom, "ville-ze-lien")),
             (term("bassin de vie", "Bassin de vie"), zone("bv", p.bv_nom, "ville-bv-lien")),
             (["Bassin d'emploi ", term("BMO")], zone("bmo", bmo_basin(p.bmo_nom), "ville-bmo-lien")),
             ("Densité", f"{p.densite_libelle} ({p.densite}/7)" if p.densite else p.densite_libelle or "—"),
             ("Action Cœur de Ville", "oui" if p.is_acv else "non"),
             ("Petites villes de demain (ANCT, janvier 2021)", "oui" if p.facts.get("is_pvd") else "non")]
    return html.Header([
        html.Div([html.H1(p.nom, id="ville-nom", className="ville-h1"),
                  html.Span(f"{F.num(p.population)} habitants", className="ville-pop")], className="ville-title"),
        *([brief] if brief is not None else []),
        html.Dl([html.Div([html.Dt(k), html.Dd(v)]) for k, v in facts], className="ville-facts"),
    ], className="ville-block ville-header")


# --- concept fit ----------------------------------------------------------------------------------------------

def concept_cards(code_insee: str, fits, suggestion: tuple[str, str]) -> html.Section:
    suggested, reason = suggestion
    cards = []
    for fit in fits:
        items = ([html.Li(["✓ ", t], className="fit-has") for t in fit.has]
                 + [html.Li(["✗ ", t], className="fit-lacks") for t in fit.lacks]
                 + [html.Li(["? ", t], className="fit-unknown") for t in fit.unknown])
        badge = [dbc.Badge("Concept suggéré", color="dark", className="ms-2")] if fit.concept == suggested else []
        cards.append(dbc.Col(dbc.Card([
            dbc.CardHeader([html.Span(fit.label, className="fw-bold fs-5"), *badge,
                            html.Div(fit_summary(fit),
                                     className="fit-level")]),
            dbc.CardBody([html.Ul(items, className="fit-list"),
                          dbc.Button("Simuler ce concept", href=simulator_href(code_insee, fit.concept),
                                     id=f"ville-simuler-{fit.concept}", color="primary", outline=True,
                                     className="d-print-none mt-auto")], className="d-flex flex-column"),
        ], className="h-100 fit-card" + (" fit-suggested" if fit.concept == suggested else "")), lg=4, className="mb-2"))
    return block("Quel concept d'implantation ?", [
        html.P(["Suggestion : ", html.Strong(reason)], id="ville-suggestion", className="ville-suggestion"),
        dbc.Row(cards, className="g-2"),
        html.P("✓ atout présent · ✗ atout absent · ? donnée manquante (non comptée). Une condition d'accueil absente "
               "(population, lycée dans la commune, bassin de population) suffit à écarter le concept. Temps et bassins de "
               "population estimés (modèle de trajet calibré, voir la page Sources).", className="ville-note"),
    ], "ville-concepts")


# --- diagnostic ------------------------------------------------------------------------------------------------

def key_figures(p) -> dbc.Row:
    f = {x.key: x for x in p.figures}
    chom, dem, pauv = f["chomage_ze"], f["demandeurs_emploi"], f["taux_pauvrete"]
    return kpi_row([
        kpi_card("Chômage (zone d'emploi)", chom.fmt(chom.value), f"{chom.date} · {region_name()} {chom.fmt(chom.region)} (est.)"),
        kpi_card("Demandeurs d'emploi", dem.fmt(dem.value) if dem.value is not None else "non publié",
                 f"{dem.date} · France Travail"),
        kpi_card("Taux de pauvreté", pauv.fmt(pauv.value) if pauv.value is not None else "non publié",
                 f"{pauv.date} · {region_name()} {pauv.fmt(pauv.region)} (moy. communes)"),
        kpi_card(f"Habitants à moins de {F.minutes(30)}", F.num(p.catchment.get(30)), "temps de trajet estimé"),
    ])


def diagnostic_table(p) -> html.Div:
    methods: list[str] = []

    def mark(method: str) -> str:
        if not method:
            return ""
        if method not in methods:
            methods.append(method)
        return "⁽" + "¹²³⁴⁵⁶⁷⁸⁹"[methods.index(method)] + "⁾"

    rows, group = [], None
    for f in p.figures:
        if f.group != group:
            group = f.group
            rows.append(html.Tr(html.Th(group, colSpan=5, className="ville-group")))
        value = f.fmt(f.value) if f.value is not None else "—"
        m = mark(f.method) if (f.departement is not None or f.region is not None) else ""
        rows.append(html.Tr([
            html.Td([f.label, html.Div(f.note, className="ville-cell-note")] if f.note else f.label),
            html.Td(value, className="num fw-bold", **{"data-key": f.key}),
            html.Td(f.fmt(f.departement) + (m if f.departement is not None else ""), className="num"),
            html.Td(f.fmt(f.region) + (m if f.region is not None else ""), className="num"),
            html.Td(f"{f.source}, {f.date}", className="ville-src"),
        ]))
    head = html.Thead(html.Tr([html.Th("Indicateur"), html.Th(p.nom, className="num"),
                               html.Th(p.departement_nom, className="num"), html.Th(region_name(), className="num"),
                               html.Th("Source, date")]))
    notes = [html.Li(f"⁽{'¹²³⁴⁵⁶⁷⁸⁹'[i]}⁾ Département et région : {m}.") for i, m in enumerate(methods)]
    return html.Div([html.Table([head, html.Tbody(rows)], className="table table-sm ville-table", id="ville-diagnostic"),
                     html.Ul(notes, className="ville-note list-unstyled")])


_TRENDS: dict[tuple[str, str], dict] = {}


def trend_figure(p) -> dict:
    """Unemployment of the zone d'emploi vs the regional estimate (figure dict, cached per zone)."""
    key = (p.ze_nom, p.chomage_trend.trimestre.iloc[-1] if len(p.chomage_trend) else "")
    if key not in _TRENDS:
        _TRENDS[key] = _trend_figure(p)
    return _TRENDS[key]


def _trend_figure(p) -> dict:
    t = p.chomage_trend
    line = {"type": "scatter", "x": t.trimestre.tolist(), "mode": "lines"}
    return {"data": [
        {**line, "y": t.zone.tolist(), "name": f"Zone d'emploi {p.ze_nom}", "line": {"color": "#0072B2", "width": 3}},
        {**line, "y": t.region_estimee.round(2).tolist(), "name": f"{region_name()} (estimation)",
         "line": {"color": "#555555", "width": 2, "dash": "dash"}},
    ], "layout": {
        "height": 270, "margin": {"l": 50, "r": 10, "t": 10, "b": 40}, "separators": ", ", "font": {"size": 14},
        "yaxis": {"title": {"text": "taux de chômage (%)"}, "rangemode": "tozero", "gridcolor": "#e5e5e5"},
        "xaxis": {"nticks": 9, "showgrid": False}, "legend": {"orientation": "h", "y": -0.25},
        "plot_bgcolor": "#fff", "hovermode": "x unified"}}


def trend_block(p) -> html.Section:
    first, last = p.chomage_trend.trimestre.iloc[[0, -1]] if len(p.chomage_trend) else ("", "")
    return block(f"Chômage de la zone d'emploi, {first} – {last}", [
        dcc.Graph(id="ville-trend", figure=trend_figure(p), config={"displayModeBar": False, "staticPlot": False}),
        html.P(f"INSEE, taux de chômage localisés par zone d'emploi (CVS). {region_name()} : moyenne des zones d'emploi "
               "pondérée par les actifs 15–64 ans (RP 2021) — une estimation, pas le taux officiel régional.",
               className="ville-note"),
    ], "ville-tendance")


def bmo_block(p) -> html.Section:
    f = next(x for x in p.figures if x.key == "bmo_part_difficiles")
    rows = []
    for r in records(p.bmo_top):
        secret = "secret statistique"
        rows.append(html.Tr([
            html.Td(occupation(r.metier)),
            html.Td(F.num(r.projets), className="num"),
            html.Td(secret if r.secret_difficiles or F.is_missing(r.projets_difficiles) else F.num(r.projets_difficiles),
                    className="num"),
            html.Td("—" if F.is_missing(r.part_difficiles) else F.pct(r.part_difficiles, 0), className="num"),
        ]))
    table = html.Table([html.Thead(html.Tr([html.Th("Métier"), html.Th("Projets de recrutement", className="num"),
                                            html.Th("dont difficiles", className="num"),
                                            html.Th("Part difficile", className="num")])), html.Tbody(rows)],
                       className="table table-sm ville-table", id="ville-bmo")
    return block(f"Besoins de recrutement du bassin {bmo_basin(p.bmo_nom)}", [
        html.P([f"Projets jugés difficiles : ", html.Strong(f.fmt(f.value)), f" ({region_name()} : {f.fmt(f.region)}). "
                f"Les {len(p.bmo_top)} métiers aux projets les plus nombreux :"]),
        table,
        html.P(f"France Travail / Crédoc, enquête BMO 2024. {F.plural(p.bmo_secret_rows, 'métier')} du bassin sous secret "
               "statistique (moins de quelques projets) : non affichés, jamais comptés comme zéro ; les totaux sont "
               "des minorants.", className="ville-note"),
    ], "ville-besoins")


def print_map(p) -> html.Div:
    """Static SVG map shown only when printing (the interactive WebGL map does not print): image and legend."""
    import base64

    svg = base64.b64encode(town_map_svg(p).encode("utf-8")).decode("ascii")
    legend = [html.Li(f"{symbol} {label}") for symbol, label in svg_legend_items()]
    legend.insert(0, html.Li(f"○ mairie de {p.nom} (contour en trait épais)"))
    return html.Div([html.Img(src=f"data:image/svg+xml;base64,{svg}", alt=f"Carte de {p.nom} et de ses partenaires",
                              className="ville-print-map"),
                     html.Ul(legend, className="ville-print-legend list-unstyled")])


# --- partners --------------------------------------------------------------------------------------------------

def _where(r) -> str:
    return "dans la commune" if r.dans_la_commune else F.km(r.distance_km)


def _commune_link(r):
    """The partner's commune, a link to its own profile."""
    code = getattr(r, "code_insee", None)
    name = r.commune if isinstance(r.commune, str) else "—"
    return dcc.Link(name, href=f"/ville/{code}") if isinstance(code, str) and len(code) == 5 else name


def partner_table(kind: str, df) -> html.Div:
    if kind == "lycees_pro":
        head = ["Lycée", "Commune", "Distance", "Temps estimé", "Statut", "Élèves voie pro", "Emploi à 6 mois",
                "Poursuite d'études"]
        body = [[r.nom, _commune_link(r), _where(r), f"≈ {F.minutes(r.minutes)}", r.statut,
                 F.num(r.effectif_voie_pro), F.pct(r.ij_taux_emploi_6mois, 0), F.pct(r.ij_taux_poursuite_etudes, 0)]
                for r in records(df)]
    elif kind == "cnam_sites":
        head = ["Site", "Commune", "Distance", "Temps estimé", "Source", "Fiabilité"]
        body = [[r.nom, _commune_link(r), _where(r), f"≈ {F.minutes(r.minutes)}",
                 getattr(r, "source_label", None) or "—", r.fiabilite] for r in records(df)]
    else:
        head = ["Nom", "Commune", "Distance", "Temps estimé"]
        body = [[F.display_name(r.nom), _commune_link(r), _where(r), f"≈ {F.minutes(r.minutes)}"]
                for r in records(df)]
    table = html.Table([html.Thead(html.Tr([html.Th(h) for h in head])),
                        html.Tbody([html.Tr([html.Td(c) for c in row]) for row in body])],
                       className="table table-sm ville-table", id=f"ville-partenaires-{kind}")
    return html.Div([html.H3(f"{KINDS[kind]} ({len(df)})", className="ville-h3"), table,
                     html.P(WEAK_NOTES[kind], className="ville-note")], className="ville-block ville-subblock")


def partners_block(p) -> html.Section:
    return block("Partenaires à proximité", [partner_table(k, df) for k, df in p.partners.items()]
                 + [html.P(p.travel_note + " Listés : dans un rayon de 20 km, et au moins le plus proche de chaque "
                                           "type (les 3 sites du Cnam les plus proches).", className="ville-note")],
                 "ville-partenaires")


def catchment_block(p) -> html.Section:
    cards = [kpi_card(f"à moins de {m} min", f"{F.num(v)} hab.", "estimé") for m, v in p.catchment.items()]
    return block("Bassin de population", [kpi_row(cards, id="ville-bassin"),
                                          html.P(p.travel_note, className="ville-note")], "ville-bassin-block")


def sources_block(datasets=("communes", "chomage_ze", "demandeurs_emploi", "bmo", "lycees", "missions_locales",
                            "france_services", "france_travail", "cnam_sites")) -> html.Section:
    src = geodata.sources()["datasets"]
    items = [html.Li([html.Strong(src[d]["title"]), f" — {src[d]['publisher']} ; date : {src[d]['date']}. ",
                      html.Span(src[d].get("gaps", ""), className="text-muted")]) for d in datasets if d in src]
    return block("Sources et limites", [html.Ul(items, className="ville-sources"),
                                        html.P(["Détail, licences et fiabilité : ", dcc.Link("page Sources", href="/sources"),
                                                "."], className="ville-note")], "ville-sources")
