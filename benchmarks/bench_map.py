"""Issue #3: cold start, first load of / (browser performance entries), variable-change payload and time."""
from __future__ import annotations

import subprocess
import sys
import time
from statistics import median

from benchmarks import Measure, browser
from benchmarks.server import post_callback, running_app

COLD = "import time; t=time.perf_counter(); import app; print(time.perf_counter()-t)"
OWN_DATA = ("/_dash-layout", "/_dash-update-component", "/geodata/")


def _variable_payload(variable: str) -> dict:
    return {"output": "..map-graph.figure...map-variable-source.children...map-query.search..",
            "outputs": [{"id": "map-graph", "property": "figure"}, {"id": "map-variable-source",
                                                                      "property": "children"},
                        {"id": "map-query", "property": "search"}],
            "inputs": [{"id": "map-variable", "property": "value", "value": variable}],
            "changedPropIds": ["map-variable.value"], "state": []}


def _first_load(url: str) -> tuple[float, float] | None:
    """Bytes transferred by a real Chromium loading / until the map is drawn: (total KB, our data KB)."""
    if not browser.available():
        return None
    d = browser.chrome()
    try:
        d.get(url + "/")
        for _ in range(300):
            if d.execute_script("const g=document.querySelector('#map-graph .js-plotly-plot');"
                                "return !!(g && g._fullLayout && g._fullLayout.map && window.PlotlyGeoAssets && "
                                "Object.values(window.PlotlyGeoAssets).some(v => v && v.features));"):
                break
            time.sleep(0.1)
        time.sleep(1)
        entries = d.execute_script(
            "return [performance.getEntriesByType('navigation')[0]].concat(performance.getEntriesByType('resource'))"
            ".map(e => [e.name, e.transferSize || e.encodedBodySize || 0]);")
    finally:
        d.quit()
    total = sum(size for _, size in entries) / 1000
    own = sum(size for name, size in entries if any(k in name for k in OWN_DATA)) / 1000
    return total, own


def run() -> list[Measure]:
    cold = [float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]
    out = [Measure("#3 map", "app cold start (import + data load), median of 3", median(cold), "s", 3)]
    with running_app() as url:
        first = _first_load(url)
        if first:
            out += [Measure("#3 map", "first load of / : total transferred (compressed)", first[0], "KB", 2500),
                    Measure("#3 map", "first load of / : our data (layout+callbacks+geometry)", first[1], "KB", 700)]
        runs = [post_callback(url, _variable_payload(v)) for v in
                ["taux_pauvrete", "population", "revenu_median", "temps_cnam_min", "densite", "demandeurs_emploi"] * 3]
        out += [Measure("#3 map", "variable change: server time (HTTP round trip), median", median(r[0] for r in runs),
                        "ms", 100),
                Measure("#3 map", "variable change: payload on the wire (gzip), max", max(r[1] for r in runs) / 1000,
                        "KB", 60),
                Measure("#3 map", "variable change: payload uncompressed JSON, max", max(r[2] for r in runs) / 1000,
                        "KB", None)]
    return out
