"""Main user paths of the regional map, in headless Chromium."""
from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from components.map_layers import LAYERS, trace_keys


def wait(browser, seconds=30):
    return WebDriverWait(browser, seconds)


def map_fill_colours(browser) -> list[str]:
    """Fill colours of the first rendered commune polygons, read from the MapLibre canvas' data via plotly."""
    return browser.execute_script("""
        const gd = document.querySelector('#map-graph .js-plotly-plot');
        const t = gd._fullData[0]; return [String(Array.from(t.z).slice(0, 200)), t.colorbar.title.text];""")


def test_map_loads_with_all_layers(dash_server, browser, screenshot):
    browser.get(dash_server + "/")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#map-graph .maplibregl-canvas")))
    wait(browser).until(lambda b: b.execute_script(
        "const gd=document.querySelector('#map-graph .js-plotly-plot'); return gd && gd._fullLayout && "
        "gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map.loaded();"))
    legend = browser.find_element(By.ID, "map-layers").text  # the layer panel is the map's legend
    for layer in LAYERS:
        assert layer.label in legend, layer.label
    assert "Villes Action Cœur de Ville (25)" in legend
    assert "Limites départementales" in legend
    traces = browser.execute_script(
        "return document.querySelector('#map-graph .js-plotly-plot')._fullData.map(t => [t.type, (t.locations || t.lon).length]);")
    assert traces[0] == ["choroplethmap", 5115]  # one choropleth: every commune, "donnée absente" in grey
    assert [t[0] for t in traces[1:]] == ["scattermap"] * len(trace_keys())
    assert "donnée absente" in browser.find_element(By.ID, "map-missing-count").text
    time.sleep(1.5)
    screenshot("carte")


def test_loading_message_stays_until_the_communes_are_painted(dash_server, browser, screenshot):
    """Probed every 100 ms (benchmarks.bench_first_draw): once on screen, the message stays at every probe until
    the first frame with painted communes, and is gone after it."""
    from benchmarks.bench_first_draw import PROBE
    browser.get(dash_server + "/")
    probes = []
    deadline = time.time() + 60
    while time.time() < deadline:
        probes.append(browser.execute_script(PROBE))
        if probes[-1][1] > 0:
            break
        time.sleep(0.1)
    assert probes[-1][1] > 1000, "les communes ne sont pas dessinées"
    shown = [loading for _, _, loading in probes[:-1]]
    assert True in shown, "aucun message de chargement"
    assert all(shown[shown.index(True):]), "message de chargement retiré alors que la carte est vide"
    wait(browser, 10).until(lambda b: not b.execute_script(PROBE)[2])
    screenshot("dessinee")


def test_switching_variable_changes_colours(dash_server, browser, screenshot):
    browser.get(dash_server + "/")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#map-graph .maplibregl-canvas")))
    before = map_fill_colours(browser)
    dropdown = browser.find_element(By.ID, "map-variable")
    dropdown.click()
    option = wait(browser).until(EC.element_to_be_clickable(
        (By.XPATH, "//*[contains(@class,'dash-dropdown') or @role='listbox']//*[contains(text(),'Taux de pauvreté')]")))
    option.click()
    wait(browser).until(lambda b: map_fill_colours(b) != before)
    after = map_fill_colours(browser)
    assert after[1] == "Pauvreté<br>(%)"  # colour bar of the poverty rate: what, and its unit
    assert "Filosofi" in browser.find_element(By.ID, "map-variable-source").text
    assert "variable=taux_pauvrete" in browser.current_url
    time.sleep(1.5)
    screenshot("pauvrete")


def test_search_epinal_opens_its_profile(dash_server, browser, screenshot):
    browser.get(dash_server + "/")
    box = wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".commune-search")))
    box.click()
    field = wait(browser).until(lambda b: b.switch_to.active_element)
    field.send_keys("Épinal")
    option = wait(browser).until(EC.element_to_be_clickable((By.XPATH, "//*[contains(text(),'Épinal (88)')]")))
    screenshot("recherche")
    option.click()
    wait(browser).until(EC.url_contains("/ville/88160"))
    assert browser.current_url.endswith("/ville/88160")


def test_unknown_url_shows_french_not_found(dash_server, browser, screenshot):
    browser.get(dash_server + "/nimporte-quoi")
    el = wait(browser).until(EC.presence_of_element_located((By.ID, "not-found")))
    assert "Page introuvable" in el.text
    link = el.find_element(By.LINK_TEXT, "carte régionale")
    assert link.get_attribute("href").rstrip("/").endswith(dash_server.split("//")[1]) or link.get_attribute("href").endswith("/")
    screenshot("404")


def viewport(browser, width, height):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def wait_for_map(browser):
    wait(browser, 60).until(lambda b: b.execute_script(
        "const gd=document.querySelector('#map-graph .js-plotly-plot'); return gd && gd._fullLayout && "
        "gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map.loaded();"))


