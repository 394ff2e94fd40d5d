"""Fiche ville in headless Chromium: the page, the "Simuler ce concept" link, bad codes, search, print layout."""
from __future__ import annotations

import base64
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import geodata
from models.text import fr_format as F


def wait(browser, seconds=30):
    return WebDriverWait(browser, seconds)


def open_profile(browser, url, code):
    browser.get(f"{url}/ville/{code}")
    wait(browser).until(EC.presence_of_element_located((By.ID, "ville-diagnostic")))
    wait(browser).until(lambda b: b.execute_script(
        "const gd=document.querySelector('#ville-map .js-plotly-plot'); return gd && gd._fullLayout && "
        "gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map.loaded();"))
    # the print map arrives just after the page: wait for it so that nothing moves under a click
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#ville-print-map img")))


def full_page(browser, screenshot, name):
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1600, min(height + 120, 8000))
    time.sleep(1.0)
    path = screenshot(name)
    browser.set_window_size(1600, 1000)
    return path


def test_profile_page_shows_the_diagnostic_and_the_map(dash_server, browser, screenshot):
    open_profile(browser, dash_server, "88160")
    c = geodata.commune_index().loc["88160"]
    assert browser.find_element(By.ID, "ville-nom").text == "Épinal"
    diag = browser.find_element(By.ID, "ville-diagnostic").text
    assert F.pct(c.chomage_ze).replace(F.NBSP, " ") in diag.replace(F.NBSP, " ")
    assert "Vosges" in diag and "Grand Est" in diag and "2023-T3" in diag
    assert "secret statistique" in browser.find_element(By.ID, "ville-besoins").text
    assert browser.find_elements(By.CSS_SELECTOR, "#ville-trend .js-plotly-plot")
    lycees = browser.find_element(By.ID, "ville-partenaires-lycees_pro").text
    assert "dans la commune" in lycees
    assert "Concept suggéré" in browser.find_element(By.ID, "ville-concepts").text
    assert browser.title.startswith("Épinal")
    full_page(browser, screenshot, "epinal")


@pytest.mark.parametrize("concept", ["fab_id", "progressif"])
def test_simuler_ce_concept_opens_the_simulator(dash_server, browser, concept):
    open_profile(browser, dash_server, "52448")
    button = wait(browser).until(EC.element_to_be_clickable((By.ID, f"ville-simuler-{concept}")))
    assert button.text == "Simuler ce concept"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    time.sleep(0.3)
    wait(browser).until(EC.element_to_be_clickable((By.ID, f"ville-simuler-{concept}"))).click()
    wait(browser).until(EC.url_contains("/simulateur"))
    assert browser.current_url.endswith(f"/simulateur?ville=52448&concept={concept}")


@pytest.mark.parametrize("code", ["99999", "abc", "75056"])
def test_bad_code_shows_french_message_and_search(dash_server, browser, screenshot, code):
    browser.get(f"{dash_server}/ville/{code}")
    box = wait(browser).until(EC.presence_of_element_located((By.ID, "ville-introuvable")))
    assert "Commune introuvable" in box.text
    assert "commune" in browser.find_element(By.ID, "ville-erreur").text
    assert box.find_elements(By.CSS_SELECTOR, ".commune-search")
    assert "Traceback" not in browser.page_source
    screenshot(code)


def test_search_from_the_error_page_opens_the_town(dash_server, browser):
    browser.get(f"{dash_server}/ville/abc")
    box = wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#ville-introuvable .commune-search")))
    box.click()
    field = wait(browser).until(lambda b: b.switch_to.active_element)
    field.send_keys("Selestat")  # typed without accent: the search folds accents
    wait(browser).until(EC.element_to_be_clickable((By.XPATH, "//*[contains(text(),'Sélestat (67)')]"))).click()
    wait(browser).until(EC.url_contains("/ville/67462"))
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "ville-nom"), "Sélestat"))


