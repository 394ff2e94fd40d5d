"""The demand model (models/domain/demand.py): shares computed by hand on toys, calibration, competition, ranges, CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.domain import demand as D
from models.domain.territory import Territory, UnknownCommune
from tests.territories import line_territory

ROOT = Path(__file__).resolve().parents[2]


# --- the shares, by hand -------------------------------------------------------------------------------------
def test_three_communes_two_sites_shares_by_hand():
    # P = 1000, 2000, 500; U = attraction of site A and B for each commune
    p = np.array([1000.0, 2000.0, 500.0])
    u = np.array([[1.0, 0.5], [0.25, 1.0], [0.5, 0.5]])
    flows = D.share_model(p, u)
    # commune 0: S = 1.5 → 1000·1/2.5 = 400 at A, 1000·0.5/2.5 = 200 at B; commune 1: S = 1.25 → 2000·0.25/2.25,
    # 2000/2.25; commune 2: S = 1 → 125 and 125
    expected = np.array([[400.0, 200.0], [2000 * 0.25 / 2.25, 2000 / 2.25], [125.0, 125.0]])
    np.testing.assert_allclose(flows, expected)
    np.testing.assert_allclose(flows.sum(axis=0), [400 + 222.2222 + 125, 200 + 888.8889 + 125], atol=1e-3)


def test_a_site_loses_learners_to_a_competitor_that_opens_nearby():
    # without competition (each site judged alone) site A would keep 1000·1/2 = 500 from commune 0
    p = np.array([1000.0])
    alone = D.share_model(p, np.array([[1.0]]))[0, 0]
    shared = D.share_model(p, np.array([[1.0, 1.0]]))[0]
    assert alone == pytest.approx(500.0)
    assert shared[0] == pytest.approx(1000 / 3) and shared.sum() == pytest.approx(2000 / 3)
    # the competitor took 500 − 333 from A and found 2000/3 − 500 new learners
    assert alone - shared[0] == pytest.approx(500 / 3) and shared.sum() - alone == pytest.approx(500 / 3)


def test_participation_grows_with_access_and_saturates():
    p = np.full(4, 100.0)
    part = D.participation(p, np.array([0.0, 0.5, 1.0, 9.0]))
    np.testing.assert_allclose(part, [0.0, 100 / 3, 50.0, 90.0])


# --- on a small territory --------------------------------------------------------------------------------------
def small():
    # seven communes 7.4 km apart, one existing site in commune 0
    return line_territory([20_000, 5_000, 5_000, 30_000, 5_000, 5_000, 10_000], sites=["99000"])


def test_calibration_reproduces_the_total_on_the_reference_network():
    t = small()
    total = D.assumptions()["total_apprenants"].central
    res = D.estimate(t.sites, (), "hub", t)
    assert res.total_after == pytest.approx(total) and res.total_before == pytest.approx(total)
    assert res.sites["central"].sum() == pytest.approx(total)


def test_new_site_flows_by_hand_on_the_small_territory():
    t = small()
    res = D.estimate(t.sites, ["99003"], "hub", t)
    model = D.model_for(t)
    times = model.times_to(t.points_at_communes(["99000", "99003"]))
    c = D.assumptions()
    h, pull, total = c["demi_temps"].central, c["attrait_hub"].central, c["total_apprenants"].central
    p = t.communes["actifs_1564"].to_numpy()
    # rate: the reference network alone totals the calibration figure
    u0 = [2 ** (-(times[i, 0] / h) ** 2) for i in range(len(p))]  # Gaussian decay, ½ at h
    r = total / sum(p[i] * u0[i] / (1 + u0[i]) for i in range(len(p)))
    u1 = [pull * 2 ** (-(times[i, 1] / h) ** 2) for i in range(len(p))]
    new_site = sum(r * p[i] * u1[i] / (1 + u0[i] + u1[i]) for i in range(len(p)))
    old_site = sum(r * p[i] * u0[i] / (1 + u0[i] + u1[i]) for i in range(len(p)))
    row_new, row_old = res.site("nouveau-99003"), res.site("S0")
    assert row_new["central"] == pytest.approx(new_site) and row_old["central"] == pytest.approx(old_site)
    # what the new site drew = what the old one lost; the rest is new to the Cnam
    assert row_new["drawn"] == pytest.approx(total - old_site)
    assert row_new["net_new"] == pytest.approx(res.total_after - res.total_before)
    assert row_new["drawn"] + row_new["net_new"] == pytest.approx(row_new["central"])
    assert res.drawn_by("nouveau-99003")["learners"].sum() == pytest.approx(row_new["drawn"])


def test_a_site_next_to_an_existing_one_moves_more_learners_than_it_adds():
    # ten communes, sites at both ends and in the middle; 99001 touches the site of 99000, 99008 is 15 km away
    t = line_territory([20_000, 5_000, 5_000, 30_000, 5_000, 5_000, 10_000, 5_000, 5_000, 20_000],
                       sites=["99000", "99003", "99006"])
    near = D.estimate(t.sites, ["99001"], "hub", t).site("nouveau-99001")
    far = D.estimate(t.sites, ["99008"], "hub", t).site("nouveau-99008")
    assert near["drawn"] > near["net_new"]
    assert near["drawn"] / near["central"] > far["drawn"] / far["central"]


def test_ranges_hold_every_figure_and_a_stronger_concept_draws_more():
    t = small()
    res = D.estimate(t.sites, ["99003", "99006"], "hub", t)
    s = res.sites
    assert (s["low"] <= s["central"] + 1e-9).all() and (s["central"] <= s["high"] + 1e-9).all()
    assert res.net_new_low <= res.net_new <= res.net_new_high
    weak = D.estimate(t.sites, ["99003"], "clef_en_main", t).site("nouveau-99003")
    strong = D.estimate(t.sites, ["99003"], "hub", t).site("nouveau-99003")
    assert weak["central"] < strong["central"]


def test_two_new_sites_share_the_net_gain_exactly():
    t = small()
    res = D.estimate(t.sites, ["99003", "99005"], "progressif", t)
    new = res.sites[res.sites["nouveau"]]
    assert new["net_new"].sum() == pytest.approx(res.net_new)
    assert (new["net_new"] > 0).all()


# --- Grand Est -------------------------------------------------------------------------------------------------
def test_grand_est_reference_network_totals_the_2016_figure_and_spreads_like_lorraine():
    res = D.estimate(Territory.from_geodata().sites, (), "hub")
    assert len(res.sites) == 21 and res.total_after == pytest.approx(6000)
    check = D.spatial_check()
    assert abs(check["part_lorraine_modele_pct"] - check["part_lorraine_publique_pct"]) < 6


def test_a_suburb_of_an_existing_site_mostly_moves_learners():
    # Schiltigheim touches Strasbourg: most of its learners would come from the Strasbourg sites
    est = D.town_estimate("67447", "hub")
    assert not est["existant"] and est["drawn"] > est["net_new"]
    assert est["drawn_from"][0]["code_insee"] in {"67482", "67218"}
    verdun = D.town_estimate("55545", "hub")
    assert verdun["drawn"] / verdun["central"] < est["drawn"] / est["central"]


def test_town_estimate_of_a_town_with_a_site_is_that_site_and_fab_id_is_not_estimated():
    epinal = D.town_estimate("88160", "hub")
    assert epinal["existant"] and epinal["drawn_from"] == []
    assert D.town_estimate("88160", "fab_id") is None
    with pytest.raises(UnknownCommune):
        D.town_estimate("99999", "hub")


def test_viability_levels():
    est = {"central": 100.0, "low": 60.0, "high": 150.0}
    assert D.viability(est, 90)["level"] == "centrale"
    assert D.viability(est, 100)["level"] == "centrale"       # exactly at the break-even pays its way
    assert D.viability(est, 120)["level"] == "haute"
    no = D.viability(est, 150.2)
    assert no["level"] == "jamais" and no["needed"] == 151 and "151" in no["text"]
    assert D.viability(None, 90)["level"] == "inconnu"
    assert D.viability(est, None)["level"] == "jamais"


def test_ramp_follows_the_concept_ramp_up():
    assert D.ramp(100, "clef_en_main") == pytest.approx([0, 30, 55, 75, 100])


# --- command line ----------------------------------------------------------------------------------------------
def run(*args):
    return subprocess.run([sys.executable, "-m", "models.demand", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_json_reference_network_and_added_towns():
    out = run("--json", "--ajouter", "55545,67437")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["sites"]) == 23 and sum(s["nouveau"] for s in data["sites"]) == 2
    verdun = next(s for s in data["sites"] if s["code_insee"] == "55545")
    assert verdun["low"] <= verdun["central"] <= verdun["high"]
    assert verdun["drawn"] + verdun["net_new"] == pytest.approx(verdun["central"])


@pytest.mark.parametrize("code", ["99999", "abc"])
def test_cli_bad_code_exits_2_in_french(code):
    out = run("--ajouter", code)
    assert out.returncode == 2 and out.stderr.startswith("Erreur : ") and "Traceback" not in out.stderr


def test_candidates_table_gives_the_same_figures_as_adding_each_town():
    t = small()
    table = D.candidates(["99002", "99005", "99000"], "hub", t.sites, t).set_index("code_insee")
    for code in ("99002", "99005"):
        row = D.estimate(t.sites, [code], "hub", t).site(f"nouveau-{code}")
        for k in ("central", "low", "high", "drawn", "net_new"):
            assert table.loc[code, k] == pytest.approx(row[k]), (code, k)
    own = D.estimate(t.sites, (), "hub", t).site("S0")
    assert table.loc["99000", "existant"] and table.loc["99000", "central"] == pytest.approx(own["central"])


def test_town_estimate_names_every_site_it_draws_at_least_half_a_learner_from_largest_first():
    """A site is named when the town takes it at least half a learner (shown rounded: 1 or more); kills a higher
    cut (Verdun's hub takes 0.97 from Nancy and 0.55 from Charleville-Mézières)."""
    row = D.candidates(["55545"], "hub").iloc[0]
    expected = sorted(((c, v) for c, v in row["drawn_from"].items() if v >= 0.5), key=lambda cv: -cv[1])
    assert any(0.5 <= v < 1.5 for _, v in expected)  # the witnesses of the cut
    est = D.town_estimate("55545", "hub")
    assert [d["code_insee"] for d in est["drawn_from"]] == [c for c, _ in expected]
    assert [d["learners"] for d in est["drawn_from"]] == pytest.approx([v for _, v in expected])
    assert est["drawn"] == pytest.approx(sum(row["drawn_from"].values()))