def test_default_layers_are_the_cnam_sites_and_acv_towns_with_cnam_on_top(dash_server, browser):
    browser.get(dash_server + "/")
    wait_for_map(browser)
    checked = browser.execute_script(
        "return [...document.querySelectorAll('#map-layers input:checked')].map(i => i.value);")
    assert set(checked) == {"acv", "cnam_officiel", "cnam_presse", "departements"}
    visible = browser.execute_script(
        "return document.querySelector('#map-graph .js-plotly-plot')._fullData.slice(1)"
        ".map(t => [t.visible === true, t.marker.color, t.marker.size]);")
    keys = trace_keys()
    assert {k for k, v in zip(keys, visible) if v[0]} == {"acv", "cnam_officiel", "cnam_presse"}
    assert visible[-3][1] == "#000000" and visible[-4][1] == "#ffffff"  # Cnam sites last, on a white halo
    assert visible[-3][2] > max(v[2] for k, v in zip(keys, visible) if k not in ("acv", "cnam_officiel", "cnam_presse"))


def test_the_map_fits_the_region_in_its_frame(dash_server, browser, screenshot):
    for width, height in ((1280, 720), (1920, 1080)):
        viewport(browser, width, height)
        browser.get(dash_server + "/")
        wait_for_map(browser)
        wait(browser).until(lambda b: b.execute_script(
            "return document.querySelector('#map-graph .js-plotly-plot').dataset.fitted;"))
        box = browser.execute_script("""
            const gd = document.querySelector('#map-graph .js-plotly-plot');
            const m = gd._fullLayout.map._subplot.map; const b = m.getBounds();
            return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth(), m.getZoom()];""")
        west, south, east, north, zoom = box
        assert west <= 3.4 and east >= 8.2 and south <= 47.45 and north >= 50.15, box  # whole region in view
        time.sleep(2)
        screenshot(f"{width}x{height}")


def test_menu_collapses_at_phone_width(dash_server, browser, screenshot):
    viewport(browser, 390, 844)
    browser.get(dash_server + "/sources")
    toggler = wait(browser).until(EC.element_to_be_clickable((By.ID, "nav-toggler")))
    links = browser.find_element(By.ID, "nav-collapse")
    assert not links.is_displayed()
    toggler.click()
    wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "#nav-collapse a[href^='/simulateur']").is_displayed())
    screenshot("menu-390")
    wide = browser.execute_script("return document.documentElement.scrollWidth;")
    assert wide <= 390, wide  # nothing sticks out sideways


def test_ville_has_no_horizontal_overflow_at_phone_width(dash_server, browser, screenshot):
    viewport(browser, 390, 844)
    browser.get(dash_server + "/ville/88160")
    wait(browser).until(EC.presence_of_element_located((By.ID, "ville-nom")))
    time.sleep(2)
    wide = browser.execute_script("return document.documentElement.scrollWidth;")
    screenshot("ville-390")
    assert wide <= 390, wide


def test_presentation_mode_hides_the_side_panel_and_the_map_takes_the_width(dash_server, browser, screenshot):
    viewport(browser, 1280, 720)
    browser.get(dash_server + "/?presentation=1")
    wait_for_map(browser)
    wait(browser).until(lambda b: "presentation" in b.find_element(By.TAG_NAME, "body").get_attribute("class"))
    width = browser.execute_script("return document.getElementById('map-container').getBoundingClientRect().width;")
    browser.find_element(By.ID, "panel-toggle").click()
    wait(browser).until(lambda b: not b.find_element(By.CSS_SELECTOR, ".map-panel").is_displayed())
    wider = browser.execute_script("return document.getElementById('map-container').getBoundingClientRect().width;")
    assert wider > width * 1.25, (width, wider)
    assert browser.find_element(By.ID, "panel-toggle").text == "Afficher les panneaux"
    assert browser.execute_script("return document.documentElement.scrollWidth;") <= 1280  # navbar fits
    time.sleep(2)
    screenshot("sans-panneau-1280")


LABELS = "return [...document.querySelectorAll('#map-container .map-label')].map(a => [a.textContent, a.getAttribute('href')]);"


def test_town_names_of_the_acv_towns_and_cnam_sites_are_written_on_the_map(dash_server, browser, screenshot):
    """Issue #18 part 2: the regional map names its towns (HTML labels, assets/09_map_labels.js), each a link to
    its own profile; a layer switched off takes its names with it."""
    from components.map_layers import layer_frames
    from tests.browser.conftest import click
    frames = layer_frames()
    acv = dict(zip(frames["acv"].nom, frames["acv"].code_insee))
    cnam = {}
    for key in ("cnam_officiel", "cnam_presse"):
        cnam.update(zip(frames[key].commune.fillna(frames[key].nom), frames[key].code_insee))
    browser.get(dash_server + "/")
    wait_for_map(browser)
    labels = wait(browser, 30).until(lambda b: b.execute_script(LABELS) or False)
    names = {name: href for name, href in labels}
    assert len(names) == len(labels)  # one name per town (Metz has two Cnam sites, several ACV towns a site)
    for name, href in names.items():
        assert href == f"/ville/{acv.get(name) or cnam.get(name)}", (name, href)
    assert {"Metz", "Reims", "Mulhouse", "Troyes", "Épinal", "Chaumont"} <= set(names), sorted(names)
    assert len(names) >= 24, sorted(names)  # of 25 ACV towns and 17 Cnam towns, a few left out where names overlap
    screenshot("noms-des-villes")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#map-layers input[value='acv']"))
    wait(browser).until(lambda b: "Chaumont" not in {n for n, _ in b.execute_script(LABELS)})
    after = {n for n, _ in browser.execute_script(LABELS)}
    assert "Metz" in after and not (after - set(cnam)), sorted(after)  # only Cnam towns remain named
