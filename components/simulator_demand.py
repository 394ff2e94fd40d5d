"""The simulator's town block: the town in one line, the learners it can expect (demand model, with range and the
sites they are taken from), the per-town verdict against the break-even and its spread, the programme's targets.

Figures come from :mod:`models.domain.demand` (expected learners, the one viability rule) and :mod:`models.domain.simulator`
(break-even and its spread): the same as /ville, /classement and /couverture.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from models.domain import demand
from models.text import fr_format as F
from models.domain.simulator import CRUISING_YEAR, break_even_spread
from models.domain.town_facts import town_fact

TARGETS = ("Cibles du programme (documents fondateurs 2019, des objectifs, pas des résultats) : Clef en main ≈ 80 "
           "auditeurs en année 4 ; Fab ID 85 personnes par an ; Progressif 300 auditeurs après 3 ans ; hub : "
           "équilibre à 120–150 auditeurs par an.")
LEVEL_COLOURS = {"centrale": "success", "haute": "warning", "jamais": "danger", "inconnu": "secondary"}
LEVEL_WORDS = {"centrale": "Viable", "haute": "Incertain", "jamais": "Non viable", "inconnu": "Non estimé"}


def town_line(code: str) -> html.Div:
    """The town's facts in one line (as on /ville and /classement)."""
    f = town_fact(code)
    chomage = (f"chômage de la zone d'emploi {F.pct(f.chomage_ze)}" if not F.is_missing(f.chomage_ze)
               else "chômage de la zone d'emploi inconnu")
    cnam = (f"site du Cnam dans la commune ({f.cnam_nom})" if f.n_cnam_commune
            else f"site du Cnam le plus proche : {f.cnam_commune}, ≈ {F.minutes(f.cnam_min)} en voiture (estimé)")
    return html.Div(f"{f.nom} ({f.departement}) · {F.num(f.population)} hab. · {chomage} · "
                    f"{F.plural(f.n_lycees_pro_commune, 'lycée professionnel', 'lycées professionnels')} · {cnam}",
                    className="sim-context-line")


def drawn_text(est: dict, top: int = 3) -> list:
    """« dont 90 pris à des sites existants (Metz 14, Nancy 10, …) et 50 nouveaux pour le Cnam », towns as links."""
    if est["existant"]:
        return [f" · site existant : {F.num(est['drawn'])} de ses auditeurs iraient à un autre site s'il fermait, "
                f"{F.num(est['net_new'])} n'étudieraient plus au Cnam"]
    parts: list = [f" · dont {F.num(est['drawn'])} pris à des sites existants ("]
    for i, d in enumerate(est["drawn_from"][:top]):
        parts += [", " if i else "", dcc.Link(d["nom"], href=f"/ville/{d['code_insee']}"), f" {F.num(d['learners'])}"]
    more = len(est["drawn_from"]) - top
    parts.append(f", {F.plural(more, 'autre')})" if more > 0 else ")")
    parts.append(f" et {F.num(est['net_new'])} nouveaux pour le Cnam")
    return parts


def verdict(est: dict | None, break_even: float | None) -> dict:
    return demand.viability(est, break_even)


def block(state: dict, result, source: str) -> list:
    """Everything the simulator says about the town: facts, expected learners, verdict, spread, targets."""
    if not state.get("ville"):
        return [html.Span("Choisissez une ville : le simulateur reprend alors le nombre d'auditeurs que le modèle de "
                          "demande y attend, avec sa fourchette.", className="text-muted"),
                html.Div(TARGETS, className="sim-targets small text-muted")]
    from components.simulator_state import expected

    est = expected(state)
    be = result.kpis["break_even_learners"]
    spread = break_even_spread(result.params)
    v = verdict(est, be)
    out = [town_line(state["ville"])]
    if est is None:
        out.append(html.Div([dbc.Badge(LEVEL_WORDS["inconnu"], color="secondary", className="me-2 sim-verdict"),
                             demand.FAB_ID_NOTE], className="sim-demand"))
    else:
        what = "Auditeurs du site existant" if est["existant"] else "Auditeurs attendus"
        head = f"{est['nom']} : {v['text']}"
        out.append(html.Div([dbc.Badge(LEVEL_WORDS[v["level"]], color=LEVEL_COLOURS[v["level"]],
                                       className="me-2 sim-verdict"), html.Strong(head),
                             f" (point mort {F.num(v['needed'])} auditeurs par an)." if be is not None else "."],
                            className="sim-town-verdict", id="sim-town-verdict"))
        out.append(html.Div([html.Strong(f"{what} à {est['nom']} : {F.num(est['central'])} par an en croisière "),
                             f"(fourchette {F.num(est['low'])} à {F.num(est['high'])})", *drawn_text(est), "."],
                            className="sim-demand"))
    out.append(html.Div(learners_note(source, result, est), className="sim-learners-source small"))
    if spread["p95"] != float("inf"):
        out.append(html.Div(f"Point mort selon les hypothèses à vérifier (±{F.num(100 * spread['pct'])} % chacune, "
                            f"{F.num(spread['draws'])} tirages) : {F.num(spread['p5'])} à {F.num(spread['p95'])} "
                            f"auditeurs (5 % et 95 % des tirages).", className="sim-spread small"))
    out.append(html.Div([TARGETS, " ", demand.MODEL_NOTE], className="sim-targets small text-muted"))
    return out


def learners_note(source: str, result, est: dict | None) -> str:
    n = F.num(result.params.values["auditeurs_croisiere"])
    if source == "utilisateur":
        model = "" if est is None else f" ; le modèle en attend {F.num(est['central'])}"
        return f"Auditeurs en année {CRUISING_YEAR} : {n}, valeur choisie par vous{model}."
    if source == "estimation":
        return (f"Auditeurs en année {CRUISING_YEAR} : {n}, estimation centrale du modèle de demande "
                "(le curseur reste libre).")
    return f"Auditeurs en année {CRUISING_YEAR} : {n}, cible du programme (non estimée)."
