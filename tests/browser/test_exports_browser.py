"""Image exports a meeting can reuse (issue #18, part 4): the toolbar's download button of the regional map
writes a PNG named after what it shows, whose figure carries title, source, date and legend."""
from __future__ import annotations

import base64
import re
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from benchmarks.bench_first_draw import PROBE
from tests.browser.conftest import click

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def test_map_png_export_has_title_source_date_legend_and_a_meaningful_name(dash_server, browser, screenshot):
    folder = tempfile.mkdtemp(prefix="atlas-export-")
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
    browser.get(dash_server + "/?variable=taux_pauvrete")
    WebDriverWait(browser, 90).until(lambda b: b.execute_script(PROBE)[1] > 0)
    # what the button exports: the figure as on screen + title, source, date, legend
    ex = browser.execute_script(
        "const gd = document.querySelector('#map-graph .js-plotly-plot'); const e = window.atlasExportFigure(gd);"
        "return {title: e.figure.layout.title.text, notes: e.figure.layout.annotations.map(a => a.text),"
        "legend: e.figure.layout.showlegend, name: e.options.filename, screen: gd.layout.showlegend,"
        "traces: e.figure.data.filter(t => t.visible !== false).length,"
        "shown: gd.data.filter(t => t.visible === true || t.visible === undefined).length};")
    assert "Taux de pauvreté" in ex["title"]
    note = ex["notes"][-1]
    assert "Source : INSEE, Filosofi 2021" in note and re.search(rf"\d{{1,2}} ({MONTHS}) 20\d\d", note), note
    assert ex["legend"] is True and ex["screen"] is False  # legend in the image, the side panel on screen
    assert ex["traces"] == ex["shown"]
    assert re.fullmatch(r"carte_grand_est_taux_pauvrete_20\d\d-\d\d-\d\d", ex["name"]), ex["name"]
    # the real button, as a user clicks it: a PNG file with that name arrives in the download folder
    graph = browser.find_element(By.CSS_SELECTOR, "#map-graph .js-plotly-plot")
    ActionChains(browser).move_to_element(graph).perform()  # the toolbar shows on hover, as for a user
    click(browser, browser.find_element(By.CSS_SELECTOR, '#map-graph .modebar-btn[data-title^="Télécharger"]'))
    deadline = time.time() + 90
    files = []
    while time.time() < deadline:
        files = [f for f in Path(folder).glob("*.png")]
        if files and not list(Path(folder).glob("*.crdownload")):
            break
        time.sleep(0.5)
    assert [f.name for f in files] == [ex["name"] + ".png"]
    data = files[0].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    (Path(__file__).resolve().parents[1] / "output" / "export-carte.png").write_bytes(data)


def test_every_chart_export_names_itself_after_its_heading(dash_server, browser):
    """A chart without its own export title (the simulator's) takes its block's heading: never plot-image.png."""
    browser.get(dash_server + "/simulateur?ville=55545")
    WebDriverWait(browser, 60).until(lambda b: b.execute_script(
        "return [...document.querySelectorAll('.js-plotly-plot')].filter(g => g._fullLayout).length >= 2;"))
    exports = browser.execute_script(
        "return [...document.querySelectorAll('.js-plotly-plot')].filter(g => g._fullLayout).map(g => {"
        " const e = window.atlasExportFigure(g); return [e.figure.layout.title.text, e.options.filename,"
        " e.figure.layout.annotations.slice(-1)[0].text]; });")
    for title, name, note in exports:
        assert title and "newplot" not in name and "plot-image" not in name, (title, name)
        assert re.fullmatch(r"[a-z0-9_]+_20\d\d-\d\d-\d\d", name), name
        assert "Atlas Cœur des territoires" in note and re.search(MONTHS, note), note
    assert len({name for _, name, _ in exports}) > 1  # each chart its own name
