"""Blocks of /ville that answer first: "En bref" (candidate or not, rank, nearest Cnam site, concept and why),
rail and higher-education access, and the side-by-side comparison of two towns.

Every value comes from :mod:`models.domain.town_facts` (the same facts /classement and /simulateur read).
"""
from __future__ import annotations

from dash import dcc, html

from components import town_demand
from components.glossary import annotate, term
from components.town_blocks import block, simulator_href
from components.town_links import rich_text, town_link
from models.text import fr_format as F
from models.domain import transit
from models.domain.concept_fit import CONCEPTS, STATUS_TEXT, Verdict
from models.stores.network import reference_label
from models.domain.town_facts import network_sites

STATUS_CLASS = {"candidate": "brief-ok", "deja_desservie": "brief-served", "trop_petite": "brief-no",
                "sans_conditions": "brief-no"}


def ranking_position(code_insee: str) -> tuple[int, int, str]:
    """(rank, number of towns, /classement link) of the town with the default weights: among the ACV towns,
    plus this town when it is not one of them."""
    from models.domain import scoring

    ranked = scoring.ranking(add=[code_insee])
    row = ranked[ranked["code_insee"] == code_insee].iloc[0]
    acv = set(scoring.acv_codes())
    href = "/classement" + ("" if code_insee in acv else f"?add={code_insee}")
    return int(row["rang"]), len(ranked), href


def _cnam_line(f) -> list:
    if f["n_cnam_commune"]:
        return [f"Site du Cnam dans la commune : {f['cnam_nom']} ({f['cnam_source']})."]
    town = town_link(f["cnam_commune"], f.get("cnam_code"), id="ville-cnam-proche-lien")  # every town a link
    return [f"Site du Cnam le plus proche : {f['cnam_nom']}, ", town, f" — ≈ {F.minutes(f['cnam_min'])} "
            f"en voiture (estimé), {F.km(f['cnam_km'])} à vol d'oiseau."]


def en_bref(p, v: Verdict, rank: tuple[int, int, str] | None) -> html.Section:
    """The first thing read on /ville: the verdict in one sentence, then four short lines."""
    f = p.facts
    if rank:
        n, total, href = rank
        rank_line = [f"Rang au classement multicritère : {n} sur {total} (pondération par défaut)",
                     html.Span([" — ", dcc.Link("voir le classement", href=href, id="ville-rang-lien")],
                               className="print-hide"), "."]
    else:
        rank_line = ["Rang au classement : indisponible."]
    why = v.reason.split(" — ", 1)[-1]
    simulate = dcc.Link("Simuler", href=simulator_href(p.code_insee, v.concept), id="ville-bref-simuler")
    pole = {f["pole"]: f.get("bv_code")} if f.get("pole") else {}  # the pole a small town leans on: a link
    seen: set[str] = set()  # glossary terms explained once in the block
    headline = rich_text(v.headline, pole, seen)
    if v.status in ("trop_petite", "sans_conditions"):
        concept = ["Concept : aucun ne s'y prête, les conditions d'accueil ne sont pas réunies (détail plus bas)."]
    else:
        lead = "Pour renforcer le site existant : " if v.status == "deja_desservie" else "Concept suggéré : "
        name = CONCEPTS[v.concept]
        concept = [lead, name if name in seen else term(name), " — ", *rich_text(why, pole, seen), ". ", simulate]
    items = [html.Li(rank_line, id="ville-rang"), html.Li(_cnam_line(f), id="ville-cnam-proche"),
             html.Li(concept, id="ville-bref-concept")]
    if v.status not in ("trop_petite",):
        items.append(town_demand.headline(p.code_insee, v.concept))
    return html.Section([
        html.H2("En bref", className="ville-h2"),
        html.P(headline, id="ville-verdict", className=f"brief-verdict {STATUS_CLASS[v.status]}",
               **{"data-statut": v.status}),
        html.Ul(items, className="brief-list"),
        html.P(annotate(f"Réseau du Cnam pris en compte : {reference_label()}, plus les modifications "
                        "enregistrées ; les sites ouverts depuis 2017 sont à ajouter dans l'éditeur du réseau (page "
                        "Couverture)."), className="ville-note"),
    ], className="ville-brief", id="ville-en-bref")


def _ter_trip_items(code_insee: str) -> list:
    """The TER journey to the nearest Cnam site of the current network (reference day), or plainly none."""
    sites = list(network_sites().code_insee.astype(str))
    items = [html.Li(transit.access_sentence(code_insee, sites), id="ville-ter-trajet")]
    trip = None if code_insee in sites else transit.nearest_site_trip(code_insee, sites)
    if trip is not None:
        items.append(html.Li(trip.details(), id="ville-ter-details"))
    return items


