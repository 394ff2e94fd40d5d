"""/couverture in headless Chromium: map and KPIs load, the threshold slider changes coverage, optimisation runs,
network editing is persisted, bad query values give a French message."""
from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def wait(browser, seconds=90):  # the CI box renders WebGL in software: be patient
    return WebDriverWait(browser, seconds)


def click(browser, element):
    """Scroll the element to the middle of the screen, then click it (nothing sticky in front of it)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    browser.execute_script("arguments[0].click();", element)


def map_ready(browser):
    wait(browser).until(lambda b: b.execute_script(
        "const gd=document.querySelector('#cov-map .js-plotly-plot'); return gd && gd._fullLayout && "
        "gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map.loaded();"))


def uncovered_count(browser) -> int:
    return browser.execute_script(
        "const gd=document.querySelector('#cov-map .js-plotly-plot'); return gd.data[1].locations.length;")


def kpi_text(browser) -> str:
    return browser.find_element(By.ID, "cov-kpis").text.lower()  # titles are styled in capitals


def test_page_loads_map_kpis_and_tables(dash_server, browser, screenshot):
    browser.get(dash_server + "/couverture")
    map_ready(browser)
    wait(browser).until(lambda b: "demande couverte" in kpi_text(b))
    assert "zones blanches" in kpi_text(browser) and "réseau de référence" in kpi_text(browser)
    legend = browser.find_element(By.CSS_SELECTOR, "#cov-map .legend").text
    assert "non couverte (> 30 min)" in legend
    assert "Réseau actuel" in browser.find_element(By.ID, "cov-map").find_element(By.XPATH, "..").text
    wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#cov-candidates .ag-row")) > 5)
    time.sleep(1.5)
    screenshot("couverture")


def test_threshold_slider_changes_uncovered_communes_and_url(dash_server, browser, screenshot):
    browser.get(dash_server + "/couverture?minutes=30")
    map_ready(browser)
    wait(browser).until(lambda b: "demande couverte" in kpi_text(b))
    before_count, before_kpi = uncovered_count(browser), kpi_text(browser)
    handle = browser.find_element(By.CSS_SELECTOR, "#cov-minutes [role=slider]")
    handle.click()
    for _ in range(3):  # 30 → 45 min
        handle.send_keys(Keys.ARROW_RIGHT)
    wait(browser).until(lambda b: uncovered_count(b) < before_count)
    wait(browser).until(lambda b: kpi_text(b) != before_kpi)
    assert "minutes=45" in browser.current_url
    assert "45 min" in kpi_text(browser)
    time.sleep(1)
    screenshot("seuil-45")


def test_optimise_shows_chosen_sites_and_comparison(dash_server, browser, screenshot):
    browser.get(dash_server + "/couverture?k=5")
    map_ready(browser)
    click(browser, browser.find_element(By.LINK_TEXT, "Optimiser"))
    click(browser, wait(browser).until(EC.presence_of_element_located((By.ID, "cov-optimise"))))
    message = wait(browser).until(lambda b: b.find_element(By.ID, "cov-opt-message").text or None)
    assert "optimum prouvé" in message and "écart" in message
    wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#cov-chosen .ag-center-cols-container .ag-row")) == 5)
    wait(browser).until(lambda b: "Optimisé" in b.find_element(By.ID, "cov-comparison").text)
    n_points = browser.execute_script(
        "return document.querySelector('#cov-map .js-plotly-plot').data[2].lon.length;")
    assert n_points == 10 + 5  # reference network + proposals
    browser.execute_script("document.getElementById('cov-map').scrollIntoView({block: 'center'});")
    time.sleep(4)
    screenshot("optimisation-carte")
    browser.execute_script("document.getElementById('cov-opt-message').scrollIntoView({block: 'start'});")
    time.sleep(1)
    screenshot("optimisation-tableaux")


def test_network_edit_requires_author_then_is_saved(dash_server, browser, screenshot):
    browser.get(dash_server + "/couverture")
    map_ready(browser)
    click(browser, browser.find_element(By.LINK_TEXT, "Modifier le réseau"))
    box = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#cov-add-btn")))
    search = browser.find_element(By.CSS_SELECTOR, ".commune-search[id*='cov-add']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", search)
    search.click()
    field = wait(browser).until(lambda b: b.switch_to.active_element)
    field.send_keys("Verdun")
    wait(browser).until(EC.element_to_be_clickable((By.XPATH, "//*[contains(text(),'Verdun (55)')]"))).click()
    click(browser, box)  # no author yet
    wait(browser).until(lambda b: "Indiquez votre nom" in b.find_element(By.ID, "cov-edit-message").text)
    browser.find_element(By.ID, "cov-author").send_keys("Test navigateur")
    click(browser, box)
    wait(browser).until(lambda b: "Site ajouté" in b.find_element(By.ID, "cov-edit-message").text)
    assert "Test navigateur" in browser.find_element(By.ID, "cov-network-label").text
    wait(browser).until(lambda b: "Verdun" in b.find_element(By.ID, "cov-network").text)
    wait(browser).until(lambda b: "11 sites" in kpi_text(b))
    screenshot("reseau-modifie")
    click(browser, browser.find_element(By.ID, "cov-reset-btn"))
    wait(browser).until(EC.alert_is_present()).accept()
    wait(browser).until(lambda b: "10 sites" in kpi_text(b))


def test_bad_query_values_show_french_warning(dash_server, browser):
    browser.get(dash_server + "/couverture?minutes=abc&poids=revenu")
    alert = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".alert-warning")))
    assert "invalide" in alert.text or "inconnu" in alert.text
    map_ready(browser)
    assert "30 min" in kpi_text(browser)
