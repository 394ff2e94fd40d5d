"""/sources — where every number comes from: datasets of geodata/sources.json, every file of geodata/, the
simulator's assumptions (models/parameters.toml via models.domain.simulator), travel-time assumptions, attributions.
"""
from __future__ import annotations

import hashlib
import logging
from functools import lru_cache

import dash
import dash_bootstrap_components as dbc
import geodata
from dash import html

from components import demand_sources
from components.attributions import LICENCE, LICENCE_URL, attribution_lines
from models.text import fr_format as F
from models.text.display_names import plain

dash.register_page(__name__, path="/sources", name="Sources", title="Sources — Atlas Cœur des territoires")
log = logging.getLogger("atlas")

TRUST_COLOURS = (("faible", "danger"), ("moyenne", "warning"), ("haute", "success"))
CODE_SUFFIXES = (".py",)


# ---------------------------------------------------------------- data (plain, testable)

@lru_cache(maxsize=1)
def geodata_files() -> list[dict]:
    """Every file of ``geodata/`` (caches excluded): name, size, role, dataset, checksum status."""
    datasets = geodata.sources().get("datasets", {})
    by_file = {d.get("file"): (name, d) for name, d in datasets.items()}
    rows = []
    for path in sorted(geodata.DIR.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        row = {"fichier": path.name, "octets": path.stat().st_size, "jeu": "", "role": "", "empreinte": ""}
        if path.name in by_file:
            name, d = by_file[path.name]
            row["jeu"], row["role"] = name, d.get("title", "")
            expected = d.get("sha256")
            if expected:
                actual = hashlib.sha256(path.read_bytes()).hexdigest()
                row["empreinte"] = "conforme" if actual == expected else "différente du manifeste"
        elif path.name == "sources.json":
            row["role"] = "Manifeste de provenance (ce que liste cette page)"
        elif path.name == "__init__.py":
            row["role"] = "Code Python : chargeurs des données (lus une fois par processus)"
        elif path.suffix in CODE_SUFFIXES:
            row["role"] = f"Code Python de construction et de contrôle des données ({path.stem})"
        elif path.suffix == ".md":
            row["role"] = "Documentation du dossier"
        else:
            row["role"] = "Fichier non décrit dans le manifeste"
        rows.append(row)
    return rows


def simulator_assumptions() -> tuple[list[dict], list[dict], dict]:
    """(common parameters, per-concept parameters, context) from the simulator's loader.

    Per-concept rows carry one default per concept (``valeurs``: {concept label: value}) and the rationales.
    """
    from models.domain.simulator import load_catalogue

    cat = load_catalogue()
    concepts = list(cat.concepts.values())
    common, own = [], []
    for name, spec in concepts[0].specs.items():
        row = {"nom": name, "libelle": spec.label, "unite": spec.unit, "groupe": spec.group,
               "plage": spec.describe_range()}
        if spec.common:
            common.append({**row, "defaut": spec.default, "justification": spec.rationale})
        else:
            specs = [c.specs[name] for c in concepts]
            rationales = list(dict.fromkeys(s.rationale for s in specs))
            if len(rationales) == 1:
                why = rationales[0]
            else:
                why = " ; ".join(f"{c.label} : {s.rationale}" for c, s in zip(concepts, specs))
            own.append({**row, "valeurs": {c.label: s.default for c, s in zip(concepts, specs)},
                        "justification": why})
    return common, own, dict(cat.context)


# ---------------------------------------------------------------- rendering

def _trust_badge(trust: str) -> dbc.Badge:
    colour = next((c for word, c in TRUST_COLOURS if str(trust).lower().startswith(word)), "secondary")
    return dbc.Badge(f"Fiabilité : {trust}", color=colour, className="text-wrap text-start fs-6")


def _dataset_card(name: str, d: dict) -> dbc.Col:
    def line(label, value):
        return html.Li([html.B(f"{label} : "), plain(value)]) if value not in (None, "") else None

    rows = d.get("rows")
    body = [
        html.H3(d.get("title", name), className="h5"),
        _trust_badge(d.get("trust", "non renseignée")),
        html.Ul([
            line("Producteur", d.get("publisher")),
            line("Date des données", d.get("date")),
            line("Licence", d.get("licence")),
            line("Lignes", F.num(rows) if isinstance(rows, (int, float)) else rows),
            line("Sert à", d.get("used_for")),
        ], className="list-unstyled mt-2 mb-1 sources-fields"),
        html.Div([html.B("Limites connues : "), plain(d["gaps"])], className="weak-source") if d.get("gaps") else
        html.Div("Pas de limite particulière signalée.", className="small text-muted"),
        # where the file comes from exactly (depot, commit, file name): for the technical team, folded
        html.Details([html.Summary("Origine technique du fichier", className="small"),
                      html.Ul([line("Fichier", d.get("file")), html.Li([html.B("Origine : "), str(d["origin"])])
                               if d.get("origin") else None], className="list-unstyled small mb-0")],
                     className="mt-1"),
    ]
    return dbc.Col(html.Div(body, className="map-panel h-100", id=f"src-dataset-{name}"), lg=6, className="mb-3")


def _files_table() -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(h) for h in ("Fichier", "Taille", "Contenu", "Empreinte SHA-256")]))
    body = []
    for r in geodata_files():
        size = F.num(r["octets"] / 1024, 0) + " Ko" if r["octets"] >= 1024 else f"{r['octets']} o"
        check = {"conforme": "✓ conforme au manifeste", "": "—"}.get(r["empreinte"], "✗ " + r["empreinte"])
        body.append(html.Tr([html.Td(html.Code(r["fichier"])), html.Td(size, className="text-end text-nowrap"),
                             html.Td(r["role"]), html.Td(check)], className="src-file"))
    return dbc.Table([head, html.Tbody(body)], bordered=False, hover=True, responsive=True, size="sm",
                     id="src-files", className="bg-white")


