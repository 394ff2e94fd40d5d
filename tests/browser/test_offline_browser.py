"""Truly offline: on every page no request leaves the machine (Chrome's network log), and no request was even
attempted and stopped by the Content-Security-Policy (console, and the reports the browser posts to
/_csp-report): the CSP of components/security.py lets the app run as it is."""
from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import requests
from selenium.webdriver.support.ui import WebDriverWait

PAGES = ["/", "/ville/54395", "/simulateur?ville=54329&concept=hub", "/couverture", "/classement", "/sources",
         "/connexion", "/page-inconnue"]


def _requested_urls(browser) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            urls.append(msg["params"].get("request", {}).get("url") or msg["params"].get("url", ""))
    return urls


def _settle(browser, timeout=40):
    """Wait for Dash to finish its callbacks and the maps to draw (glyph or tile requests would be sent then)."""
    wait = WebDriverWait(browser, timeout, poll_frequency=0.3)
    wait.until(lambda b: b.execute_script("return document.readyState") == "complete")
    wait.until(lambda b: b.find_elements("css selector", "#_pages_content > *"))
    wait.until(lambda b: not b.find_elements("css selector", "[data-dash-is-loading='true']"))
    if browser.find_elements("css selector", ".js-plotly-plot .mapboxgl-canvas, .js-plotly-plot canvas"):
        time.sleep(2.0)  # MapLibre loads its resources once the canvas exists
    time.sleep(1.0)


def test_no_request_to_another_host_and_no_csp_violation_on_any_page(dash_server, browser):
    own = urlsplit(dash_server).netloc
    foreign, violations = {}, {}
    for path in PAGES:
        browser.get(dash_server + path)
        _settle(browser)
        for url in _requested_urls(browser):
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own:
                foreign.setdefault(path, set()).add(parts.netloc)
        logs = [e["message"] for e in browser.get_log("browser")]
        bad = [m for m in logs if "Content Security Policy" in m or "Refused to" in m]
        if bad:
            violations[path] = bad[:3]
    blocked = requests.get(dash_server + "/_csp-report", timeout=5).json()  # attempts the CSP stopped (workers too)
    assert not foreign, f"requêtes vers d'autres hôtes : {foreign}"
    assert not violations and not blocked, f"violations de la CSP : {violations} {blocked[:5]}"
