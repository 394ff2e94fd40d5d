"""Browser fixtures: the real app served on a free port, driven by headless Debian Chromium via Selenium.

``dash_server`` (base URL), ``browser`` (a fresh Chrome driver per test), ``screenshot(name)`` (PNG in
tests/output/). Every test that drives a browser ends with an empty console: a SEVERE entry of the browser log
(a JavaScript error, a failed request, a CSP refusal, a Dash callback error) fails it, as in Dash's own tests;
only the entries of :data:`BENIGN_CONSOLE` are ignored, each for a stated reason, and a test that provokes an
error on purpose says so with ``@pytest.mark.console_errors_expected("regex", ...)``. Without Chromium the tests are skipped locally but fail under CI (CI=true), which installs it.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.support.ui import WebDriverWait

from benchmarks.browser import CHROMEDRIVER, CHROMIUM, chrome
from benchmarks.browser import available as chrome_available

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "output"

# Console entries that are not errors of the app (regular expressions on the message), each with its reason.
BENIGN_CONSOLE: tuple[str, ...] = ()


def pytest_configure(config):
    config.addinivalue_line("markers", "console_errors_expected(*patterns): console errors this test provokes on "
                                       "purpose (regular expressions); any other SEVERE entry still fails it")


def console_errors(driver, allowed=()) -> list[str]:
    """SEVERE entries of the browser log since the last read, less the benign and the ``allowed`` ones."""
    skip = (*BENIGN_CONSOLE, *allowed)
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and not any(re.search(p, e["message"]) for p in skip)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def dash_server():
    port = _free_port()
    tmp = tempfile.mkdtemp(prefix="atlas-browser-")
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tmp}/browser.db"}
    log = open(Path(tmp) / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(url + "/_dash-layout", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("le serveur de l'application n'a pas démarré : " + (Path(tmp) / "server.log").read_text())
    if proc.poll() is not None:
        pytest.fail("le serveur s'est arrêté : " + (Path(tmp) / "server.log").read_text())
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture
def browser(request):
    if not chrome_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium introuvable ({CHROMIUM}, {CHROMEDRIVER}) alors que la CI doit l'installer")
        pytest.skip("Chromium/chromedriver absents : tests navigateur ignorés hors CI")
    driver = chrome(logs=True)
    yield driver
    marker = request.node.get_closest_marker("console_errors_expected")
    try:
        errors = console_errors(driver, marker.args if marker else ())
    finally:
        driver.quit()
    if errors:
        pytest.fail(f"erreurs dans la console du navigateur : {errors[:5]}", pytrace=False)


@pytest.fixture
def screenshot(browser, request):
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = OUTPUT / f"{request.node.name}-{name}.png"
        browser.save_screenshot(str(path))
        return path
    return take


def click(browser, element, timeout: float = 30):
    """Click as a user does: scroll the element to the middle of the screen (at once, not smoothly), wait until it
    is displayed, enabled and no longer moving, then a real mouse click at its centre. An element covered by
    another one (a sticky bar, an overlay, a spinner, a panel) fails the test with
    ``ElementClickInterceptedException``, as it would stop the user: no JavaScript ``element.click()`` here."""
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});", element)
    last = {}

    def ready(_):
        if not (element.is_displayed() and element.is_enabled()):
            return False
        rect = element.rect
        settled, last["rect"] = rect == last.get("rect"), rect
        return settled  # the same place twice in a row: no transition or scroll still moving it

    WebDriverWait(browser, timeout, poll_frequency=0.1).until(ready)
    element.click()
