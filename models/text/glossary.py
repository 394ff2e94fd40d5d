"""Words a mayor may not know, explained once (issue #18, part 6): the acronyms and names of sources or programmes
that must stay on screen (they are what the documents and partners say), each with a short plain-French
definition. Read by ``components/glossary.py``, which shows the definition on hover and on keyboard focus.

``TERMS`` maps the term as written on screen to its definition; :func:`find_terms` gives where known terms occur in
a text (longest first, whole words only, case as written). Pure Python: no Dash here.
"""
from __future__ import annotations

import re

from models.text import fr_format as F

TERMS: dict[str, str] = {
    # the Cnam's concepts of a site (models/parameters.toml) and its programmes
    "Fab ID": "Fabrique d'insertion durable : concept de site du Cnam, tiers-lieu partagé avec la mission locale "
              "et le service public de l'emploi, pour les demandeurs d'emploi, les jeunes sortis de l'école et les "
              "adultes peu qualifiés.",
    "Clef en main": "Concept de site du Cnam adossé à un lycée professionnel ou technologique, dont il partage "
                    "les locaux, les plateaux techniques et une partie des enseignants.",
    "Progressif": "Concept de site du Cnam qui ouvre d'abord des services (accueil, orientation, inscription), "
                  "puis ajoute la formation à distance en années 2 et 3.",
    "Hub de compétences": "Concept de site régional du Cnam : équipe permanente de trois personnes, "
                          f"{F.num(500)} à {F.num(1000)} m², services et formation.",
    "ARDAN": "Action régionale pour le développement d'activités nouvelles : un demandeur d'emploi mène pendant "
             "six mois un projet nouveau dans une PME, formé et suivi par le Cnam.",
    "PST": "Promotion supérieure du travail : cours du Cnam suivis en dehors du temps de travail (soir, samedi, "
           "à distance) pour obtenir un diplôme ou un titre.",
    # sources and statistical zones
    "BMO": "Besoins en main-d'œuvre : enquête annuelle de France Travail auprès des employeurs sur leurs projets "
           "de recrutement, publiée par bassin d'emploi (pas par commune).",
    "zone d'emploi": "Zone d'emploi (INSEE) : territoire où la plupart des actifs habitent et travaillent ; le taux "
                     "de chômage est publié à cette échelle, pas pour chaque commune.",
    "ZE": "Zone d'emploi (INSEE) : territoire où la plupart des actifs habitent et travaillent ; le taux de chômage "
          "est publié à cette échelle, pas pour chaque commune.",
    "bassin de vie": "Bassin de vie (INSEE) : plus petit territoire où les habitants trouvent les services et "
                     "équipements courants ; il porte le nom de sa commune principale, son pôle.",
    "MESR": "Ministère de l'Enseignement supérieur et de la Recherche : sa liste des implantations d'enseignement "
            "supérieur (état 2017) donne l'adresse des sites du Cnam et des universités.",
    "CVS": "Corrigé des variations saisonnières : chiffre débarrassé des effets habituels des saisons, pour "
           "comparer deux trimestres.",
    "Filosofi": "Source de l'INSEE sur les revenus et la pauvreté par commune, tirée des déclarations fiscales ; "
                "non publiée pour les petites communes (secret statistique).",
    # programmes of the State
    "ACV": "Action cœur de ville : programme de l'État (depuis 2018) pour revitaliser le centre des villes "
           "moyennes ; 25 villes en Grand Est.",
    "PVD": "Petites villes de demain : programme de l'État (ANCT, 2021) pour les communes de moins de "
           f"{F.num(20000)} habitants qui jouent un rôle de centralité.",
    # words of the simulator
    "ETP": "Équivalent temps plein : une personne à plein temps ; deux mi-temps font un ETP.",
    "FOAD": "Formation ouverte et à distance : cours suivis en ligne, avec quelques regroupements.",
    "CPF": "Compte personnel de formation : droits à la formation de chaque actif, en euros, qui paient une "
           "formation choisie.",
    "OPCO": "Opérateur de compétences : organisme des branches professionnelles qui finance les contrats "
            "d'alternance.",
}

_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in sorted(TERMS, key=len, reverse=True))
                      + r")(?![\w-])")


def definition(term: str) -> str:
    """The plain-French definition of ``term`` (KeyError for a term not in the glossary)."""
    return TERMS[term]


def find_terms(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, term)`` of every glossary term in ``text``, as whole words, left to right."""
    return [(m.start(), m.end(), m.group(1)) for m in _PATTERN.finditer(text or "")]
