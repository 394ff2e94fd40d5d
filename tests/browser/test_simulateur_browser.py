"""/simulateur in headless Chromium: a slider moves the charts and KPIs; bad URLs get French messages."""
from __future__ import annotations

import json
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from models.domain import demand
from models.text import fr_format as F
from tests.browser.conftest import click

CHARTS = ["sim-fig-learners", "sim-fig-money", "sim-fig-funding", "sim-fig-cumul", "sim-fig-tornado"]


def wait(browser, seconds=40):
    return WebDriverWait(browser, seconds)


def open_page(browser, url):
    browser.get(url)
    browser.execute_script("document.documentElement.style.scrollBehavior = 'auto';")  # no smooth scroll: clicks land
    wait(browser).until(lambda b: b.execute_script(
        "return [...arguments[0]].every(id => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
        " return g && g.data && g.data.length > 0; });", CHARTS))


def chart_data(browser, chart_id):
    return browser.execute_script(
        "return document.querySelector('#' + arguments[0] + ' .js-plotly-plot').data.map(t => [t.name, t.x, t.y]);",
        chart_id)


def slider_thumb(browser, name):
    sid = json.dumps({"name": name, "type": "sim-slider"}, separators=(",", ":"))
    return browser.execute_script("return document.getElementById(arguments[0]).querySelector('[role=slider]');", sid)


def kpis(browser):
    return browser.find_element(By.ID, "sim-kpis").text


def test_moving_a_slider_changes_charts_kpis_and_url(dash_server, browser, screenshot):
    open_page(browser, dash_server + "/simulateur?ville=54329&concept=hub")
    time.sleep(1)
    screenshot("avant")
    before_kpis = kpis(browser)
    before = {c: chart_data(browser, c) for c in CHARTS}
    from models.domain import demand

    start = round(demand.town_estimate("54329", "hub")["central"])  # Lunéville's site, as the demand model sees it
    thumb = slider_thumb(browser, "auditeurs_croisiere")
    assert thumb.get_attribute("aria-valuenow") == str(start)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});"
                           "arguments[0].focus();", thumb)
    for _ in range(40):
        thumb.send_keys(Keys.ARROW_RIGHT)
    assert thumb.get_attribute("aria-valuenow") == str(start + 40)
    # the view updates while the value moves (each key press): wait until it shows the last value
    year4 = lambda b: sum(t[2][4] for t in chart_data(b, "sim-fig-learners") if t[0])  # noqa: E731
    wait(browser).until(lambda b: year4(b) == start + 40)  # stacked bars of year 4 add up to the slider value
    wait(browser).until(lambda b: f"auditeurs_croisiere={start + 40}" in b.current_url)
    assert "valeur choisie par vous" in browser.find_element(By.ID, "sim-context").text
    wait(browser).until(lambda b: chart_data(b, "sim-fig-tornado") != before["sim-fig-tornado"])
    assert kpis(browser) != before_kpis
    for chart in CHARTS:
        assert chart_data(browser, chart) != before[chart], chart
    assert re.search(rf"AUDITEURS EN ANNÉE 4\s+{start + 40}", kpis(browser))
    browser.execute_script("window.scrollTo(0, 0);")
    time.sleep(0.8)
    screenshot("apres")


def test_the_shared_link_reproduces_the_view(dash_server, browser):
    open_page(browser, dash_server + "/simulateur?ville=88160&concept=progressif&auditeurs_croisiere=250&etp=3")
    assert slider_thumb(browser, "auditeurs_croisiere").get_attribute("aria-valuenow") == "250"
    assert slider_thumb(browser, "etp").get_attribute("aria-valuenow") == "3"
    assert "Épinal" in browser.find_element(By.ID, "sim-context").text
    assert browser.find_element(By.CSS_SELECTOR, "#sim-concept input[value=progressif]").is_selected()
    assert re.search(r"AUDITEURS EN ANNÉE 4\s+250", kpis(browser))


def test_bad_url_parameters_show_french_messages_not_a_trace(dash_server, browser, screenshot):
    open_page(browser, dash_server + "/simulateur?ville=00000&concept=campus&etp=-4&auditeurs_croisiere=beaucoup"
                                     "&scenario=12%27%3B%20DROP")
    alerts = browser.find_element(By.ID, "sim-url-alerts").text
    for words in ("Concept inconnu", "Commune inconnue", "« etp »", "hors de la plage", "n'est pas un nombre",
                  "Identifiant de scénario invalide"):
        assert words in alerts, words
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Traceback" not in body and "Error" not in body
    assert browser.find_element(By.CSS_SELECTOR, "#sim-concept input[value=clef_en_main]").is_selected()
    screenshot("erreurs")


