"""Print of the town profile (Chrome DevTools Page.printToPDF): header, page numbers, map on page 1."""
from __future__ import annotations

import base64
import io
import re
import time
from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import OUTPUT

pypdf = pytest.importorskip("pypdf")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def test_printed_profile_has_header_page_numbers_and_the_map_on_page_one(dash_server, browser):
    browser.get(dash_server + "/ville/88160")
    WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#ville-print-map img")))
    time.sleep(1)
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "ville-88160.pdf").write_bytes(pdf)
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    texts = [p.extract_text() for p in pages]
    first = texts[0]
    assert "Atlas Cœur des territoires — Cnam Grand Est" in first
    today = date.today()
    assert f"Édité le {today.day} {MONTHS[today.month - 1]} {today.year}" in first
    assert "/ville/88160" in first  # the address it was printed from
    for i, text in enumerate(texts, start=1):
        assert re.search(rf"Page {i} / {len(pages)}", text), (i, text[-200:])
    assert "Épinal" in first
    assert "En bref" in first  # the verdict …
    assert "Carte de la commune et de ses partenaires" in first  # … and the map are on page 1,
    assert "Thaon-les-Vosges" in first and "10 km" in first  # the map drawn there, with its place names
