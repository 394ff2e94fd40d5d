"""WCAG 2.1 AA on every page and main state (issue #18, part 5): axe-core 4.14 (npm package pinned in
package-lock.json, installed by ``make test``) injected into headless Chromium, rules tagged wcag2a, wcag2aa,
wcag21a and wcag21aa: no critical and no serious violation anywhere. Each state's full result is saved to
tests/output/axe-<state>.json. Waits are on page state (what must be on screen, Dash not loading), never on time.
"""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from models.domain.simulator import concept_ids
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


# English a screen reader would announce: AG Grid, MapLibre, Bootstrap and Plotly defaults (issue #18)
ENGLISH_NAMES = re.compile(r"\b(Press|Toggle|Map|First Page|Last Page|Next Page|Previous Page|Page Size|Filter|"
                           r"Column|Loading|Zoom in|Zoom out|Reset|Download|Autoscale|Box Select|Lasso|Search|"
                           r"Close|Clear|Apply|Cancel|Row|Cell|Navigation|Attribution|Compass|Fullscreen)\b")
NAMES = """
const out = [];
for (const el of document.querySelectorAll('*')) {
  for (const a of ['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'alt',
                   'placeholder', 'data-title']) {
    const v = el.getAttribute(a); if (v && v.trim()) out.push(a + ' = ' + v.trim());
  }
  if (el.matches('.visually-hidden, .sr-only, .ag-aria-description-container') && el.textContent.trim())
    out.push('texte masqué = ' + el.textContent.trim());
}
return out;"""


def test_no_english_accessible_name_on_any_page(dash_server, browser):
    found = {}
    for path, ready in (("/", "#map-graph .maplibregl-canvas"), ("/couverture", "#cov-map .maplibregl-canvas"),
                        ("/classement", ".ranking-grid .ag-cell"), ("/ville/55545", "#ville-en-bref"),
                        ("/simulateur?ville=55545&concept=fab_id", "#sim-fig-money .main-svg")):
        show(browser, dash_server + path, ready)
        names = browser.execute_script(NAMES)
        assert len(names) > 5  # the scan reads the page's names (navbar, map, grids…)
        english = sorted({n for n in names if ENGLISH_NAMES.search(n)})
        if english:
            found[path] = english[:8]
    assert not found, f"noms accessibles en anglais : {found}"
    # the French ones replaced them
    assert browser.find_elements(By.CSS_SELECTOR, ".ag-paging-button[aria-label='Première page']") or \
        browser.find_elements(By.CSS_SELECTOR, "[aria-label='Première page']")


def test_coverage_tabs_are_reachable_and_moved_by_keyboard(dash_server, browser):
    show(browser, dash_server + "/couverture", "#cov-map .maplibregl-canvas")
    tabs = browser.find_elements(By.CSS_SELECTOR, "#cov-tabs [role=tab]")
    assert [t.get_attribute("tabindex") for t in tabs] == ["0", "-1", "-1", "-1"]  # one Tab stop: the selected
    for tab in tabs:  # each tab names the panel it shows, and the panel names it back
        panel = browser.find_element(By.ID, tab.get_attribute("aria-controls"))
        assert panel.get_attribute("role") == "tabpanel"
        assert panel.get_attribute("aria-labelledby") == tab.get_attribute("id")
    assert len({t.get_attribute("id") for t in tabs}) == 4
    # Tab from the element just before the tab list lands on the selected tab
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", tabs[0])
    browser.execute_script(
        "const all = [...document.querySelectorAll('a[href], button, input, select, [tabindex]')]"
        ".filter(e => e.tabIndex >= 0 && !e.disabled && e.offsetParent !== null);"
        "const list = document.getElementById('cov-tabs');"
        "const before = all.filter(e => list.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING).pop();"
        "before.focus();")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element == tabs[0]
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    wait(browser).until(lambda b: tabs[1].get_attribute("aria-selected") == "true")
    assert browser.switch_to.active_element == tabs[1] and tabs[1].get_attribute("tabindex") == "0"
    assert browser.find_element(By.ID, tabs[1].get_attribute("aria-controls")).is_displayed()
    ActionChains(browser).send_keys(Keys.END).perform()
    wait(browser).until(lambda b: tabs[3].get_attribute("aria-selected") == "true")
    assert browser.find_element(By.ID, tabs[3].get_attribute("aria-controls")).is_displayed()


def test_dropdowns_take_the_focus_on_their_button_and_open_by_keyboard(dash_server, browser):
    show(browser, dash_server + "/classement", ".ranking-grid .ag-cell")
    proxies = browser.find_elements(By.CSS_SELECTOR, ".dash-dropdown-focus-target")
    assert proxies and all(not p.is_enabled() for p in proxies)  # the hidden proxy is never a Tab stop
    button = browser.find_element(By.CSS_SELECTOR, ".commune-search-box .dash-dropdown-focus-target + button")
    assert button.get_attribute("tabindex") == "0"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", button)
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()
    wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content"))


def test_a_glossary_term_shows_its_definition_on_focus_and_a_village_links_its_pole(dash_server, browser):
    show(browser, dash_server + f"/ville/{VILLAGE}", "#ville-en-bref")
    term = browser.find_element(By.CSS_SELECTOR, "#ville-verdict .glossary-term")
    browser.execute_script("arguments[0].focus();", term)
    shown = browser.execute_script("return getComputedStyle(arguments[0], '::after').content;", term)
    assert "Bassin de vie (INSEE)" in shown  # the definition is on screen while the term has the focus
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert browser.execute_script("return getComputedStyle(arguments[0], '::after').display;", term) == "none"
    link = browser.find_element(By.CSS_SELECTOR, "#ville-verdict a[href='/ville/88078']")
    assert link.text == "Bruyères"
    link.click()
    wait(browser).until(lambda b: b.find_element(By.ID, "ville-nom").text == "Bruyères")
