"""/sources: the demand model said plainly — what it is, what it is calibrated on, how well it fits, its
assumptions with their ranges, and what no public source gives (no enrolment per site)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from models.domain import demand
from models.text import fr_format as F

WHAT = ("Combien d'apprenants un site peut-il attendre ? Un modèle gravitaire (famille de Huff, comme les problèmes "
        "« part de marché » des outils de localisation et l'accessibilité potentielle localisée de la DREES) : les "
        "actifs de 15 à 64 ans de chaque commune (INSEE, recensement ; demandeurs d'emploi compris, car le Cnam "
        "forme des adultes en emploi ou qui en cherchent) étudient au Cnam d'autant plus qu'un site est proche, et "
        "se partagent entre les sites qu'ils peuvent atteindre, selon le temps de trajet estimé et l'attrait de "
        "chaque site. Une part d'entre eux n'étudie nulle part : un nouveau site trouve donc de nouveaux apprenants "
        "et en prend aux sites existants ; le modèle dit combien de chaque.")
FORMULA = ("Attrait d'un site j pour la commune i : A_j × 2^(−(t_ij / h)²) ; apprenants de i au site j : "
           "r × P_i × attrait_ij / (1 + somme des attraits de i). A = 1 pour un centre existant, moins pour un "
           "nouveau site (selon le concept) ; h = temps qui divise l'attrait par deux ; r calé pour que le réseau "
           "de référence totalise les apprenants publiés.")
GAPS = ("Aucun effectif officiel par site n'est public (les fichiers SISE du ministère n'ont pas de lignes Cnam par "
        "site) : le modèle reproduit un total régional et une répartition plausible, pas des effectifs observés site "
        "par site. Les cibles annoncées (Sedan 150–160, Colmar 150, 80 / 85 / 300 des concepts) sont des objectifs, "
        "pas des résultats, et ne servent pas au calage. Fab ID : son public (personnes éloignées de l'emploi) n'est "
        "compté par aucune source : pas d'estimation.")


def section() -> html.Div:
    check = demand.spatial_check()
    rows = [html.Tr([html.Td(a.label), html.Td(f"{F.num_short(a.central)} {a.unit}"),
                     html.Td(f"{F.num_short(a.low)} à {F.num_short(a.high)}"), html.Td(a.rationale, className="small")])
            for a in demand.assumptions().values()]
    return html.Div([
        html.P(WHAT),
        html.P(FORMULA, className="small"),
        html.Ul([
            html.Li(f"Calage : le réseau de référence totalise {F.num(check['total_modele'])} apprenants par an "
                    "(≈ 5 000 auditeurs + ≈ 1 000 alternants, Cnam en Grand Est, presse régionale 2016, "
                    "24 implantations ; le réseau de référence en compte 21)."),
            html.Li(f"Contrôle de la répartition : le modèle place {F.pct(check['part_lorraine_modele_pct'], 0)} "
                    "des apprenants dans l'ancienne Lorraine, contre ≈ "
                    f"{F.pct(check['part_lorraine_publique_pct'], 0)} d'après les chiffres publics (≈ 2 800 "
                    "auditeurs au Cnam Lorraine en 2012-2013, ≈ 5 000 en Grand Est en 2016 ; années différentes, "
                    "chiffres arrondis)."),
            html.Li("Fourchette : chaque chiffre est donné au centre et entre une valeur basse et une valeur haute, "
                    "les plus petite et plus grande obtenues en faisant varier le total, le temps de demi-attrait "
                    "et l'attrait d'un nouveau site dans leurs plages ci-dessous."),
        ]),
        dbc.Alert(GAPS, color="warning", className="small"),
        dbc.Table([html.Thead(html.Tr([html.Th("Hypothèse"), html.Th("Valeur centrale"), html.Th("Plage"),
                                       html.Th("Justification")])), html.Tbody(rows)],
                  bordered=True, size="sm", className="sources-demand-table", id="sources-demand-table"),
    ], id="sources-demand")
