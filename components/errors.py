"""No stack trace ever reaches the browser: callback errors become a French message, server errors a French page."""
from __future__ import annotations

import logging
import sys

from html import escape

from dash import set_props
from dash.exceptions import DashException, DependencyException
from flask import Response
from werkzeug.exceptions import HTTPException

log = logging.getLogger("atlas")
GENERIC = ("Une erreur inattendue est survenue ; l'action n'a pas été appliquée. Vos données sont intactes. "
           "Réessayez ou rechargez la page.")


def _where(err: BaseException) -> str:
    """file:line of the innermost frame of the project (not of a library) where ``err`` was raised."""
    tb, where = err.__traceback__, "?"
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if "site-packages" not in name:
            where = f"{name.rsplit('/', 2)[-2]}/{name.rsplit('/', 1)[-1]}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def log_failure(message: str, *args) -> None:
    """Log the exception being handled in ONE line (type, message, project file:line), not a trace: what a
    hostile input makes fail must not multiply the log by 2 KB per request."""
    err = sys.exc_info()[1]
    if err is None:
        log.error(message, *args)
        return
    log.error(message + " — %s: %s [%s]", *args, type(err).__name__, str(err).replace("\n", " ")[:200], _where(err))


def on_callback_error(err: Exception) -> None:
    """Global callback error hook: one log line (type, message, where, which callback), never a multi-line trace
    that a flood of hostile requests would multiply; a French message in the shell."""
    try:
        from dash import ctx
        outputs = str(ctx.outputs_list)[:120]
    except Exception:  # noqa: BLE001 - no callback context
        outputs = "?"
    log.error("Erreur dans un callback (%s) : %s: %s [%s]", outputs, type(err).__name__,
              str(err).replace("\n", " ")[:200], _where(err))
    set_props("app-error", {"children": GENERIC, "is_open": True})


HTTP_PAGES = {  # status: (title, explanation) — every error the server or gunicorn can send, in French
    400: ("Requête invalide", "La requête envoyée au serveur est mal formée."),
    403: ("Accès refusé", "Cette action n'est pas autorisée depuis cette page (jeton de session absent ou "
                          "requête venue d'un autre site). Rechargez la page et réessayez."),
    404: ("Page introuvable", "Cette adresse n'existe pas sur l'atlas."),
    405: ("Méthode non autorisée", "Cette adresse ne répond pas à ce type de requête."),
    413: ("Requête trop volumineuse", "Les données envoyées dépassent la taille maximale acceptée."),
    414: ("Adresse trop longue", "L'adresse demandée est trop longue pour être traitée."),
    415: ("Format non pris en charge", "Le format des données envoyées n'est pas accepté."),
    429: ("Trop de requêtes", "Trop de requêtes en peu de temps : patientez un instant."),
    431: ("En-têtes trop volumineux", "Les en-têtes de la requête sont trop volumineux."),
    500: ("Erreur du serveur", GENERIC),
}


def error_page(status: int, title: str | None = None, text: str | None = None) -> Response:
    """A small self-contained French HTML page (no script, no outside resource) for an HTTP error."""
    t, x = HTTP_PAGES.get(status, ("Erreur", GENERIC))
    title, text = escape(title or t), escape(text or x)
    body = (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{title} — Atlas Cœur des "
            f"territoires</title></head><body style='font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto'>"
            f"<h1>{title}</h1><p>{text}</p><p>Code {status}.</p><p><a href='/'>Retour à la carte</a></p></body></html>")
    return Response(body, status=status, mimetype="text/html")


def register_server_errors(server) -> None:
    """French pages for every HTTP error Flask/Werkzeug raise, and for unexpected exceptions (logged, no trace)."""
    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        resp = error_page(exc.code or 500)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @server.errorhandler(500)
    def server_error(_exc):
        return error_page(500)

    @server.errorhandler(Exception)
    def unexpected(exc):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        if isinstance(exc, DependencyException):  # unknown component-suite file
            return error_page(404)
        if isinstance(exc, DashException):  # a malformed callback request, refused by Dash's dispatcher
            log.warning("Requête de callback refusée : %s", str(exc)[:300])
            return error_page(400)
        log.exception("Erreur non prévue", exc_info=exc)
        return error_page(500)