def access_block(p) -> html.Section:
    """Rail and coach stops, the TER journey to the nearest Cnam site (reference day), public higher education."""
    f = p.facts
    if f["gare_ter"]:
        rail = f"Gare TER dans la commune ({f['gare_nom']})."
    else:
        rail = (f"Pas de gare TER dans la commune ; la plus proche : {f['gare_nom']} ({f['gare_commune'] or 'hors région'}), "
                f"à {F.km(f['gare_km'])} à vol d'oiseau.")
    coach = "Arrêt de car TER dans la commune." if f["arret_car_ter"] else "Pas d'arrêt de car TER dans la commune."
    trip = _ter_trip_items(p.code_insee)
    sup = list(f["sup_noms"])
    sup_items = [html.Li(F.display_name(n)) for n in sup[:12]]
    if len(sup) > 12:
        sup_items.append(html.Li(f"… et {F.plural(len(sup) - 12, 'autre')}"))
    return block("Desserte et enseignement supérieur", [
        html.Ul([html.Li(rail, id="ville-gare"), html.Li(coach), *trip], className="brief-list"),
        html.P(f"Arrêts du réseau TER (SNCF, données ouvertes, fichier valable {p.ter_validite}). "
               f"{transit.assumptions_text()} Site le plus proche en TER : le plus court porte à porte parmi les "
               "villes des sites du réseau actuel (villes des sites de référence et d'Action Cœur de Ville "
               "calculées).", className="ville-note"),
        html.H3(f"Enseignement supérieur public dans la commune : {F.plural(len(sup), 'site')} (hors Cnam)",
                className="ville-h3", id="ville-sup-titre"),
        html.Ul(sup_items, className="ville-sup") if sup else html.P("Aucun (implantations MESR, état 2017).",
                                                                      className="ville-note"),
    ], "ville-acces")


COMPARE_ROWS = (  # (label, fact key, formatter)
    ("Population", "population", lambda x: F.num(x) + " hab."),
    ("Habitants à moins de 30 min (estimé)", "pop_30min", F.num),
    ("Temps jusqu'au site Cnam le plus proche (estimé)", "cnam_min", F.minutes),
    ("Site Cnam le plus proche", "cnam_commune", str),
    ("Lycées à voie professionnelle dans la commune", "n_lycees_pro_commune", F.num),
    ("Lycées à voie professionnelle à 20 km", "lycees_pro_20km", F.num),
    ("Mission locale dans la ville (siège, ou ville qu'elle nomme)", "ml_dans_ville", lambda x: "oui" if x else "non"),
    ("France Services dans la commune", "n_fs_commune", F.num),
    ("Gare TER dans la commune", "gare_ter", lambda x: "oui" if x else "non"),
    ("Distance à la gare TER la plus proche", "gare_km", F.km),
    ("Enseignement supérieur public (sites)", "n_sup_commune", F.num),
    ("Chômage de la zone d'emploi", "chomage_ze", F.pct),
    ("Taux de pauvreté", "taux_pauvrete", lambda x: F.pct(x, 0)),
    ("Recrutements difficiles (bassin BMO)", "bmo_part_difficiles", lambda x: F.pct(x, 0)),
)


def compare_block(a, b, va: Verdict, vb: Verdict) -> html.Section:
    """Two towns side by side on the same indicators (``/ville/<a>?comparer=<b>``)."""
    head = html.Thead(html.Tr([html.Th("Indicateur"), html.Th(a.nom, className="num"),
                               html.Th(dcc.Link(b.nom, href=f"/ville/{b.code_insee}"), className="num")]))
    rows = [html.Tr([html.Td("Verdict"), html.Td(STATUS_TEXT[va.status]), html.Td(STATUS_TEXT[vb.status])])]
    def cell(p, key, fmt):
        if key == "cnam_commune":  # a town: its profile
            return town_link(fmt(p.facts[key]), p.facts.get("cnam_code"))
        return fmt(p.facts[key])
    rows += [html.Tr([html.Td(label), html.Td(cell(a, key, fmt), className="num"),
                      html.Td(cell(b, key, fmt), className="num")]) for label, key, fmt in COMPARE_ROWS]
    rows.append(html.Tr([html.Td("Concept suggéré"), html.Td(CONCEPTS[va.concept]), html.Td(CONCEPTS[vb.concept])]))
    return block(f"Comparaison : {a.nom} et {b.nom}", [
        html.Table([head, html.Tbody(rows)], className="table table-sm ville-table", id="ville-comparaison"),
        html.P([dcc.Link(f"Inverser ({b.nom} d'abord)", href=f"/ville/{b.code_insee}?comparer={a.code_insee}"),
                " · ", dcc.Link("Fermer la comparaison", href=f"/ville/{a.code_insee}")], className="d-print-none"),
    ], "ville-compare")