def _value(v) -> str:
    return F.num(v, 0 if float(v).is_integer() else 2)


def _assumptions_section():
    try:
        common, own, context = simulator_assumptions()
    except Exception:  # noqa: BLE001 — the rest of the page stays readable
        log.exception("Hypothèses du simulateur illisibles")
        return dbc.Alert("Les hypothèses du simulateur n'ont pas pu être lues (models/parameters.toml).",
                         color="warning")
    concepts = list(own[0]["valeurs"]) if own else []
    common_table = dbc.Table([
        html.Thead(html.Tr([html.Th(h) for h in ("Hypothèse", "Valeur", "Plage admise", "Justification")])),
        html.Tbody([html.Tr([html.Td(r["libelle"]), html.Td(f"{_value(r['defaut'])} {r['unite']}",
                                                              className="text-nowrap"),
                             html.Td(r["plage"], className="text-nowrap"), html.Td(r["justification"])])
                    for r in common]),
    ], size="sm", hover=True, responsive=True, className="bg-white", id="src-assumptions-common")
    own_table = dbc.Table([
        html.Thead(html.Tr([html.Th("Hypothèse"), *[html.Th(c) for c in concepts], html.Th("Plage admise"),
                            html.Th("Justification")])),
        html.Tbody([html.Tr([html.Td([r["libelle"], html.Br(), html.Small(r["unite"], className="text-muted")]),
                             *[html.Td(_value(r["valeurs"][c]), className="text-end text-nowrap") for c in concepts],
                             html.Td(r["plage"], className="text-nowrap"), html.Td(r["justification"])])
                    for r in own]),
    ], size="sm", hover=True, responsive=True, className="bg-white", id="src-assumptions-concepts")
    return html.Div([
        html.P(["Les chiffres financiers qu'aucune source publique ne donne sont des ", html.B("hypothèses"),
                ", toutes dans un seul fichier (models/parameters.toml), modifiables dans le simulateur. "
                "« Hypothèse à vérifier » : ordre de grandeur plausible, à confirmer avec la direction financière."]),
        html.P([html.B("Contexte régional : "), plain(context.get("source", ""))], className="small"),
        dbc.Accordion([
            dbc.AccordionItem(common_table, title=f"Hypothèses communes aux concepts ({len(common)})"),
            dbc.AccordionItem(own_table, title=f"Hypothèses propres à chaque concept ({len(own)})"),
        ], start_collapsed=True, always_open=True, id="src-assumptions"),
    ])


