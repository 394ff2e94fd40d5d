"""Issue #5 (fiche ville): server time of the profile page, the folium export, the concept fit of 100 towns.

The page is measured from the outside on the real app (``python app.py``): the POST the browser sends to the
pages routing callback when it opens ``/ville/<code>`` (server time + local HTTP). "first visit" = a town the
server process has not profiled yet (caches of geodata warm, profile cache cold).
"""
from __future__ import annotations

import time
from statistics import median

from benchmarks import Measure, time_ms
from benchmarks.server import post_callback, running_app

ISSUE = "#5 fiche ville"
FIRST_VISIT = ["88160", "52448", "67462", "08001", "57463", "51454", "10387", "68224", "55545", "54395", "08105",
               "67180"]


def _route_payload(code: str) -> dict:
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": f"/ville/{code}"},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def run() -> list[Measure]:
    out = []
    with running_app() as url:
        post_callback(url, _route_payload("88160x"))   # warms the routing and the not-found page
        first = [post_callback(url, _route_payload(c)) for c in FIRST_VISIT]
        again = [post_callback(url, _route_payload("88160"))[0] for _ in range(15)]
    out.append(Measure(ISSUE, "profile page, first visit of a town: server time (HTTP), median",
                       median(r[0] for r in first), "ms", 150))
    out.append(Measure(ISSUE, "profile page, first visit of a town: server time (HTTP), max",
                       max(r[0] for r in first), "ms"))
    out.append(Measure(ISSUE, "profile page, repeated visit: server time (HTTP), median", median(again), "ms", 150))
    out.append(Measure(ISSUE, "profile page: response size gzipped, median", median(r[1] for r in first) / 1024, "KB"))

    import geodata
    from components.town_exports import html_export
    from models.domain import concept_fit, town_profile

    import app  # noqa: F401 — registers the pages
    from dash._utils import to_json
    from pages import ville

    to_json(ville.layout(code_insee="88160"))
    wall, cpu = [], []
    for code in FIRST_VISIT[1:]:
        t0, c0 = time.perf_counter(), time.process_time()
        to_json(ville.layout(code_insee=code))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    out.append(Measure(ISSUE, "profile page layout + JSON in-process, first visit: wall, median", median(wall), "ms",
                       150))
    out.append(Measure(ISSUE, "profile page layout + JSON in-process, first visit: CPU, median", median(cpu), "ms"))

    geodata.load_all()
    html_export("88160")  # imports, Leaflet read once
    runs = []
    for code in FIRST_VISIT[1:]:
        town_profile.clear_caches()
        t0 = time.perf_counter()
        html_export(code)
        runs.append((time.perf_counter() - t0) * 1000)
    out.append(Measure(ISSUE, "folium HTML export (profile included), median of 11 towns", median(runs), "ms", 1000))
    out.append(Measure(ISSUE, "folium HTML export, max", max(runs), "ms", 1000))

    codes = list(geodata.communes().nlargest(100, "population").code_insee)
    concept_fit.concept_fit_table(["88160"])

    def cold():
        concept_fit.clear_caches()
        concept_fit.concept_fit_table(codes)
    out.append(Measure(ISSUE, "concept fit of 100 towns, first call (cold cache)", time_ms(cold, repeat=5), "ms"))
    out.append(Measure(ISSUE, "concept fit of 100 towns, cached (re-ranking)",
                       time_ms(lambda: concept_fit.concept_fit_table(codes)), "ms", 50))
    return out
