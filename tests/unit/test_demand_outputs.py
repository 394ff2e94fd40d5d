"""What the demand model hands out: the JSON of the CLI (``to_dict``), ``drawn_by`` and the spatial check, each
field against the result it serialises or a figure computed by hand (issue #17: mutants there survived)."""
from __future__ import annotations

import json
import math

import pytest

from models.domain import demand as D
from models.domain.territory import Territory
from tests.territories import line_territory
from tests.conftest import per_test_under_mutmut


def small():
    # seven communes 7.4 km apart, one existing site in commune 0
    return line_territory([20_000, 5_000, 5_000, 30_000, 5_000, 5_000, 10_000], sites=["99000"])


@pytest.fixture(scope=per_test_under_mutmut)
def result():
    t = small()
    return D.estimate(t.sites, ["99003", "99006"], "hub", t)


def test_to_dict_every_field(result):
    d = result.to_dict()
    json.dumps(d, allow_nan=False)  # plain JSON: NaN written as null
    assert set(d) == {"concept", "note", "rate", "total_before", "total_after", "net_new", "net_new_range", "sites",
                      "drawn_from"}
    assert (d["concept"], d["note"], d["rate"]) == ("hub", D.MODEL_NOTE, result.rate)
    assert (d["total_before"], d["total_after"]) == (result.total_before, result.total_after)
    assert d["net_new"] == pytest.approx(result.total_after - result.total_before) and d["net_new"] > 0
    assert d["net_new_range"] == pytest.approx([result.total_after_low - result.total_before_low,
                                                result.total_after_high - result.total_before_high])
    assert d["drawn_from"] == result.drawn_from.to_dict("records") and d["drawn_from"]
    rows = result.sites.set_index("site_id")
    assert [s["site_id"] for s in d["sites"]] == rows.index.tolist()
    for s in d["sites"]:
        row = rows.loc[s["site_id"]]
        base = {"site_id", "code_insee", "nom", "nouveau", "central", "low", "high", "before", "drawn", "net_new"}
        assert set(s) == (base | {"par_annee"} if row["nouveau"] else base)
        for k in base - {"site_id"}:
            v = row[k]
            assert s[k] is None if isinstance(v, float) and math.isnan(v) else s[k] == v, (s["site_id"], k)
    new = [s for s in d["sites"] if s["nouveau"]]
    assert len(new) == 2
    for s in new:  # years 0 to 4: nothing in year 0, the ramp-up, then the cruising figure
        ramp = D.ramp(s["central"], "hub")
        assert s["par_annee"] == ramp and len(ramp) == 5 and ramp[0] == 0 and ramp[4] == s["central"]
        assert 0 < ramp[1] <= ramp[2] <= ramp[3] <= ramp[4]


def test_drawn_by_is_the_rows_of_that_site_only_renumbered(result):
    for site_id in result.sites.loc[result.sites["nouveau"], "site_id"]:
        rows = result.drawn_by(site_id)
        expected = result.drawn_from[result.drawn_from["site_id"] == site_id]
        assert list(rows.columns) == list(result.drawn_from.columns)
        assert list(rows.index) == list(range(len(expected))) and len(rows) > 0
        assert rows.to_dict("records") == expected.to_dict("records")
    assert result.drawn_by("absent").empty


def test_spatial_check_against_the_public_figures_by_hand():
    out = D.spatial_check()
    assert out["part_lorraine_publique_pct"] == pytest.approx(56.0)  # 2,800 of 5,000 learners
    t = Territory.from_geodata()
    res = D.estimate(t.sites, (), D.DEFAULT_CONCEPT, t)  # the reference network, as the check says
    lorraine = res.sites.loc[res.sites["code_insee"].str[:2].isin(["54", "55", "57", "88"]), "central"].sum()
    assert out["lorraine_modele"] == pytest.approx(lorraine) and out["total_modele"] == pytest.approx(res.total_after)
    assert out["part_lorraine_modele_pct"] == pytest.approx(100 * out["lorraine_modele"] / out["total_modele"])
    assert 0 < out["lorraine_modele"] < out["total_modele"]