def _ter_sentence() -> str:
    """What the TER times are and their limits (models.domain.transit, geodata/build_ter_times.py)."""
    from models.domain import transit

    return (f"Temps en train ou car TER : {transit.assumptions_text()} Un balayage des correspondances (algorithme "
            "« connection scan », geodata/csa.py) donne, pour chaque commune ayant un arrêt TER à moins de 5 km, "
            "l'arrivée la plus tôt dans chaque ville de site Cnam et d'Action Cœur de Ville, puis le retour du soir "
            "(départ après 17 h, arrivée avant 21 h). Limites : un seul jour de référence ; horaires théoriques, ni "
            "retards ni suppressions (pas le temps réel) ; TER seulement (ni TGV, ni Intercités, ni bus urbains) ; "
            "accès à la gare supposé à vélo à vol d'oiseau × 1,3, sans marche entre deux gares ; une ville de site "
            "ajoutée hors de cette liste n'a pas de temps calculé.").replace(" h,", f"{F.NBSP}h,").replace(
        "17 h", f"17{F.NBSP}h").replace("21 h", f"21{F.NBSP}h")


def _travel_section() -> html.Div:
    from models.domain.travel import DEFAULT_SETTINGS, describe

    s = DEFAULT_SETTINGS
    return html.Ul([
        html.Li(f"Temps de trajet en voiture : {describe(s)}. Distance à vol d'oiseau entre les points (mairie, "
                f"ou site à ses coordonnées) ; 30 min ≈ {F.num(s.km_for_minutes(30), 0)} km à vol d'oiseau. "
                "Modèle et facteur réglables dans l'atlas ; l'ancienne règle ×1,3 à 60 km/h reste proposée pour "
                "comparaison. Ajustement détaillé ci-dessous."),
        html.Li(_ter_sentence(), id="src-ter"),
        html.Li("Sites Cnam, missions locales, France Travail : placés à la mairie de leur commune quand l'adresse "
                "exacte n'est pas connue."),
        html.Li("Classement : normalisation min–max sur les villes candidates pour les mesures, échelle saturante "
                "fixe pour les comptes et les distances (un service manquant ne coûte jamais un critère entier), "
                "valeurs inconnues jamais comptées comme 0 en silence (critères ci-dessous, détail sur la page "
                "Classement)."),
    ], className="mb-0")


def _ranking_criteria_section() -> dbc.Table:
    """Every criterion of the ranking with its scale, source and date (models.domain.scoring.CRITERIA)."""
    from models.domain.scoring import CRITERIA

    head = html.Thead(html.Tr([html.Th(h) for h in ("Critère", "Échelle", "Source", "Date")]))
    body = [html.Tr([html.Td(c.label), html.Td(c.scale_text()), html.Td(c.source), html.Td(plain(c.date))],
                    id=f"src-criterion-{c.key}") for c in CRITERIA]
    return dbc.Table([head, html.Tbody(body)], bordered=False, hover=True, responsive=True, size="sm",
                     id="src-ranking-criteria", className="bg-white")


def _fit_row(name: str, sample: dict, subset: str) -> list:
    rows = []
    block = sample[subset]
    for method, label in (("calibre", "calibré"), ("regle_1_3", "règle ×1,3")):
        e = block[method]
        rows.append(html.Tr([
            html.Td(sample["label"] if method == "calibre" else ""),
            html.Td(("tous" if subset == "all" else "≤ 60 min") if method == "calibre" else ""),
            html.Td(F.num(block["n"]) if method == "calibre" else "", className="text-end"),
            html.Td(label), html.Td(F.num(e["mae"], 1), className="text-end"),
            html.Td(F.num(e["bias"], 1), className="text-end"),
            *[html.Td(F.pct(100 * e[f"agree_{t}"], 0), className="text-end") for t in (30, 45, 60)],
        ], className=f"src-fit-{name}-{subset}-{method}"))
    return rows


