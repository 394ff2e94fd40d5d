"""gunicorn settings of the atlas. ``make serve`` runs it behind nginx (``deploy/serve.py``: gunicorn on a private
unix socket, nginx in front buffering every request and answer); ``gunicorn -c gunicorn.conf.py app:server`` alone
still works (loopback, no proxy).

- threaded workers (gthread): 2 processes x 8 threads, so one slow request (a town page being built) does not hold
  a whole process; the optimiser runs in a background job (components/jobs.py), not in a request;
- read timeouts: a new connection that sends nothing within ``keepalive`` seconds goes back to the poller (it holds
  no thread), an idle keep-alive connection is closed after ``keepalive`` seconds, a request that runs longer than
  ``timeout`` seconds gets its worker restarted;
- request limits: request line 4 094 bytes (longer → 414), 100 headers of 8 190 bytes at most (→ 431/400);
  bodies are capped by the app (8 MB → 413, components/security.py);
- gunicorn's own error pages (sent before the app sees the request) are French, without server name or version;
- binds 127.0.0.1 when no editor account exists (editing is then open on this machine only), else 0.0.0.0;
  ``ATLAS_BIND`` overrides.
"""
from __future__ import annotations

import html as _html
import os
import textwrap

import gunicorn
import gunicorn.util

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("ATLAS_WORKER_CLASS", "gthread")  # "sync" = the set-up before issue 19 (benchmarks)
threads = int(os.environ.get("ATLAS_THREADS", "8"))
keepalive = 5
timeout = 60
graceful_timeout = 20
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("ATLAS_ACCESS_LOG") or None
control_socket_disable = True  # gunicorn 27's ~/.gunicorn/gunicorn.ctl would be shared by every instance of the machine


def post_worker_init(worker):
    """The app is loaded, the worker's threads not started yet: finish Dash's one-time set-up (done by the first
    request otherwise: with threads, requests arriving meanwhile were answered by a half-built app — 2 callbacks
    of 57 in ``/_dash-dependencies`` just after start under load), then fork the job launcher (components/jobs.py)."""
    from components import jobs

    if hasattr(worker.wsgi, "test_client"):
        worker.wsgi.test_client().get("/_dash-dependencies")
    jobs.start_launcher()


def _default_bind() -> str:
    try:
        from models.stores import users

        open_to_all = users.has_accounts()
    except Exception:  # noqa: BLE001 - database unknown: stay on loopback
        open_to_all = False
    return ("0.0.0.0" if open_to_all else "127.0.0.1") + ":" + os.environ.get("PORT", "8050")


bind = [os.environ.get("ATLAS_BIND") or _default_bind()]

FRENCH = {400: "Requête invalide", 403: "Accès refusé", 414: "Adresse trop longue",
          417: "Attente non satisfaite", 431: "En-têtes trop volumineux", 500: "Erreur du serveur",
          501: "Non pris en charge"}
gunicorn.SERVER = "atlas"  # Server header without name or version of the software


def write_error(sock, status_int, reason, mesg):
    """gunicorn's error answer, in French (the detail gunicorn gives is English: logged by gunicorn, not shown)."""
    title = FRENCH.get(status_int, "Requête refusée")
    body = textwrap.dedent(f"""\
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{_html.escape(title)} — Atlas Cœur des
        territoires</title></head><body><h1>{_html.escape(title)}</h1><p>La requête n'a pas pu être traitée par
        le serveur (code {status_int}).</p><p><a href="/">Retour à la carte</a></p></body></html>""").encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n\r\n")
    gunicorn.util.write_nonblock(sock, head.encode("latin1") + body)


gunicorn.util.write_error = write_error
