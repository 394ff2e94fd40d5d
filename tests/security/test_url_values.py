"""One bad URL value never drops the good ones (issue 19, part 5): a huge finite number (``etp=1e300``), an
overflowing one, NaN, a 400-digit number, in any parameter of /simulateur, /couverture and /classement — the
other values of the URL are kept, the bad one is named in a French message."""
from __future__ import annotations

import pytest

from components import coverage_state, ranking_url
from components.simulator_state import state_from_query

HOSTILE = ["1e300", "-1e300", "1e400", "nan", "9" * 400, "1e-300", "0x10", "1e308"]
SIM_GOOD = {"ville": "54395", "concept": "hub", "etp": "4", "cout_etp": "60000", "auditeurs_croisiere": "150"}


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize("name", ["etp", "cout_etp", "auditeurs_croisiere"])
def test_simulator_keeps_every_good_value_beside_a_bad_one(name, bad):
    query = {**SIM_GOOD, name: bad}
    state, errors = state_from_query(query)
    assert state["ville"] == "54395" and state["concept"] == "hub"
    kept = {k: float(v) for k, v in SIM_GOOD.items() if k not in ("ville", "concept", name)}
    assert {k: state["overrides"].get(k) for k in kept} == kept
    if bad != "1e-300":  # (a valid value for some parameters)
        assert name not in state["overrides"] and any(name in e for e in errors), errors


def test_simulator_page_with_etp_1e300_keeps_the_town_and_the_other_values():
    import app  # noqa: F401
    from tests.dash_client import page, texts

    status, body = page(app.server.test_client(), "/simulateur",
                        "?ville=54395&concept=hub&etp=1e300&cout_etp=60000")
    shown = texts(body)
    assert status == 200 and "Page momentanément indisponible" not in shown
    assert "Nancy" in shown and "etp" in shown and "60000" in body.replace("\u202f", "").replace(" ", "")


COV_GOOD = {"minutes": "45", "k": "7", "concept": "hub"}


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize("name", ["minutes", "k", "budget"])
def test_coverage_keeps_every_good_value_beside_a_bad_one(name, bad):
    query = {**COV_GOOD, name: bad}
    state, errors = coverage_state.parse_query(query)
    for k, v in COV_GOOD.items():
        if k != name:
            assert str(state[k]) == v
    assert errors or bad == "1e-300"


@pytest.mark.parametrize("bad", HOSTILE)
def test_ranking_keeps_every_good_weight_beside_a_bad_one(bad):
    weights, *_ = ranking_url.decode_query()
    a, b = list(weights)[:2]
    short = {c.key: c.short for c in ranking_url.CRITERIA}
    w, _d, _added, _m, errors = ranking_url.decode_query(w=f"{short[a]}.{bad}_{short[b]}.2")
    assert w[b] == 2 and (errors or bad == "1e-300")
