"""Names and texts as a mayor reads them (models/text/display_names.py): source typos fixed on screen only."""
from __future__ import annotations

import re

import pandas as pd

import geodata
from models.text.display_names import bmo_basin, long_date, occupation, plain


def test_every_bmo_basin_of_the_data_reads_as_french():
    basins = pd.read_parquet(geodata.DIR / "bmo.parquet").bmo_nom.unique()
    shown = {raw: bmo_basin(raw) for raw in basins}
    assert shown["SAINT DIE"] == "Saint-Dié" and shown["MEUSE DU NORD"] == "Meuse du Nord"
    assert shown["VITRY LE FRANCOIS"] == "Vitry-le-François" and shown["EPINAL"] == "Épinal"
    for raw, name in shown.items():
        assert name != raw and not name.isupper(), raw  # never the capitals of the source
        assert not re.search(r"\b(Du|De|Des|Le|La|Sur)\b", name), name  # small words in lower case


def test_occupations_lose_the_source_typo_and_stray_spaces():
    labels = pd.read_parquet(geodata.DIR / "bmo.parquet").metier.unique()
    assert any("Ouviers" in m for m in labels)  # the typo is in the source …
    shown = [occupation(m) for m in labels]
    assert not any("Ouviers" in m for m in shown)  # … not on screen
    assert "Ouvriers qualifiés des industries agro-alimentaires" in shown
    assert all(m == m.strip() and "  " not in m for m in shown)


def test_iso_dates_in_words_and_no_internal_names():
    assert long_date("2025-01-22") == "22 janvier 2025" and long_date("2017-01-01") == "1er janvier 2017"
    assert long_date("2025-13-01") == "2025-13-01"  # not a date: unchanged
    for d in geodata.sources()["datasets"].values():
        for key in ("date", "gaps", "publisher", "used_for"):
            text = plain(d.get(key, ""))
            assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), text
            assert "point_source" not in text and "non_apparies" not in text and ".parquet" not in text, text
