"""Signing in through the French form, then using the app: every Dash callback of a signed-in session carries
the CSRF token (no 403), and the network editor names the account. Own server: its database has an account."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import ROOT, _free_port, click


@pytest.fixture
def server_with_account(tmp_path):
    url_db = f"sqlite:///{tmp_path / 'signin.db'}"
    add = subprocess.run([sys.executable, "-m", "models.users", "add", "Claire Test", "--stdin"], cwd=ROOT,
                         input="mot de passe long 123\n", text=True, capture_output=True,
                         env={**os.environ, "DATABASE_URL": url_db}, timeout=120)
    assert add.returncode == 0, add.stderr
    port = _free_port()
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "DATABASE_URL": url_db, "PORT": str(port), "HOST": "127.0.0.1"})
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            requests.get(url + "/_dash-layout", timeout=2)
            break
        except requests.RequestException:
            time.sleep(0.25)
    yield url, tmp_path / "server.log"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def test_sign_in_then_callbacks_work_and_the_editor_is_named(server_with_account, browser):
    url, log = server_with_account
    wait = WebDriverWait(browser, 40)
    browser.get(url + "/connexion")
    wait.until(lambda b: b.find_elements(By.ID, "login-name"))
    browser.find_element(By.ID, "login-name").send_keys("Claire Test")
    browser.find_element(By.ID, "login-password").send_keys("mauvais")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#_pages_content button[type=submit]"))
    wait.until(lambda b: "Nom ou mot de passe incorrect" in b.find_element(By.ID, "_pages_content").text)
    browser.find_element(By.ID, "login-name").send_keys("Claire Test")
    browser.find_element(By.ID, "login-password").send_keys("mot de passe long 123")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#_pages_content button[type=submit]"))
    wait.until(lambda b: b.current_url.rstrip("/") == url)
    assert any(c["name"] == "atlas_session" and c["httpOnly"] for c in browser.get_cookies())
    browser.get(url + "/couverture")
    wait.until(lambda b: b.find_elements(By.LINK_TEXT, "Modifier le réseau"))
    click(browser, browser.find_element(By.LINK_TEXT, "Modifier le réseau"))
    wait.until(lambda b: "Connecté en tant que Claire Test" in b.find_element(By.ID, "cov-author").text)
    assert " 403 " not in log.read_text()  # every callback carried the session's CSRF token


def test_sign_in_from_the_simulator_comes_back_to_it_and_the_navbar_says_who(server_with_account, browser):
    url, log = server_with_account
    wait = WebDriverWait(browser, 60)
    back = "/simulateur?ville=55545&concept=hub"
    browser.get(url + back)
    wait.until(lambda b: "Verdun" in b.find_element(By.ID, "sim-context").text)
    link = wait.until(lambda b: b.find_element(By.LINK_TEXT, "Connexion"))
    wait.until(lambda b: "next=" in (link.get_attribute("href") or ""))  # the link carries the page and its state
    click(browser, link)
    wait.until(lambda b: b.find_elements(By.ID, "login-name"))
    browser.find_element(By.ID, "login-name").send_keys("Claire Test")
    browser.find_element(By.ID, "login-password").send_keys("mot de passe long 123")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#_pages_content button[type=submit]"))
    wait.until(lambda b: b.current_url == url + back)
    wait.until(lambda b: "Verdun" in b.find_element(By.ID, "sim-context").text)  # the same town, the same concept
    assert browser.find_element(By.ID, "sim-concept").find_element(By.CSS_SELECTOR, "input:checked") \
        .get_attribute("value") == "hub"
    nav = browser.find_element(By.CSS_SELECTOR, ".atlas-navbar")
    assert "Connecté : Claire Test" in nav.get_attribute("textContent")  # "Connecté" for screen readers
    assert not nav.find_elements(By.LINK_TEXT, "Connexion")
    click(browser, browser.find_element(By.ID, "nav-logout"))  # signing out: back to the same page, signed out
    wait.until(lambda b: b.find_elements(By.LINK_TEXT, "Connexion") and b.current_url == url + back)
    assert "Claire Test" not in browser.find_element(By.CSS_SELECTOR, ".atlas-navbar").get_attribute("textContent")
    assert " 403 " not in log.read_text()
