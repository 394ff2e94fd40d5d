"""/ville: "Apprenants attendus" — what a site here can expect, concept by concept, against each break-even, and
whom it would take the learners from. The figures are :func:`models.domain.demand.town_estimate` (the same as the
simulator, /classement and /couverture) and :func:`models.domain.simulator.default_break_even`.
"""
from __future__ import annotations

from dash import dcc, html

from models.domain import demand
from models.text import fr_format as F
from models.domain.simulator import concept, default_break_even

VERDICT_CLASS = {"centrale": "demand-ok", "haute": "demand-maybe", "jamais": "demand-no", "inconnu": ""}
SHORT = {"centrale": "oui, à l'estimation centrale", "haute": "seulement à l'estimation haute",
         "jamais": "non, même à l'estimation haute", "inconnu": "non estimé"}


def _sources(est: dict, top: int = 3) -> list:
    if est["existant"] or not est["drawn_from"]:
        return []
    out: list = [" Ils seraient pris surtout à "]
    for i, d in enumerate(est["drawn_from"][:top]):
        out += [", " if i else "", dcc.Link(d["nom"], href=f"/ville/{d['code_insee']}"), f" ({F.num(d['learners'])})"]
    return out + ["."]


def headline(code: str, concept_id: str) -> html.Li:
    """One line for "En bref": the suggested concept's expected learners, range, drawn and net new."""
    c = concept_id if concept_id in demand.CONCEPTS else demand.DEFAULT_CONCEPT
    est = demand.town_estimate(code, c)
    label = concept(c).label
    if est["existant"]:
        text = [f"Apprenants du site existant (modèle) : {F.num(est['central'])} par an (fourchette "
                f"{F.num(est['low'])} à {F.num(est['high'])}) ; s'il fermait, {F.num(est['drawn'])} iraient à un "
                f"autre site du Cnam et {F.num(est['net_new'])} n'y étudieraient plus."]
    else:
        share = 100 * est["drawn"] / est["central"] if est["central"] else 0
        text = [f"Apprenants attendus d'un site « {label} » : {F.num(est['central'])} par an (fourchette "
                f"{F.num(est['low'])} à {F.num(est['high'])}), dont {F.num(est['drawn'])} ({F.pct(share, 0)}) pris "
                f"à des sites existants et {F.num(est['net_new'])} nouveaux pour le Cnam.", *_sources(est)]
    return html.Li(text, id="ville-apprenants")


def table(code: str) -> html.Section:
    """Its own block, after "En bref" (after the map in print): each concept's expected learners (range),
    break-even, does it pay its way from year 4."""
    rows = []
    for c in ("clef_en_main", "progressif", "hub", "fab_id"):
        be = default_break_even(c)
        est = demand.town_estimate(code, c)
        v = demand.viability(est, be)
        learners = "non estimé" if est is None else (
            f"{F.num(est['central'])} ({F.num(est['low'])} à {F.num(est['high'])})")
        rows.append(html.Tr([html.Th(concept(c).label, scope="row"), html.Td(learners),
                             html.Td("jamais" if be is None else F.num(v["needed"])),
                             html.Td(SHORT[v["level"]], className=VERDICT_CLASS[v["level"]])]))
    head = html.Thead(html.Tr([html.Th("Concept", scope="col"), html.Th("Apprenants attendus par an", scope="col"),
                               html.Th("Point mort (apprenants)", scope="col"),
                               html.Th("S'autofinance dès l'année 4 ?", scope="col")]))
    return html.Section([
        html.H2("Apprenants attendus et point mort, concept par concept", className="ville-h2"),
        html.Table([head, html.Tbody(rows)], className="table table-sm ville-demand-table", id="ville-demand-table"),
        html.P([demand.MODEL_NOTE, " La fourchette vient des hypothèses du modèle (page Sources). ",
                demand.FAB_ID_NOTE], className="ville-note"),
    ], className="ville-block ville-demand", id="ville-demande")