def _travel_fit_section() -> html.Div:
    """The fit table: both models on the calibration sample and the two out-of-sample checks."""
    from models.domain.travel import fit_report

    r = fit_report()
    c = r["coefficients"]
    merged = []  # consecutive bands with the same slope shown as one
    for a, b, sl in zip(c["knots_km"], c["knots_km"][1:], c["slopes_min_per_km"]):
        if merged and merged[-1][2] == sl:
            merged[-1] = (merged[-1][0], b, sl)
        else:
            merged.append((a, b, sl))
    bands = " ; ".join(f"{F.num(a)}–{F.num(b)} km : {F.num(sl, 2)} min/km" for a, b, sl in merged)
    day = "/".join(reversed(r["fitted_on"].split("-")))
    head = html.Thead(html.Tr([html.Th(h) for h in ("Échantillon", "Trajets", "N", "Modèle", "Écart moyen (min)",
                                                     "Biais (min)", "Même côté de 30 min", "45 min", "60 min")]))
    body = [row for name, sample in r["samples"].items() for subset in ("all", "le_60")
            for row in _fit_row(name, sample, subset) if sample[subset].get("n")]
    return html.Div([
        html.P(f"Forme : {r['model']}. Ajusté uniquement sur l'échantillon du Bas-Rhin (le {day}) ; les deux "
               "autres échantillons sont des contrôles hors échantillon. "
               f"Accès {F.num(c['access_min'], 1)} min ; {bands} ; au-delà de "
               f"{F.num(c['knots_km'][-1])} km : {F.num(c['slopes_min_per_km'][-1], 2)} min/km."),
        dbc.Table([head, html.Tbody(body)], bordered=False, hover=True, responsive=True, size="sm",
                  id="src-travel-fit", className="bg-white"),
        html.P("Écart moyen : moyenne des écarts absolus au temps routé. Biais : estimé − routé (positif : estimation "
               "trop lente). « Même côté » : part des trajets que l'estimation et le temps routé placent du même côté "
               "du seuil. Temps routés sans trafic (OSRM, GraphHopper sur OpenStreetMap, « © les contributeurs "
               "d'OpenStreetMap », ODbL).", className="small text-muted mb-0"),
    ])


def _attributions_section(datasets: dict) -> html.Div:
    others = [f"{d.get('title', n)} : {d.get('licence')}" for n, d in datasets.items()
              if "licence ouverte" not in str(d.get("licence", "")).lower()]
    return html.Div([
        html.P(["Données réutilisées sous ", html.A(LICENCE, href=LICENCE_URL, target="_blank", rel="noopener"),
                " : mention du producteur et de la date de dernière mise à jour de chaque jeu de données."]),
        html.Ul([html.Li(line) for line in attribution_lines(datasets)], id="src-attributions"),
        html.P("Autres licences :", className="fw-bold mb-1") if others else None,
        html.Ul([html.Li(o) for o in others]) if others else None,
    ])


def layout(**_query):
    try:
        manifest = geodata.sources()
    except Exception:  # noqa: BLE001
        log.exception("Manifeste des sources illisible")
        return dbc.Alert("Le manifeste des sources (geodata/sources.json) est illisible.", color="danger")
    datasets = manifest.get("datasets", {})
    return html.Div([
        html.H1("Sources des données", className="h3"),
        html.P("D'où vient chaque chiffre de l'atlas : producteur, origine, date, licence, usage, limites connues et "
               "fiabilité ; puis les hypothèses de calcul.", className="lead"),
        html.P(f"{len(datasets)} jeux de données publics, reconstruits à l'identique à chaque mise à jour.",
               className="small text-muted"),
        html.H2("Jeux de données", className="h4 mt-3"),
        dbc.Row([_dataset_card(name, d) for name, d in sorted(datasets.items(),
                                                               key=lambda kv: kv[1].get("title", kv[0]))],
                id="src-datasets"),
        html.Details([
            html.Summary("Détails techniques : fichiers livrés avec l'atlas et leur empreinte", className="h4 mt-3"),
            html.P("Chaque fichier livré avec l'atlas ; l'empreinte des fichiers de données est comparée au "
                   "manifeste.", className="small"),
            _files_table()], id="src-files-details"),
        html.H2("Hypothèses de calcul", className="h4 mt-3"),
        html.Div(_travel_section(), className="map-panel mb-3"),
        html.H2("Critères du classement : échelle, source et date", className="h4 mt-3"),
        html.Div(_ranking_criteria_section(), className="map-panel mb-3"),
        html.H2("Modèle de temps de trajet", className="h4 mt-3"),
        html.Div(_travel_fit_section(), className="map-panel mb-3"),
        html.H2("Modèle de demande : combien d'apprenants par site", className="h4 mt-3"),
        html.Div(demand_sources.section(), className="map-panel mb-3"),
        html.H2("Hypothèses du simulateur", className="h4 mt-3"),
        _assumptions_section(),
        html.H2("Attributions", className="h4 mt-4"),
        html.Div(_attributions_section(datasets), className="map-panel"),
    ], id="src-page")