@pytest.mark.parametrize("central,high,level,text", [
    (62.9, 80.0, "centrale", "s'autofinance dès l'année 4 à l'estimation centrale"),          # = break-even: pays
    (62.8, 62.9, "haute", "s'autofinance dès l'année 4 seulement à l'estimation haute"),
    (40.0, 62.8, "jamais", "ne s'autofinance pas, même à l'estimation haute — il faudrait 63 auditeurs"),
])
def test_viability_the_one_rule_at_its_boundaries(central, high, level, text):
    """Expected learners ≥ break-even (62.9 → 63 needed), at the central then the high estimate, by hand."""
    v = D.viability({"central": central, "low": 0.0, "high": high}, 62.9)
    assert set(v) == {"level", "needed", "text"} and (v["level"], v["needed"]) == (level, 63)
    assert v["text"].replace("\u202f", " ").replace("\xa0", " ") == text  # French spacing aside


def test_viability_without_estimate_or_break_even():
    assert D.viability(None, 62.9) == {"level": "inconnu", "text": "demande non estimée", "needed": 62.9}
    assert D.viability({"central": 1e6, "low": 0, "high": 1e6}, None) == {
        "level": "jamais", "text": "n'atteint jamais son point mort, quel que soit le nombre d'auditeurs",
        "needed": None}


def test_a_site_is_found_by_its_id_then_by_its_commune_and_an_unknown_one_is_said_so(result):
    existing = result.sites.loc[~result.sites["nouveau"]].iloc[0]
    assert result.site(existing["site_id"])["code_insee"] == existing["code_insee"]
    new = result.site("99006")                              # a new site, asked by its commune
    assert new["code_insee"] == "99006" and new["nouveau"] and new["site_id"] != "99006"
    with pytest.raises(KeyError, match="Aucun site « 99001 » dans ce réseau."):
        result.site("99001")


def test_town_estimate_answers_for_the_network_and_the_territory_it_is_given():
    t = small()
    est = D.town_estimate("99003", "hub", sites=t.sites, territory=t)
    row = D.candidates(["99003"], "hub", t.sites, t).iloc[0]
    assert set(est) == {"code_insee", "nom", "concept", "existant", "central", "low", "high", "drawn", "net_new",
                        "drawn_from", "ramp"}
    assert (est["code_insee"], est["nom"], est["concept"], est["existant"]) == ("99003", "Commune 3", "hub", False)
    assert [est[k] for k in ("central", "low", "high", "drawn", "net_new")] == pytest.approx(
        [row[k] for k in ("central", "low", "high", "drawn", "net_new")])
    assert est["ramp"] == D.ramp(est["central"], "hub")
    drawn = [(d["nom"], d["code_insee"]) for d in est["drawn_from"]]
    assert drawn == [("Commune 0", "99000")] and est["drawn_from"][0]["learners"] == pytest.approx(est["drawn"])
    # another network, the same town: another answer (the network asked, not the current one)
    elsewhere = line_territory([20_000, 5_000, 5_000, 30_000, 5_000, 5_000, 10_000], sites=["99006"]).sites
    other = D.town_estimate("99003", "hub", sites=elsewhere, territory=t)
    assert other["drawn_from"][0]["code_insee"] == "99006" and other["central"] != pytest.approx(est["central"])


def test_a_town_with_a_site_gets_that_sites_figures_in_each_network():
    t = small()
    two = line_territory([20_000, 5_000, 5_000, 30_000, 5_000, 5_000, 10_000], sites=["99000", "99006"]).sites
    figures = {n: D.town_estimate("99000", "hub", sites=sites, territory=t) for n, sites in (("one", t.sites),
                                                                                              ("two", two))}
    for n, sites in (("one", t.sites), ("two", two)):
        own = D.estimate(sites, (), "hub", t).site("99000")
        assert figures[n]["existant"] and figures[n]["central"] == pytest.approx(own["central"]), n
    assert figures["two"]["central"] < figures["one"]["central"]      # the second site shares the public


def test_clear_caches_forgets_the_demand_models_of_a_territory_only():
    t = small()
    first = D.town_estimate("99003", "hub", sites=t.sites, territory=t)
    t.memo["autre.modele"] = 1
    assert any(str(k[0]).startswith("demand.") for k in t.memo if isinstance(k, tuple))
    D.clear_caches(t)
    assert not any(isinstance(k, tuple) and str(k[0]).startswith("demand.") for k in t.memo)
    assert t.memo["autre.modele"] == 1
    again = D.town_estimate("99003", "hub", sites=t.sites, territory=t)
    assert again is not first and again["central"] == pytest.approx(first["central"])