def test_bad_table_value_is_refused_and_a_scenario_is_saved(dash_server, browser, screenshot):
    open_page(browser, dash_server + "/simulateur?ville=54329&concept=fab_id")
    wait(browser).until(lambda b: b.execute_script(  # rows are virtualised: bring the 'etp' row into view
        "const api = dash_ag_grid.getApi('sim-grid'); const node = api && api.getRowNode('etp');"
        "if (node) { api.ensureNodeVisible(node, 'middle'); } return !!node;"))
    cell = wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#sim-grid .ag-row[row-id=etp] .ag-cell[col-id=valeur]")))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", cell)
    wait(browser).until(EC.element_to_be_clickable(  # the grid may redraw its rows once more: wait, then click
        (By.CSS_SELECTOR, "#sim-grid .ag-row[row-id=etp] .ag-cell[col-id=valeur]"))).click()
    editor = wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#sim-grid .ag-row[row-id=etp] .ag-cell[col-id=valeur] input")))
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("deux" + Keys.ENTER)
    wait(browser).until(lambda b: "n'est pas un nombre" in b.find_element(By.ID, "sim-alert").text)
    assert "« etp »" in browser.find_element(By.ID, "sim-alert").text
    wait(browser).until(lambda b: b.find_element(
        By.CSS_SELECTOR, "#sim-grid .ag-row[row-id=etp] .ag-cell[col-id=valeur]").text == "2")

    name = browser.find_element(By.ID, "sim-scen-name")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", name)
    name.send_keys("Lunéville — l'essai \"Fab ID\"")
    assert "ouverte sur ce poste uniquement" in browser.find_element(By.ID, "sim-scen-author").text  # no account
    click(browser, browser.find_element(By.ID, "sim-save"))
    wait(browser).until(lambda b: "enregistré" in b.find_element(By.ID, "sim-scen-msg").text)
    sid = re.search(r"n° (\d+)", browser.find_element(By.ID, "sim-scen-msg").text).group(1)
    wait(browser).until(lambda b: f"scenario={sid}" in b.current_url)
    table = browser.find_element(By.ID, "sim-scen-table").text
    assert "l'essai \"Fab ID\"" in table and "poste local" in table  # the author is the editor, not a typed name
    time.sleep(0.5)
    screenshot("scenario")


def slider_value_text(browser, name):
    sid = json.dumps({"name": name, "type": "sim-slider-value"}, separators=(",", ":"))
    return browser.execute_script("return document.getElementById(arguments[0]).textContent;", sid)


def test_keyboard_moves_a_slider_its_value_shows_and_the_kpis_stay_in_view(dash_server, browser, screenshot):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False})
    open_page(browser, dash_server + "/simulateur?ville=88160&concept=clef_en_main")
    thumb = slider_thumb(browser, "auditeurs_croisiere")
    assert thumb.get_attribute("aria-label")  # an accessible name, read by screen readers
    # the slider starts at the town's own estimate (Épinal already has a site), with its unit
    expected = round(demand.town_estimate("88160", "clef_en_main")["central"])
    assert slider_value_text(browser, "auditeurs_croisiere") == f"{F.num(expected)}\u00a0auditeurs/an"
    browser.execute_script("arguments[0].scrollIntoView({block: 'end', behavior: 'instant'});"
                           "arguments[0].focus();", thumb)
    before = kpis(browser)
    thumb.send_keys(Keys.HOME)
    wait(browser).until(lambda b: kpis(b) != before)
    low = thumb.get_attribute("aria-valuemin")
    assert thumb.get_attribute("aria-valuenow") == low
    assert slider_value_text(browser, "auditeurs_croisiere").startswith(low)  # shown at 1280 px, not hidden
    thumb.send_keys(Keys.ARROW_RIGHT)
    wait(browser).until(lambda b: f"auditeurs_croisiere={int(float(low)) + 1}" in b.current_url)
    box = browser.execute_script(
        "const r = document.getElementById('sim-kpis').getBoundingClientRect(); return [r.top, r.bottom];")
    assert box[0] >= -1 and box[1] <= 720, box  # the KPI cards stay on screen while the slider moves
    titles = browser.execute_script(
        "return [...document.querySelectorAll('#sim-kpis .kpi-title')].map(el => {"
        " const r = document.createRange(); r.selectNodeContents(el); const lines = new Set();"
        " [...r.getClientRects()].forEach(x => lines.add(Math.round(x.top)));"
        " return [el.textContent, el.scrollWidth <= el.clientWidth + 1]; });")
    assert all(fits for _, fits in titles), titles  # no title overflows (a title may wrap between words only)
    screenshot("clavier-1280")


