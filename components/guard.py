"""What stands between the outside and the pages: every page's query parsed at the edge (models/text/inputs.py), a
French message instead of a blank page when a layout fails, the "données indisponibles" page when geodata/ is
damaged, and the "enregistrement indisponible" banner when the database cannot take writes.
"""
from __future__ import annotations

import functools
import logging
import time

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from components import errors
from models.stores import db
from models.text import inputs

log = logging.getLogger("atlas")
BANNER_TTL = 10.0  # seconds between two database probes of one worker
_probe = {"at": 0.0, "reason": None}
BANNER_TEXT = {
    "lecture seule": "Enregistrement indisponible : la base de données est en lecture seule. La consultation "
                     "continue ; rien de ce que vous saisissez ne peut être enregistré pour l'instant.",
    "occupée": "Enregistrement indisponible pour l'instant : la base de données est occupée. Réessayez dans "
               "quelques secondes ; la consultation continue.",
    "fichier absent": "Enregistrement indisponible : le fichier de la base de données a disparu (supprimé ou "
                      "déplacé). La consultation continue ; rien n'est enregistré tant qu'il n'est pas restauré.",
    "disque plein": "Enregistrement indisponible : le disque du serveur est plein. La consultation continue ; "
                    "rien de ce que vous saisissez ne peut être enregistré pour l'instant.",
    "indisponible": "Enregistrement indisponible : la base de données ne répond pas. La consultation continue ; "
                    "les enregistrements reviendront dès qu'elle répondra, sans redémarrage.",
}


def page_failed(path: str) -> html.Div:
    return dbc.Container(dbc.Alert([
        html.H1("Page momentanément indisponible", className="h4"),
        html.P("Cette page n'a pas pu être préparée avec les paramètres de l'adresse. Vos données sont intactes."),
        html.A("Retour à la carte", href="/"), " · ", html.A("Recharger sans paramètres", href=path or "/"),
    ], color="warning"), className="py-4", id="page-failed")


def _safe(layout, path: str):
    @functools.wraps(layout)
    def wrapper(**query):
        clean = inputs.query(query)
        try:
            return layout(**clean)
        except Exception:  # noqa: BLE001 - logged; the user gets a French page, never a blank one
            errors.log_failure("Mise en page impossible pour %s %s", path, clean)
            return page_failed(path)
    return wrapper


def guard_layouts(registry: dict) -> None:
    """Wrap the layout function of every registered page (once)."""
    for page in registry.values():
        layout = page.get("layout")
        if callable(layout) and not getattr(layout, "_guarded", False):
            page["layout"] = _safe(layout, page.get("path", "/"))
            page["layout"]._guarded = True


def data_unavailable(message: str) -> html.Div:
    """The whole app when geodata/ is damaged: this French page and nothing else."""
    return html.Div(dbc.Container([
        html.H1("Données indisponibles", className="h3 mt-4"),
        dbc.Alert(message, color="danger", id="data-unavailable"),
        html.P("L'atlas ne montre aucune carte ni aucun chiffre tant que ses données ne sont pas complètes, "
               "plutôt que des chiffres faux."),
    ]), className="atlas-page")


def db_reason() -> str | None:
    """The database's write status (cached ``BANNER_TTL`` s): None when writes work."""
    now = time.monotonic()
    if now - _probe["at"] > BANNER_TTL:
        _probe.update(at=now, reason=db.status())
    return _probe["reason"]


def db_banner() -> dbc.Alert:
    return dbc.Alert(id="db-banner", is_open=False, color="warning", className="m-2 mb-0")


@callback(Output("db-banner", "children"), Output("db-banner", "is_open"), Input("app-url", "pathname"))
def _show_db_banner(_path):
    reason = db_reason()
    return (BANNER_TEXT.get(reason, BANNER_TEXT["indisponible"]), True) if reason else ("", False)
