"""WCAG 2.1 AA on every page and main state (issue #18, part 5): axe-core 4.14 (npm package pinned in
package-lock.json, installed by ``make test``) injected into headless Chromium, rules tagged wcag2a, wcag2aa,
wcag21a and wcag21aa: no critical and no serious violation anywhere. Each state's full result is saved to
tests/output/axe-<state>.json. Waits are on page state (what must be on screen, Dash not loading), never on time.
"""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from models.simulator import concept_ids
from tests.browser.axe import audit, axe_source, blocking, read_through, report, settled

VILLAGE = "88086"  # Champ-le-Duc (Vosges, < 5,000 inhabitants): its verdict names the pole of its basin, Bruyères


@pytest.fixture(autouse=True)
def _axe_installed():
    axe_source()  # skip early (with the command to run) when node_modules/axe-core is missing


def wait(browser, seconds=90):  # software WebGL on a shared machine: be patient
    return WebDriverWait(browser, seconds)


def show(browser, url: str, ready: str) -> None:
    """Open ``url`` and wait until ``ready`` (CSS) is on the page and Dash has nothing left to load."""
    browser.get(url)
    ready_when(browser, ready)


def ready_when(browser, css: str) -> None:
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, css))
    wait(browser).until(settled)
    read_through(browser)


def check(found: dict[str, list[dict]]) -> None:
    bad = {state: blocking(v) for state, v in found.items() if blocking(v)}
    assert not bad, "violations critiques ou graves (axe-core, WCAG 2.1 AA) :\n" + report(bad)


def test_regional_map_has_no_serious_violation(dash_server, browser):
    show(browser, dash_server + "/", "#map-graph .maplibregl-canvas")
    check({"carte": audit(browser, "carte")})


def test_town_profiles_have_no_serious_violation(dash_server, browser):
    found = {}
    for state, path in (("ville-verdun", "/ville/55545"), ("ville-village", f"/ville/{VILLAGE}"),
                        ("ville-comparaison", "/ville/55545?comparer=54099")):
        show(browser, dash_server + path, "#ville-en-bref")
        found[state] = audit(browser, state)
    show(browser, dash_server + "/ville/00000", "#ville-introuvable")
    found["ville-inconnue"] = audit(browser, "ville-inconnue")
    check(found)


def test_simulator_has_no_serious_violation_for_any_concept(dash_server, browser):
    found = {}
    for concept in concept_ids():
        show(browser, dash_server + f"/simulateur?ville=55545&concept={concept}", "#sim-fig-money .main-svg")
        found[f"simulateur-{concept}"] = audit(browser, f"simulateur-{concept}")
    check(found)


def _open_tab(browser, label: str) -> None:
    """Reach a /couverture tab by keyboard, as a user without a mouse would: Tab onto the tab list, arrows."""
    tab = browser.find_element(By.XPATH, f"//*[@id='cov-tabs']//*[@role='tab'][normalize-space()='{label}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", tab)
    tab.send_keys(Keys.ENTER)
    wait(browser).until(lambda b: tab.get_attribute("aria-selected") == "true")
    wait(browser).until(settled)
    read_through(browser)


def test_coverage_tabs_have_no_serious_violation_before_and_after_optimising(dash_server, browser):
    found = {}
    tabs = ("Sites proposés", "Candidats", "Zones blanches et territoires", "Modifier le réseau")
    show(browser, dash_server + "/couverture", "#cov-map .maplibregl-canvas")
    for n, label in enumerate(tabs):
        _open_tab(browser, label)
        found[f"couverture-onglet-{n + 1}"] = audit(browser, f"couverture-onglet-{n + 1}")
    show(browser, dash_server + "/couverture?k=4&opt=1", "#cov-map .maplibregl-canvas")
    wait(browser).until(lambda b: "→" in b.find_element(By.ID, "cov-kpis").text)
    wait(browser).until(settled)
    read_through(browser)
    found["couverture-optimisee"] = audit(browser, "couverture-optimisee")
    _open_tab(browser, tabs[2])
    found["couverture-optimisee-territoires"] = audit(browser, "couverture-optimisee-territoires")
    check(found)


def test_ranking_sources_sign_in_and_unknown_page_have_no_serious_violation(dash_server, browser):
    found = {}
    for state, path, ready in (("classement", "/classement", ".ranking-grid .ag-cell"),
                               ("sources", "/sources", "h1"),
                               ("connexion", "/connexion", "form input[type=password]"),
                               ("page-inconnue", "/nulle-part", "#not-found")):
        show(browser, dash_server + path, ready)
        found[state] = audit(browser, state)
    check(found)