def test_chart_toolbar_is_french_short_and_out_of_the_tab_order(dash_server, browser):
    open_page(browser, dash_server + "/simulateur")
    buttons = browser.execute_script(
        "return [...document.querySelectorAll('#sim-fig-learners .modebar-btn')]"
        ".map(b => [b.getAttribute('data-title'), b.getAttribute('tabindex')]);")
    titles = [t for t, _ in buttons]
    assert titles == ["Télécharger l'image (PNG, avec titre, source, date et légende)", "Plein écran"], titles
    assert all(tab == "-1" for _, tab in buttons)


def test_presentation_flag_sets_the_mode_and_survives_navigation(dash_server, browser, screenshot):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    open_page(browser, dash_server + "/simulateur?ville=88160&presentation=1")
    wait(browser).until(lambda b: "presentation" in b.find_element(By.TAG_NAME, "body").get_attribute("class"))
    assert "presentation" not in browser.find_element(By.ID, "sim-url-alerts").text  # not taken as a parameter
    size = browser.execute_script("return parseFloat(getComputedStyle(document.querySelector("
                                  "'#sim-kpis .kpi-detail')).fontSize);")
    assert size >= 20
    wait(browser).until(lambda b: b.execute_script(  # chart texts too (ticks, legend, axis titles)
        "const sizes = [...document.querySelectorAll('#sim-fig-money .main-svg text')]"
        ".map(t => parseFloat(t.style.fontSize)).filter(x => x > 0); return sizes.length && Math.min(...sizes) >= 20;"))
    link = browser.find_element(By.CSS_SELECTOR, ".atlas-navbar a[href^='/classement']")
    assert link.get_attribute("href").endswith("/classement?presentation=1")
    screenshot("presentation-1920")
    browser.find_element(By.CSS_SELECTOR, ".atlas-navbar a[href^='/?presentation']").click()
    wait(browser).until(lambda b: b.execute_script("return location.pathname") == "/")
    assert "presentation" in browser.find_element(By.TAG_NAME, "body").get_attribute("class")
    browser.find_element(By.CSS_SELECTOR, "label[for=presentation-toggle]").click()
    wait(browser).until(lambda b: "presentation" not in b.find_element(By.TAG_NAME, "body").get_attribute("class"))


def test_deleting_a_scenario_asks_first(dash_server, browser):
    open_page(browser, dash_server + "/simulateur?ville=54329&concept=hub")
    name = browser.find_element(By.ID, "sim-scen-name")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", name)
    name.send_keys("à supprimer")
    click(browser, browser.find_element(By.ID, "sim-save"))
    wait(browser).until(lambda b: "enregistré" in b.find_element(By.ID, "sim-scen-msg").text)
    sid = int(re.search(r"n° (\d+)", browser.find_element(By.ID, "sim-scen-msg").text).group(1))
    browser.find_element(By.ID, "sim-scen-pick").click()
    wait(browser).until(EC.element_to_be_clickable((By.XPATH, f"//*[starts-with(text(),'n° {sid} ·')]"))).click()
    click(browser, browser.find_element(By.CSS_SELECTOR, "#sim-delete button"))
    dialog = wait(browser).until(EC.alert_is_present())
    assert "Supprimer le scénario" in dialog.text
    dialog.dismiss()  # changed my mind: nothing is deleted
    time.sleep(1)
    assert "corbeille" not in browser.find_element(By.ID, "sim-scen-msg").text
    click(browser, browser.find_element(By.CSS_SELECTOR, "#sim-delete button"))
    wait(browser).until(EC.alert_is_present()).accept()
    wait(browser).until(lambda b: "corbeille" in b.find_element(By.ID, "sim-scen-msg").text)


def test_screenshots_for_a_projector(dash_server, browser, screenshot):
    for width, height in ((1280, 720), (1920, 1080)):
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        open_page(browser, dash_server + "/simulateur?ville=88160&concept=clef_en_main")
        time.sleep(1)
        screenshot(f"{width}x{height}")
