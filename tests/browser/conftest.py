"""Browser fixtures: the real app served on a free port, driven by headless Debian Chromium via Selenium.

``dash_server`` (base URL), ``browser`` (a fresh Chrome driver per test), ``screenshot(name)`` (PNG in
tests/output/). Without Chromium the tests are skipped locally but fail under CI (CI=true), which installs it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "output"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


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
def browser():
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium introuvable ({CHROMIUM}, {CHROMEDRIVER}) alors que la CI doit l'installer")
        pytest.skip("Chromium/chromedriver absents : tests navigateur ignorés hors CI")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1600,1000", "--lang=fr-FR",
                 "--enable-unsafe-swiftshader", "--use-angle=swiftshader",  # WebGL (MapLibre) without a GPU
                 f"--user-data-dir={tempfile.mkdtemp(prefix='atlas-chrome-')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser, request):
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = OUTPUT / f"{request.node.name}-{name}.png"
        browser.save_screenshot(str(path))
        return path
    return take
