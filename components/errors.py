"""No stack trace ever reaches the browser: callback errors become a French message, server errors a French page."""
from __future__ import annotations

import logging

from dash import set_props
from flask import Response

log = logging.getLogger("atlas")
GENERIC = ("Une erreur inattendue est survenue ; l'action n'a pas été appliquée. Vos données sont intactes. "
           "Réessayez ou rechargez la page.")


def on_callback_error(err: Exception) -> None:
    """Global callback error hook: log the trace server-side, show a French message in the shell."""
    log.exception("Erreur dans un callback", exc_info=err)
    set_props("app-error", {"children": GENERIC, "is_open": True})


def register_server_errors(server) -> None:
    @server.errorhandler(500)
    def server_error(_exc):
        return Response("<h1>Erreur du serveur</h1><p>" + GENERIC + "</p><p><a href='/'>Retour à la carte</a></p>",
                        status=500, mimetype="text/html")