def test_print_layout_hides_the_controls_and_keeps_blocks_whole(dash_server, browser, screenshot):
    open_profile(browser, dash_server, "08001")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    style = browser.execute_script("""
        const s = e => getComputedStyle(document.querySelector(e));
        return {nav: s('.atlas-navbar').display, toolbar: s('.ville-toolbar').display,
                block: s('#ville-concepts').breakInside, button: s('#ville-simuler-fab_id').display};""")
    assert style == {"nav": "none", "toolbar": "none", "block": "avoid", "button": "none"}
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69,
                                                                       "printBackground": False})["data"])
    assert pdf.startswith(b"%PDF")
    from tests.browser.conftest import OUTPUT
    (OUTPUT / "ville-acy-romance.pdf").write_bytes(pdf)


def test_a_village_is_told_plainly_it_is_not_a_good_host(dash_server, browser, screenshot):
    """Rouges-Eaux (80 inhabitants in 2021): the first thing read says it is too small; no concept is a strong fit."""
    open_profile(browser, dash_server, "88398")
    verdict = browser.find_element(By.ID, "ville-verdict")
    assert verdict.get_attribute("data-statut") == "trop_petite"
    population = int(geodata.commune_index().loc["88398", "population"])
    assert population < 200  # the legal population 2021, the one every page shows
    assert "trop petite pour accueillir un site du Cnam" in verdict.text
    assert f"({F.num(population)} habitants)" in verdict.text
    assert "aucun ne s'y prête" in browser.find_element(By.ID, "ville-bref-concept").text
    assert "adéquation forte" not in browser.find_element(By.ID, "ville-concepts").text
    # "En bref" sits above the diagnostic: it is read first
    brief_y = browser.find_element(By.ID, "ville-en-bref").location["y"]
    assert brief_y < browser.find_element(By.ID, "ville-diagnostic").location["y"]
    screenshot("rouges-eaux")


def test_epinal_says_it_already_has_a_cnam_site(dash_server, browser, screenshot):
    open_profile(browser, dash_server, "88160")
    verdict = browser.find_element(By.ID, "ville-verdict")
    assert verdict.get_attribute("data-statut") == "deja_desservie"
    assert "Épinal accueille déjà un site du Cnam" in verdict.text and "MESR" in verdict.text
    assert "Site du Cnam dans la commune" in browser.find_element(By.ID, "ville-cnam-proche").text
    assert "Rang au classement multicritère" in browser.find_element(By.ID, "ville-rang").text
    assert "Gare TER dans la commune" in browser.find_element(By.ID, "ville-gare").text
    for width, height in ((1280, 720), (1920, 1080)):
        browser.set_window_size(width, height)
        browser.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.8)
        screenshot(f"epinal-{width}x{height}")
    browser.set_window_size(1600, 1000)


def test_two_towns_side_by_side(dash_server, browser):
    browser.get(f"{dash_server}/ville/10387?comparer=52448")
    table = wait(browser).until(EC.visibility_of_element_located((By.ID, "ville-comparaison")))
    head = table.find_element(By.TAG_NAME, "thead").text
    assert "Troyes" in head and "Saint-Dizier" in head
    assert "Temps jusqu'au site Cnam le plus proche" in table.text and "Gare TER dans la commune" in table.text
    browser.get(f"{dash_server}/ville/10387?comparer=abc")
    alert = wait(browser).until(EC.visibility_of_element_located((By.ID, "ville-compare-erreur")))
    assert "Comparaison impossible" in alert.text


def test_comparison_is_scrolled_into_view_and_focused_at_1280x720(dash_server, browser, screenshot):
    browser.set_window_size(1280, 720)
    browser.get(f"{dash_server}/ville/55545?comparer=67437")
    wait(browser).until(lambda b: b.execute_script(
        "return document.activeElement && document.activeElement.closest('#ville-compare') !== null;"))
    top, bottom, inner = browser.execute_script(
        "const r = document.getElementById('ville-compare').getBoundingClientRect();"
        "return [r.top, r.top + 120, window.innerHeight];")
    assert 0 <= top and bottom <= inner, (top, inner)  # its title and first rows on screen, not at y ≈ 655
    assert "Comparaison : Verdun et Saverne" in browser.switch_to.active_element.text
    screenshot("comparaison-1280x720")
    browser.set_window_size(1600, 1000)


def test_bad_comparison_code_is_explained(dash_server, browser):
    browser.get(f"{dash_server}/ville/10387?comparer=abc")
    alert = wait(browser).until(EC.visibility_of_element_located((By.ID, "ville-compare-erreur")))
    assert "Comparaison impossible" in alert.text
