"""One truth per fact: /classement, /ville, /simulateur and /couverture say the same thing about a town.

Each page is rendered through the real Dash router (as the browser asks for it); the values expected come from
the one town-facts table (models.domain.town_facts), computed on the current network.
"""
from __future__ import annotations

import re

import pytest

from models.text import fr_format as F
from models.domain.coverage import coverage
from models.stores.network import current_network
from models.domain.town_facts import town_fact
from tests.dash_client import page, texts

TROYES, SAINT_DIZIER = "10387", "52448"


@pytest.fixture(scope="module")
def client():
    import app

    return app.server.test_client()


def rendered(client, path, search=""):
    status, body = page(client, path, search)
    assert status == 200
    return texts(body)


def test_troyes_hosts_an_official_cnam_site_on_every_page(client):
    f = town_fact(TROYES)
    assert f.n_cnam_commune == 1 and f.cnam_commune == "Troyes" and "MESR" in f.cnam_source
    ville = rendered(client, f"/ville/{TROYES}")
    assert "Troyes accueille déjà un site du Cnam" in ville and "Site du Cnam dans la commune : Cnam — Troyes" in ville
    sim = rendered(client, "/simulateur", f"?ville={TROYES}&concept=fab_id")
    assert "site du Cnam dans la commune (Cnam — Troyes)" in sim
    from models.domain import scoring

    table = scoring.cached_table(tuple(scoring.ranking_candidates())).table
    assert table.loc[TROYES, "site_cnam_proche"] == "Troyes"
    assert table.loc[TROYES, "minutes_site_cnam"] == pytest.approx(round(f.cnam_min, 1))
    res = coverage(current_network().sites, 30)
    i = list(res.territory.codes).index(TROYES)
    assert res.covered[i] and res.nearest[i] == TROYES and res.times[i] == pytest.approx(f.cnam_min)


@pytest.mark.parametrize("code", [TROYES, SAINT_DIZIER])
def test_population_within_30_minutes_is_the_same_number_everywhere(client, code):
    f = town_fact(code)
    expected = F.num(f.pop_30min)
    assert expected in rendered(client, f"/ville/{code}")
    from models.domain import scoring

    table = scoring.cached_table(tuple(scoring.ranking_candidates())).table
    assert table.loc[code, "population_30min"] == f.pop_30min


def test_the_nearest_cnam_site_of_a_town_without_one_agrees(client):
    f = town_fact(SAINT_DIZIER)
    assert f.n_cnam_commune == 0
    ville = rendered(client, f"/ville/{SAINT_DIZIER}")
    ville = re.sub(" +", " ", ville)  # the town is a link: its text is a separate string of the layout
    assert f"Site du Cnam le plus proche : {f.cnam_nom}, {f.cnam_commune} — ≈ {F.minutes(f.cnam_min)}" in ville
    sim = rendered(client, "/simulateur", f"?ville={SAINT_DIZIER}&concept=clef_en_main")
    assert f"site du Cnam le plus proche : {f.cnam_commune}, ≈ {F.minutes(f.cnam_min)}" in sim


def test_couverture_says_troyes_is_served_by_its_own_site_and_the_same_coverage(client):
    """/couverture renders the current network: Troyes' nearest site is Troyes', the share is the model's."""
    import json

    from components import coverage_state as cs
    from components import network_editor as editor
    from tests.dash_client import callback, outputs

    net = current_network()
    values = {"cov-state.data": dict(cs.DEFAULTS), "cov-network-store.data": editor.network_store(net),
              "cov-rendered.data": {}}
    out = outputs(callback(client, "cov-state.data", values))
    hover = json.dumps(out["cov-map.figure"], ensure_ascii=False)
    assert '["Troyes (10)", "Troyes"]' in hover  # commune, its nearest Cnam site
    share = coverage(net.sites, cs.DEFAULTS["minutes"]).covered_share
    assert F.pct(100 * share) in texts(json.dumps(out["cov-kpis.children"], ensure_ascii=False))


VERDUN = "55545"


