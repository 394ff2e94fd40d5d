"""Answers that are safe to put in front of a region: security headers on every response, a request size limit,
no path tricks. The French error pages themselves are in components/errors.py.

CSP: scripts only from this site plus the hashes of Dash's own inline scripts (``app.csp_hashes()``); styles
inline are allowed (Dash and Plotly set style attributes); MapLibre's workers come from ``blob:``; the optional
online map background (carto) is the only outside host, for images and data only.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import deque

from flask import abort, jsonify, request

log = logging.getLogger("atlas")

MAX_BODY = 8 * 1024 * 1024  # a callback body larger than this is refused (413); the largest real one is < 2 MB
MAX_URL = 4096              # same as gunicorn.conf.py limit_request_line
TILES = "https://*.basemaps.cartocdn.com https://basemaps.cartocdn.com"
REPORT_URL = "/_csp-report"  # the browser posts each blocked request here (logged; listed to this machine only)
_reports: deque = deque(maxlen=200)
MAX_REPORT = 16 * 1024          # a CSP report is < 2 KB; more is refused (413)
MAX_REPORTS_PER_MINUTE = 60     # per worker process; beyond: 429, not logged
_report_times: deque = deque()
HSTS_SECONDS = 31_536_000
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


MAX_DEPTH = 64  # nesting of a callback body (the deepest real one, a figure in a State, is < 20)


def _depth_ok(value, limit: int = MAX_DEPTH) -> bool:
    """Iterative: a hostile 10,000-deep list must not exhaust the stack while we look at it."""
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            return False
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return True


def _pattern(spec_id: str):
    """The dict id of a pattern-matching dependency ('{"type":…}'), else None."""
    return json.loads(spec_id) if spec_id.startswith("{") else None


def _one_item_ok(item, spec: dict, pattern) -> bool:
    if not (isinstance(item, dict) and isinstance(item.get("property"), str)
            and item["property"].split("@")[0] == spec["property"]):
        return False
    ident = item.get("id")
    if pattern is None:
        return ident == spec["id"]
    if not isinstance(ident, dict) or set(ident) != set(pattern):
        return False
    for key, want in pattern.items():  # a wildcard (["ALL"], ["MATCH"]…) takes any scalar, other keys must match
        got = ident[key]
        if isinstance(want, list):
            if not isinstance(got, (str, int, float, bool)):
                return False
        elif got != want:
            return False
    return True


def _items_ok(items, specs: list) -> bool:
    """``inputs`` / ``state`` of a body against the registered dependencies: same count, same ids and properties
    (pattern-matching ones: an item, or a list of items for ALL / ALLSMALLER)."""
    if not isinstance(items, list) or len(items) != len(specs):
        return False
    for item, spec in zip(items, specs):
        pattern = _pattern(spec["id"])
        if isinstance(item, list):
            if pattern is None or not all(_one_item_ok(it, spec, pattern) for it in item):
                return False
        elif not _one_item_ok(item, spec, pattern):
            return False
    return True


def _outputs_ok(outputs, output: str) -> bool:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    listed = outputs if isinstance(outputs, list) and output.startswith("..") else [outputs]
    specs = [{"id": cid, "property": prop.split("@")[0]} for cid, _, prop in (p.rpartition(".") for p in parts)]
    return _items_ok(listed, specs)


def callback_body_problem(body, callback_map: dict) -> str | None:
    """Why Dash must not see this body (a short reason for a one-line log), or None when it is well formed: the
    output is a registered callback, ``outputs``, ``inputs`` and ``state`` are that callback's own (count, ids,
    properties), ``changedPropIds`` name its inputs, nesting ≤ ``MAX_DEPTH``."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return "corps sans sortie"
    if not _depth_ok(body):
        return "imbrication trop profonde"
    cb = callback_map.get(body["output"])
    if cb is None:
        return "sortie inconnue"
    if "outputs" in body and not _outputs_ok(body["outputs"], body["output"]):
        return "sorties incohérentes"
    if not _items_ok(body.get("inputs"), cb["inputs"]) or not _items_ok(body.get("state", []), cb.get("state", [])):
        return "entrées incohérentes"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "déclencheurs invalides"
    names = {f"{i['id']}.{i['property']}" for i in cb["inputs"] if not i["id"].startswith("{")}
    props = {i["property"] for i in cb["inputs"] if i["id"].startswith("{")}
    for c in changed:
        cid, _, prop = c.rpartition(".")
        if c not in names and not (cid.startswith("{") and prop in props):
            return "déclencheur inconnu"
    return None


