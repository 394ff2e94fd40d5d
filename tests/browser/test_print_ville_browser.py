"""Printed town profile (issue #18, part 4): one header, no action links on paper, page 1 = identity, "En bref"
with its expected-learners line and the map; the concept-by-concept table right after the map."""
from __future__ import annotations

import base64
import io
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import OUTPUT

pypdf = pytest.importorskip("pypdf")


def _print(browser, url, name):
    browser.get(url)
    WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#ville-print-map img")))
    time.sleep(1)
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / name).write_bytes(pdf)
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_printed_verdun_one_header_no_link_texts_page_one_filled(dash_server, browser, screenshot):
    texts = _print(browser, dash_server + "/ville/55545", "ville-55545.pdf")
    first, whole = texts[0], "\n".join(texts)
    assert first.count("Atlas Cœur des territoires — Cnam Grand Est") == 1  # one header, not two
    assert "/ville/55545" in first
    for link in ("voir le classement", "Simuler"):
        assert link not in whole, link
    assert "Verdun" in first and "En bref" in first
    assert "Apprenants attendus d'un site" in first  # the expected-learners line of "En bref"
    assert "Carte de la commune et de ses partenaires" in first  # the map on page 1
    # page 1 filled: the concept-by-concept table follows the map, starting on page 1 or at the top of page 2
    table = "Apprenants attendus et point mort, concept par concept"
    assert table in first or table in "\n".join(texts[1].splitlines()[:4])
    assert first.index("Carte de la commune") < (first.index(table) if table in first else len(first))
    # what page 1 looks like (print media at A4 width), for the eye
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.set_window_size(820, 1200)
    time.sleep(0.5)
    screenshot("impression-page1")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