def test_expected_learners_are_the_same_number_on_the_four_pages(client):
    """Verdun, a hub, the current network: /ville, /simulateur, /classement and /couverture give the demand
    model's figures — central, range and net new — and the same verdict against the same break-even."""
    import json

    from components import coverage_state as cs
    from components import network_editor as editor
    from models.domain import demand, scoring
    from models.domain.simulator import default_break_even
    from tests.dash_client import callback, outputs

    est = demand.town_estimate(VERDUN, "hub")
    central, low, high = F.num(est["central"]), F.num(est["low"]), F.num(est["high"])
    verdict = demand.viability(est, default_break_even("hub"))
    ville = rendered(client, f"/ville/{VERDUN}")
    assert f"{central} ({low} à {high})" in ville and F.num(default_break_even("hub")) in ville
    sim = rendered(client, "/simulateur", f"?ville={VERDUN}&concept=hub")
    assert f"Auditeurs attendus à Verdun : {central} par an en croisière" in sim
    assert f"(fourchette {low} à {high})" in sim and f"Verdun : {verdict['text']}" in sim
    table = scoring.cached_table(tuple(scoring.ranking_candidates())).table
    assert table.loc[VERDUN, "apprenants_nets"] == pytest.approx(est["net_new"])
    net = current_network()
    state = {**cs.DEFAULTS, "concept": "hub", "candidats": "acv"}
    values = {"cov-state.data": state, "cov-network-store.data": editor.network_store(net), "cov-rendered.data": {}}
    out = outputs(callback(client, "cov-state.data", values))
    rows = {r["code_insee"]: r for r in out["cov-candidates.rowData"]}
    # learners are people: whole numbers in the grid, the same rounding as the other pages' text
    assert rows[VERDUN]["expected_learners"] == round(est["central"]) and F.num(est["central"]) == str(
        rows[VERDUN]["expected_learners"])
    assert (rows[VERDUN]["low"], rows[VERDUN]["high"]) == (round(est["low"]), round(est["high"]))
    assert rows[VERDUN]["net_new"] == round(est["net_new"])


def test_sources_page_says_what_the_demand_model_rests_on(client):
    from models.domain import demand

    src = rendered(client, "/sources")
    check = demand.spatial_check()
    assert "Aucun effectif officiel par site n'est public" in src
    assert F.pct(check["part_lorraine_modele_pct"], 0) in src and "2 800" in src
    for a in demand.assumptions().values():
        assert a.label in src and f"{F.num_short(a.low)} à {F.num_short(a.high)}" in src


NOGENT = "10268"


def test_nogent_sur_seine_mission_locale_is_not_nearby_on_any_page(client):
    """One definition of "mission locale proche" (town facts): Romilly-sur-Seine's is 17 km away, beyond the one
    radius; /classement says "pas proche" and gives less than half the criterion, /ville's Fab ID host condition
    fails for the same reason."""
    from components.ranking_grid import static_rows
    from models.domain import scoring
    from models.domain.town_facts import ML_PROCHE_KM

    f = town_fact(NOGENT)
    assert not f.ml_proche and f.ml_km > ML_PROCHE_KM
    codes = tuple(scoring.ranking_candidates([NOGENT]))
    assert "pas proche" in static_rows(codes)[NOGENT]["mission_locale"]
    table = scoring.cached_table(codes)
    assert table.normalised()[list(table.codes).index(NOGENT), scoring.KEYS.index("mission_locale_km")] < 0.5
    ville = rendered(client, f"/ville/{NOGENT}")
    assert f"pas de mission locale à moins de {F.km(ML_PROCHE_KM)}" in ville


def test_saint_louis_is_served_by_its_mission_locale_on_every_page(client):
    """« ML Saint-Louis Altkirch » (head office at Altkirch) serves Saint-Louis: the ranking counts it in the town,
    the profile's comparison says so, the Fab ID fit names it."""
    from models.domain import scoring

    table = scoring.cached_table(tuple(scoring.ranking_candidates(["68297"]))).table
    assert table.loc["68297", "mission_locale_km"] == 0 and table.loc["68297", "mission_locale_nommee"]
    ville = rendered(client, "/ville/68297", "?comparer=68004")
    row = "Mission locale dans la ville (siège, ou ville qu'elle nomme)"
    assert f"{row} oui oui" in ville  # Saint-Louis (named), Altkirch (head office)
    assert "mission locale qui porte le nom de la ville (ML SAINT-LOUIS ALTKIRCH, siège à Altkirch" in ville