def read_json_body(data: bytes):
    """The parsed body, or raise ValueError (also for a nesting that would exhaust the parser's stack)."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("imbrication trop profonde") from None


VERSION_KEYS = ("dash_version", "python_version", "plotly_version", "dash_version_url", "ddk_version")


def _opaque(version) -> str:
    """A stable token for a library version in asset URLs (cache busting kept, version not readable)."""
    return hashlib.sha256(f"atlas:{version}".encode()).hexdigest()[:10]


def hide_versions(app) -> None:
    """Production mode (no hot reload): no Python, Dash or Plotly version in the page config, the asset URLs,
    the favicon link or ``/_reload-hash`` (404). With ``DASH_DEBUG=1`` (hot reload) Dash's dev tools keep them."""
    import dash.dash as dash_module
    from dash import __version__ as dash_version

    if getattr(dash_module.build_fingerprint, "_atlas", False):
        return
    original_fingerprint, original_config, original_index = dash_module.build_fingerprint, app._config, app.interpolate_index

    def production() -> bool:
        return not app._dev_tools.get("hot_reload")

    def build_fingerprint(path, version, hash_value):
        return original_fingerprint(path, _opaque(version) if production() else version, hash_value)

    def config():
        c = original_config()
        if production():
            c.update({k: None for k in VERSION_KEYS}, disable_version_check=True)
        return c

    def interpolate_index(**kwargs):
        if production() and "favicon" in kwargs:
            kwargs["favicon"] = kwargs["favicon"].replace(f"?v={dash_version}", f"?v={_opaque(dash_version)}")
        return original_index(**kwargs)

    build_fingerprint._atlas = True
    dash_module.build_fingerprint = build_fingerprint
    app._config, app.interpolate_index = config, interpolate_index

    @app.server.before_request
    def _no_reload_hash():
        if production() and request.path.endswith("/_reload-hash"):
            abort(404)


def register(app) -> None:
    """Install the limits and headers on the Dash ``app`` (its Flask server)."""
    server = app.server
    hide_versions(app)
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
            body = None
            try:
                body = read_json_body(request.get_data(cache=True))
                problem = callback_body_problem(body, app.callback_map)
            except (ValueError, UnicodeDecodeError):
                problem = "JSON illisible"
            if problem:  # one line, no trace: a flood of bad bodies must not flood the log
                log.warning("Requête de callback refusée (400) : %s — %s", problem,
                            str(body.get("output"))[:80] if isinstance(body, dict) else "-")
                abort(400)

    @server.route(REPORT_URL, methods=["GET", "POST"])
    def csp_report():
        from components import auth

        if request.method == "POST":
            if (request.content_length or 0) > MAX_REPORT:
                abort(413)
            now = time.monotonic()
            while _report_times and now - _report_times[0] > 60:
                _report_times.popleft()
            if len(_report_times) >= MAX_REPORTS_PER_MINUTE:  # an anonymous sink must not fill the log
                abort(429)
            _report_times.append(now)
            raw = request.get_data(cache=False)[:MAX_REPORT]
            try:
                report = (json.loads(raw) or {}).get("csp-report", {})
            except (ValueError, RecursionError, AttributeError):
                report = {}
            report = report if isinstance(report, dict) else {}
            entry = {k: str(report.get(k, ""))[:300] for k in ("document-uri", "blocked-uri", "violated-directive")}
            _reports.append(entry)
            log.warning("Requête bloquée par la CSP : %s", entry)
            return "", 204
        if auth.current_editor() is None:  # readable by editors only (signed in, or this machine with no account)
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
        if request.is_secure:  # served over HTTPS (directly or through the proxy): browsers stay on HTTPS
            resp.headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
        return resp
