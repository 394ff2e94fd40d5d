"""Presentation mode at 1280×720 (issue #18, part 2): every visible text node ≥ 20 px on the five main pages
(getComputedStyle over every text node on screen, SVG text scaled by its transform), /couverture's map in the
first screen, "Masquer les panneaux" on every page with side panels. Screenshots in tests/output/."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import click

SMALL_TEXTS = """
const out = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
let n;
while ((n = w.nextNode())) {
  const t = n.textContent.trim(); const el = n.parentElement;
  if (!t || !el) continue;
  const r = document.createRange(); r.selectNodeContents(n);
  const onScreen = [...r.getClientRects()].some(b => b.width > 0 && b.height > 0 && b.bottom > 0
      && b.top < innerHeight && b.right > 0 && b.left < innerWidth);
  if (!onScreen) continue;
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) continue;
  let size = parseFloat(cs.fontSize);
  const svgText = el.closest('text');
  if (svgText) {
    size = parseFloat(svgText.style.fontSize || getComputedStyle(svgText).fontSize);
    const m = svgText.getScreenCTM(); if (m) size *= Math.hypot(m.a, m.b);
  }
  if (size < 19.5) out.push([Math.round(size * 10) / 10, t.slice(0, 40), el.tagName, String(el.className.baseVal ?? el.className)]);
}
return out;"""
READY = {  # what must be on screen before measuring
    "/": "#map-graph .maplibregl-canvas", "/couverture": "#cov-map .maplibregl-canvas",
    "/classement": ".ranking-grid .ag-cell", "/simulateur": "#sim-fig-money .main-svg",
    "/ville/55545": "#ville-en-bref",
}


def _open(browser, dash_server, path):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False})
    browser.get(dash_server + path + "?presentation=1")
    wait = WebDriverWait(browser, 90)
    wait.until(lambda b: "presentation" in b.find_element(By.TAG_NAME, "body").get_attribute("class"))
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, READY[path]))
    wait.until(lambda b: b.execute_script(  # charts enlarged by assets/22_presentation_charts.js, nothing loading
        "return !document.querySelector('[data-dash-is-loading=\"true\"]') && [...document.querySelectorAll("
        "'.js-plotly-plot')].every(g => g._fullLayout);"))
    return wait


def _id(path: str) -> str:
    return path.strip("/").replace("/", "-") or "carte"


@pytest.mark.parametrize("path", list(READY), ids=_id)
def test_every_visible_text_is_at_least_20_px(dash_server, browser, screenshot, path):
    wait = _open(browser, dash_server, path)
    small = []
    try:  # the chart fonts are enlarged right after each draw: wait for it rather than sleep
        wait.until(lambda b: not b.execute_script(SMALL_TEXTS))
    except Exception:  # noqa: BLE001 — report what is still too small
        small = browser.execute_script(SMALL_TEXTS)
    screenshot("presentation-1280x720")
    assert not small, small[:20]


def test_couverture_map_starts_in_the_first_screen(dash_server, browser):
    _open(browser, dash_server, "/couverture")
    top = browser.execute_script("return document.getElementById('cov-map').getBoundingClientRect().top;")
    assert top < 720 - 300, top  # at least 300 px of map on the first screen, under the before → after cards


@pytest.mark.parametrize("path", ["/", "/couverture", "/classement", "/simulateur"], ids=_id)
def test_hide_panels_gives_the_whole_width(dash_server, browser, path):
    wait = _open(browser, dash_server, path)
    panel = browser.find_element(By.CSS_SELECTOR, ".atlas-side-panel")
    assert panel.is_displayed()
    click(browser, browser.find_element(By.ID, "panel-toggle"))
    wait.until(lambda b: not panel.is_displayed())
    assert browser.find_element(By.ID, "panel-toggle").text == "Afficher les panneaux"


def test_regional_map_shows_its_legend_once_the_panels_are_hidden(dash_server, browser, screenshot):
    wait = _open(browser, dash_server, "/")
    legend = "return document.querySelectorAll('#map-graph .legend .traces').length;"
    assert browser.execute_script(legend) == 0  # the layer panel is the legend
    click(browser, browser.find_element(By.ID, "panel-toggle"))
    texts = "return [...document.querySelectorAll('#map-graph .legend .legendtext')].map(t => t.textContent);"
    # the legend may be redrawn once more (presentation sizes): wait for its names, not for a first frame
    names = wait.until(lambda b: (lambda n: n if any(x.startswith("Villes Action Cœur de Ville") for x in n)
                                  else False)(b.execute_script(texts)))
    assert any(n.startswith("Villes Action Cœur de Ville") for n in names), names
    assert any(n.startswith("Sites du Cnam") for n in names), names
    screenshot("legende-sans-panneaux")
