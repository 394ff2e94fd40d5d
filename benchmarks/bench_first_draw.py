"""Issue #18 (part 8): first draw of / in headless Chromium (software WebGL), from navigation start to the first
frame where MapLibre has painted the commune polygons; and whether the loading message was still shown then.

Method (the same before and after the change): a fresh Chromium per run, polled every 100 ms; the time is the
page's own ``performance.now()`` when ``queryRenderedFeatures`` first returns painted fill features. Median of 3.
"""
from __future__ import annotations

import time
from statistics import median

from benchmarks import Measure, browser
from benchmarks.server import running_app

RUNS = 3
PROBE = """
const gd = document.querySelector('#map-graph .js-plotly-plot');
const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
const map = sub && sub.map;
const load = document.querySelector('#map-container .map-loading');
const loading = !!(load && getComputedStyle(load).display !== 'none');
if (!map || !map.getStyle()) { return [performance.now(), 0, loading]; }
const fills = map.getStyle().layers.filter(l => l.type === 'fill').map(l => l.id);
let n = 0;
try { n = fills.length ? map.queryRenderedFeatures({layers: fills}).length : 0; } catch (e) { n = 0; }
return [performance.now(), n, loading];
"""


def first_draw(url: str, timeout: float = 60) -> tuple[float, int, bool, bool] | None:
    """(ms from navigation start to the first painted communes, painted polygons, loading message shown on the
    last probe before, loading message shown after the draw) — None without Chromium."""
    if not browser.available():
        return None
    d = browser.chrome()
    try:
        d.get(url + "/")
        shown_before, deadline = False, time.time() + timeout
        while time.time() < deadline:
            now, n, loading = d.execute_script(PROBE)
            if n > 0:
                time.sleep(0.5)
                after = d.execute_script(PROBE)[2]
                return now, n, shown_before, after
            shown_before = loading
            time.sleep(0.1)
        return None
    finally:
        d.quit()


def run() -> list[Measure]:
    if not browser.available():
        return []
    with running_app() as url:
        runs = [r for r in (first_draw(url) for _ in range(RUNS)) if r]
    if not runs:
        return [Measure("#18 map", "first draw of / : communes painted (no draw within 60 s)", float("inf"), "s", 4)]
    return [Measure("#18 map", f"first draw of / : communes painted, median of {len(runs)} (headless)",
                    median(r[0] for r in runs) / 1000, "s", 4),
            Measure("#18 map", "first draw of / : loading message shown until the draw (runs)",
                    sum(r[2] for r in runs), "of " + str(len(runs)), None)]
