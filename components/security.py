"""Answers that are safe to put in front of a region: security headers on every response, a request size limit,
no path tricks. The French error pages themselves are in components/errors.py.

CSP: scripts only from this site plus the hashes of Dash's own inline scripts (``app.csp_hashes()``); styles
inline are allowed (Dash and Plotly set style attributes); MapLibre's workers come from ``blob:``; the optional
online map background (carto) is the only outside host, for images and data only.
"""
from __future__ import annotations

import ipaddress
import logging
from collections import deque

from flask import abort, jsonify, request

log = logging.getLogger("atlas")

MAX_BODY = 8 * 1024 * 1024  # a callback body larger than this is refused (413); the largest real one is < 2 MB
MAX_URL = 4096              # same as gunicorn.conf.py limit_request_line
TILES = "https://*.basemaps.cartocdn.com https://basemaps.cartocdn.com"
REPORT_URL = "/_csp-report"  # the browser posts each blocked request here (logged; listed to this machine only)
_reports: deque = deque(maxlen=200)
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


def content_security_policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {TILES}", f"connect-src 'self' {TILES}", "worker-src 'self' blob:",
        "child-src 'self' blob:", "font-src 'self' data:", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'", f"report-uri {REPORT_URL}",
    ])


def _bad_path(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return any(p in ("..", ".") or "\x00" in p for p in parts[1:]) or "\\" in path


def _ids_ok(items) -> bool:
    if not isinstance(items, list):
        return False
    for it in items:
        if isinstance(it, list):  # pattern-matching ALL / ALLSMALLER: a list of items
            if not _ids_ok(it):
                return False
        elif not (isinstance(it, dict) and isinstance(it.get("id"), (str, dict)) and isinstance(it.get("property"), str)):
            return False
    return True


def valid_callback_body(body) -> bool:
    """The shape Dash's dispatcher expects; anything else is a 400 (French), not a 500 deep inside Dash."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return False
    outputs = body.get("outputs")
    if outputs is not None and not (isinstance(outputs, dict) or _ids_ok([outputs] if isinstance(outputs, dict)
                                                                          else outputs)):
        return False
    if not _ids_ok(body.get("inputs", [])) or not _ids_ok(body.get("state", [])):
        return False
    changed = body.get("changedPropIds", [])
    return isinstance(changed, list) and all(isinstance(c, str) for c in changed)


def register(app) -> None:
    """Install the limits and headers on the Dash ``app`` (its Flask server)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    policy = {}

    @server.before_request
    def _limits():
        if len(request.full_path) > MAX_URL:
            abort(414)
        if _bad_path(request.path):
            abort(404)
        if request.content_length and request.content_length > MAX_BODY:
            abort(413)
        if request.method == "POST" and request.path.endswith("/_dash-update-component"):
            if not request.is_json:
                abort(415)
            if not valid_callback_body(request.get_json(silent=True)):
                abort(400)

    @server.route(REPORT_URL, methods=["GET", "POST"])
    def csp_report():
        if request.method == "POST":
            report = (request.get_json(force=True, silent=True) or {}).get("csp-report", {})
            entry = {k: str(report.get(k, ""))[:300] for k in ("document-uri", "blocked-uri", "violated-directive")}
            _reports.append(entry)
            log.warning("Requête bloquée par la CSP : %s", entry)
            return "", 204
        if not ipaddress.ip_address(request.remote_addr or "0.0.0.0").is_loopback:
            abort(404)
        return jsonify(list(_reports))

    @server.after_request
    def _headers(resp):
        if "csp" not in policy:  # Dash's inline scripts are known once every callback is registered
            policy["csp"] = content_security_policy(app.csp_hashes())
        resp.headers.setdefault("Content-Security-Policy", policy["csp"])
        for k, v in HEADERS.items():
            resp.headers.setdefault(k, v)
        resp.headers["Server"] = "atlas"
        return resp
