"""Will a site here pay its way? The demand model's figures as a user reads them in headless Chromium: the
simulator's per-town estimate and verdict, the profile's expected learners and whom they are taken from, and the
optimiser's learners objective (no site without gain). Clicks are real clicks; no console error is accepted."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from models.domain import demand
from models.text import fr_format as F
from models.domain.simulator import default_break_even


def wait(browser, seconds=90):
    return WebDriverWait(browser, seconds)


def no_console_error(browser):
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def user_click(browser, element):
    """Scroll into view, then a real click: a covered element raises (ElementClickInterceptedException)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    wait(browser, 10).until(EC.element_to_be_clickable(element))
    element.click()


def test_simulator_starts_from_verduns_own_estimate_and_gives_a_per_town_verdict(dash_server, browser, screenshot):
    est = demand.town_estimate("55545", "hub")
    verdict = demand.viability(est, default_break_even("hub"))
    browser.set_window_size(1280, 900)
    browser.get(dash_server + "/simulateur?ville=55545&concept=hub")
    wait(browser).until(EC.presence_of_element_located((By.ID, "sim-town-verdict")))
    context = browser.find_element(By.ID, "sim-context").text
    assert f"Auditeurs attendus à Verdun : {F.num(est['central'])} par an en croisière" in context
    assert f"(fourchette {F.num(est['low'])} à {F.num(est['high'])})" in context
    assert est["drawn_from"][0]["nom"] in context
    assert f"Verdun : {verdict['text']}" in browser.find_element(By.ID, "sim-town-verdict").text
    thumb = browser.execute_script(
        "return document.getElementById('{\"name\":\"auditeurs_croisiere\",\"type\":\"sim-slider\"}')"
        ".querySelector('[role=slider]');")
    assert thumb.get_attribute("aria-valuenow") == str(round(est["central"]))
    wait(browser).until(lambda b: b.execute_script(
        "const gd = document.querySelector('#sim-fig-cumul .js-plotly-plot');"
        "return gd && gd.data && gd.data.some(t => t.name === 'Fourchette de la demande (basse – haute)');"))
    browser.execute_script("window.scrollTo(0, 0);")
    screenshot("verdun-hub")
    no_console_error(browser)


def test_profile_of_saverne_shows_expected_learners_and_whom_they_are_taken_from(dash_server, browser, screenshot):
    browser.set_window_size(1280, 900)
    browser.get(dash_server + "/ville/67437")
    line = wait(browser).until(EC.presence_of_element_located((By.ID, "ville-apprenants")))
    v = __import__("models.domain.concept_fit", fromlist=["verdict"]).verdict("67437")
    c = v.concept if v.concept in demand.CONCEPTS else demand.DEFAULT_CONCEPT
    est = demand.town_estimate("67437", c)
    assert f"{F.num(est['central'])} par an (fourchette {F.num(est['low'])} à {F.num(est['high'])})" in line.text
    first = est["drawn_from"][0]
    link = line.find_element(By.LINK_TEXT, first["nom"])
    assert link.get_attribute("href").endswith(f"/ville/{first['code_insee']}")
    table = browser.find_element(By.ID, "ville-demand-table").text
    hub = demand.town_estimate("67437", "hub")
    assert f"{F.num(hub['central'])} ({F.num(hub['low'])} à {F.num(hub['high'])})" in table
    assert F.num(default_break_even("hub")) in table
    screenshot("saverne")
    user_click(browser, link)
    wait(browser).until(lambda b: b.current_url.endswith(f"/ville/{first['code_insee']}"))
    no_console_error(browser)


@pytest.mark.parametrize("objective", ["apprenants", "population"])
def test_couverture_at_45_minutes_proposes_no_site_without_gain(dash_server, browser, screenshot, objective):
    from models.domain import planning as planner
    from models.stores.network import reference_network

    browser.set_window_size(1280, 900)
    other = "population" if objective == "apprenants" else "apprenants"  # the click changes the objective
    browser.get(dash_server + f"/couverture?minutes=45&k=12&candidats=acv_bv&concept=hub&objectif={other}")
    radio = wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#cov-objective input[value={objective}]")))
    user_click(browser, radio)
    wait(browser).until(lambda b: f"objectif={objective}" in b.current_url)
    user_click(browser, browser.find_element(By.ID, "cov-optimise"))
    alert = wait(browser).until(EC.presence_of_element_located((By.ID, "cov-opt-alert")))
    request = planner.PlanRequest(minutes=45, kind="acv_bv", k=12, concept="hub", objective=objective)
    outcome = planner.plan(request, reference_network())
    assert (outcome.sites["gain"] > 0).all()
    assert outcome.headline() in alert.text
    names = browser.execute_script(
        "return [...document.querySelectorAll('#cov-chosen .ag-center-cols-container .ag-row')]"
        ".map(r => r.getAttribute('row-index')).length;")
    assert names == len(outcome.result.chosen)
    learners = browser.find_element(By.ID, "cov-kpi-learners").text
    assert f"+{F.num(outcome.demand.net_new)} nets" in learners
    screenshot(f"objectif-{objective}")
    no_console_error(browser)
