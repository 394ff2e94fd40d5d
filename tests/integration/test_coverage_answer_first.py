"""/couverture gives the answer first (issue #18, part 3): territories worst served first with the share leading,
whole names, units in headers, learners as whole numbers on screen and in the CSV."""
from __future__ import annotations

import pytest

from components import coverage_state as cs
from components import coverage_tables as ct
from models.domain.coverage import coverage
from models.stores.network import current_network
from tests.integration.test_couverture_callbacks import ACV, client, render  # noqa: F401 (fixture)


@pytest.mark.parametrize("level", ["departement", "epci", "ze"])
def test_territories_worst_served_first_share_first(client, level):  # noqa: F811
    out = render(client, {**cs.DEFAULTS, "niveau": level})
    rows = out["cov-levels"]["rowData"]
    table = coverage(list(current_network().sites.code_insee), 30).by(level)
    assert sorted(r["nom"] for r in rows) == sorted(table["nom"])  # every territory, once
    keys = [(r["covered_share"], -r["uncovered_population"]) for r in rows if r["covered_share"] is not None]
    assert keys == sorted(keys) and keys[0][0] < keys[-1][0]  # worst share first, then most people left out
    for r in rows:
        assert r["uncovered_population"] == pytest.approx(r["population"] - r["covered_population"])


def test_share_is_the_first_column_and_names_are_whole():
    first = ct.LEVEL_COLUMNS[0]
    assert first["field"] == "covered_share" and first["sort"] == "asc"
    for columns in (ct.LEVEL_COLUMNS, ct.ZONE_COLUMNS):
        name = next(c for c in columns if c["field"] == "nom")
        assert name["wrapText"] and name["autoHeight"]  # the whole name, on several lines if needed
    headers = [c["headerName"] for c in ct.LEVEL_COLUMNS + ct.ZONE_COLUMNS if c["field"] == "population"]
    assert all("(hab.)" in h for h in headers)


def test_learners_and_break_even_are_whole_numbers(client):  # noqa: F811
    out = render(client, {**cs.DEFAULTS, "k": 4, "candidats": "acv", "opt": True, "objectif": "apprenants"})
    rows = out["cov-chosen"]["rowData"]
    cands = out["cov-candidates"]["rowData"]
    assert rows and cands
    for row in rows + cands:
        for key in ("expected_learners", "low", "high", "net_new", "drawn", "break_even"):
            if row.get(key) is not None:
                assert isinstance(row[key], int), (key, row[key])
    header = next(c["headerName"] for c in ct.CHOSEN_COLUMNS if c["field"] == "break_even")
    assert "apprenants / an" in header
