"""Typing a town's exact name and pressing Enter, at once, in every commune search box of the app opens that town:
its profile from the map, the profile and the error pages; the simulator, the comparison, the coverage and the
ranking boxes take that town. The codes INSEE are the oracle (COG), typed fast on purpose: Enter arrives before the
server has answered the last keystrokes, and must still open the town typed, not an earlier list's first line."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import click

TOWNS = [("Verdun", "55545", "Verdun"), ("Saverne", "67437", "Saverne"), ("Metz", "57463", "Metz"),
         ("Troyes", "10387", "Troyes"), ("Saint-Dié", "88413", "Saint-Dié-des-Vosges")]


def wait(browser, seconds=60):
    return WebDriverWait(browser, seconds)


def box_id(name: str) -> str:
    return json.dumps({"name": name, "type": "commune-search"}, separators=(",", ":"))


def box(name: str) -> tuple[str, str]:
    """Locator of the box's button (its id is the JSON of the pattern-matching id)."""
    return By.XPATH, f"//button[@id='{box_id(name)}']"


def type_and_enter(browser, name: str, typed: str):
    """Open the box ``name``, type ``typed`` and Enter in one go, as a hurried user does: the keys go to whatever
    has the focus (the box's button first, then its search field once the list opens)."""
    trigger = wait(browser).until(EC.visibility_of_element_located(box(name)))
    wait(browser, 20).until(lambda b: trigger.get_attribute("aria-expanded") == "false")  # the last list closed
    browser.execute_script("document.documentElement.style.scrollBehavior = 'auto';"
                           "arguments[0].scrollIntoView({block: 'center'});", trigger)
    wait(browser).until(EC.element_to_be_clickable(box(name))).click()
    wait(browser, 10).until(lambda b: trigger.get_attribute("aria-expanded") == "true")
    ActionChains(browser).send_keys(typed + Keys.ENTER).perform()


def shown(browser, name: str) -> str:
    return browser.find_element(*box(name)).text


def query(browser) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(browser.current_url).query).items()}


def profile_of(browser, code: str, nom: str):
    wait(browser).until(lambda b: urlsplit(b.current_url).path == f"/ville/{code}")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "ville-nom"), nom))


@pytest.mark.parametrize("start, box", [("/", "map"), ("/ville/abc", "ville"), ("/nimporte-quoi", "notfound")])
def test_enter_opens_the_profile_of_the_town_typed(dash_server, browser, start, box):
    for typed, code, nom in TOWNS:
        browser.get(dash_server + start)
        type_and_enter(browser, box, typed)
        profile_of(browser, code, nom)


def test_enter_in_the_profile_search_opens_the_next_profile(dash_server, browser):
    browser.get(dash_server + "/ville/08105")
    wait(browser).until(EC.presence_of_element_located((By.ID, "ville-nom")))
    for typed, code, nom in TOWNS:  # from profile to profile, without reloading
        type_and_enter(browser, "ville", typed)
        profile_of(browser, code, nom)


def test_enter_in_the_comparison_box_compares_with_the_town_typed(dash_server, browser):
    for typed, code, _nom in TOWNS:
        browser.get(dash_server + "/ville/51454")
        wait(browser).until(EC.presence_of_element_located((By.ID, "ville-nom")))
        type_and_enter(browser, "ville-comparer", typed)
        wait(browser).until(lambda b: query(b).get("comparer") == code)
        assert urlsplit(browser.current_url).path == "/ville/51454"


def test_enter_in_the_simulator_simulates_the_town_typed(dash_server, browser):
    browser.get(dash_server + "/simulateur?ville=54329&concept=hub")
    for typed, code, nom in TOWNS:
        type_and_enter(browser, "sim", typed)
        wait(browser).until(lambda b: query(b).get("ville") == code)
        assert query(browser)["concept"] == "hub"
        wait(browser).until(lambda b: shown(b, "sim").startswith(nom + " ("))
        # the list closed once the town was chosen: the next search starts from a closed box
        wait(browser, 10).until(lambda b: b.find_element(*box("sim")).get_attribute("aria-expanded")
                                == "false")


def test_enter_in_the_coverage_boxes_takes_the_town_typed(dash_server, browser):
    browser.get(dash_server + "/couverture")
    click(browser, wait(browser, 120).until(EC.presence_of_element_located(
        (By.XPATH, "//summary[contains(., 'Options avancées')]"))))  # the candidate box is an advanced option
    for typed, code, nom in TOWNS:  # candidate towns of the optimiser: added to the state in the URL
        type_and_enter(browser, "cov-candidate", typed)
        wait(browser).until(lambda b: code in unquote(query(b).get("ajouts", "")))
        wait(browser).until(lambda b: shown(b, "cov-candidate").startswith(nom + " ("))
    click(browser, wait(browser).until(EC.presence_of_element_located((By.LINK_TEXT, "Modifier le réseau"))))
    for name in ("cov-add", "cov-move"):
        for typed, code, nom in TOWNS:
            type_and_enter(browser, name, typed)
            wait(browser).until(lambda b: shown(b, name).startswith(nom + " (") and shown(b, name).endswith(code))


def test_enter_in_the_ranking_box_takes_the_town_typed_and_adds_it(dash_server, browser):
    browser.get(dash_server + "/classement")
    for typed, code, nom in TOWNS:
        type_and_enter(browser, "cls", typed)
        wait(browser).until(lambda b: shown(b, "cls").startswith(nom + " (") and shown(b, "cls").endswith(code))
    click(browser, browser.find_element(By.ID, "cls-add"))
    wait(browser).until(lambda b: "Saint-Dié-des-Vosges" in b.find_element(By.ID, "cls-add-msg").text
                        + b.find_element(By.ID, "cls-added-list").text)


def test_the_list_puts_the_exact_name_first_and_names_the_departement(dash_server, browser):
    browser.get(dash_server + "/ville/abc")
    trigger = wait(browser).until(EC.element_to_be_clickable(box("ville")))
    trigger.click()
    field = wait(browser, 10).until(lambda b: b.switch_to.active_element)
    field.send_keys("Verdun")
    wait(browser).until(lambda b: "Liverdun" in b.find_element(By.CSS_SELECTOR, ".dash-dropdown-content").text)
    options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content .dash-dropdown-option")]
    assert options[0] == "Verdun (55) · Meuse · 55545", options
    assert any(o.startswith("Liverdun (54) · Meurthe-et-Moselle") for o in options[1:])
