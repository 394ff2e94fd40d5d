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


# ------------------------------------------------------------------ every fact a page shows, on four towns
# Verdun: no Cnam site, station and mission locale in town; Guebwiller: no station (nearest in Raedersheim), its
# mission locale 14 km away at Thann; Forbach: a site (press) in town, mission locale 7 km away; Troyes: an official
# site in town. Expected values: the one town-facts table and the demand model; each page must show the same.
VERDUN_, GUEBWILLER, FORBACH = VERDUN, "68112", "57227"
TOWNS = [VERDUN_, GUEBWILLER, FORBACH, TROYES]
NO_SITE = [VERDUN_, GUEBWILLER]
ESTIMATED = ["clef_en_main", "progressif", "hub"]  # Fab ID's public is not estimated (said on every page)
CONCEPT_NAME = {"clef_en_main": "Clef en main", "progressif": "Progressif", "hub": "Hub de compétences"}


def flat(text: str) -> str:
    return re.sub(" +", " ", text)


@pytest.fixture(scope="module")
def ranking_rows(client):
    """/classement's grid rows as the browser builds them (the real callback, default weights)."""
    from tests.integration.test_classement_callbacks import rank

    client.get("/_dash-layout")
    return {r["code_insee"]: r for r in rank((None, client))["rows"]}


@pytest.fixture(scope="module")
def couverture(client):
    """/couverture's render for each estimated concept (ACV towns as candidates, the current network): candidate
    rows by town, and the map's hover (commune, its nearest Cnam site)."""
    import json

    from components import coverage_state as cs
    from components import network_editor as editor
    from tests.dash_client import callback, outputs

    store, out = editor.network_store(current_network()), {}
    for concept in ESTIMATED:
        state = {**cs.DEFAULTS, "concept": concept, "candidats": "acv"}
        values = {"cov-state.data": state, "cov-network-store.data": store, "cov-rendered.data": {}}
        o = outputs(callback(client, "cov-state.data", values))
        out[concept] = {r["code_insee"]: r for r in o["cov-candidates.rowData"]}
        out["map"] = json.dumps(o["cov-map.figure"], ensure_ascii=False)
    return out


@pytest.mark.parametrize("code", TOWNS)
def test_population_unemployment_and_lycees_are_the_same_on_every_page(client, ranking_rows, couverture, code):
    f = town_fact(code)
    ville, sim = flat(rendered(client, f"/ville/{code}")), flat(rendered(client, "/simulateur", f"?ville={code}"))
    row = ranking_rows[code]
    assert f"{f.nom} {F.num(f.population)} habitants" in ville
    assert f"{f.nom} ({f.departement}) · {F.num(f.population)} hab." in sim
    assert row["population"] == f.population
    if code in NO_SITE:  # /couverture's candidates: towns without a site
        assert couverture["hub"][code]["population"] == f.population
    assert f"Chômage (zone d'emploi) {F.pct(f.chomage_ze)}" in ville
    assert f"chômage de la zone d'emploi {F.pct(f.chomage_ze)}" in sim and row["chomage_ze"] == f.chomage_ze
    n, n20 = int(f.n_lycees_pro_commune), int(f.lycees_pro_20km)
    assert n >= 2 and n20 >= 2  # plural wording below
    assert f"{n} lycées à voie professionnelle dans la commune" in ville and f"{n} lycées professionnels" in sim
    assert f"{n20} lycées à voie professionnelle à moins de {F.km(20)}" in ville
    assert (row["lycees_pro_ville"], row["lycees_pro_20km"]) == (n, n20)


@pytest.mark.parametrize("code", TOWNS)
def test_population_within_30_minutes_agrees_on_ville_classement_and_couverture(client, ranking_rows, couverture,
                                                                                  code):
    from components import coverage_state as cs
    from models.domain import scoring

    f = town_fact(code)
    assert cs.DEFAULTS["minutes"] == 30  # /couverture's catchment is at its default threshold
    assert f"Habitants à moins de {F.minutes(30)} {F.num(f.pop_30min)}" in flat(rendered(client, f"/ville/{code}"))
    if code in NO_SITE:  # /couverture's candidates: towns without a site
        assert couverture["hub"][code]["catchment"] == f.pop_30min
    table = scoring.cached_table(tuple(scoring.ranking_candidates())).table
    assert table.loc[code, "population_30min"] == f.pop_30min


@pytest.mark.parametrize("code", TOWNS)
def test_nearest_cnam_site_and_its_time_agree_on_every_page_and_the_coverage_model(client, ranking_rows, couverture,
                                                                                    code):
    f = town_fact(code)
    ville, sim = flat(rendered(client, f"/ville/{code}")), flat(rendered(client, "/simulateur", f"?ville={code}"))
    row = ranking_rows[code]
    assert row["site_cnam_proche"] == f.cnam_commune and row["minutes_site_cnam"] == pytest.approx(round(f.cnam_min, 1))
    if f.n_cnam_commune:
        assert f"Site du Cnam dans la commune : {f.cnam_nom}" in ville
        assert f"site du Cnam dans la commune ({f.cnam_nom})" in sim
        assert f"site du Cnam déjà dans la commune ({f.cnam_nom})" in ville  # Progressif's card
    else:
        assert f"Site du Cnam le plus proche : {f.cnam_nom}, {f.cnam_commune} — ≈ {F.minutes(f.cnam_min)}" in ville
        assert f"site du Cnam le plus proche : {f.cnam_commune}, ≈ {F.minutes(f.cnam_min)}" in sim
        # Progressif's card: within 30 min the offer exists nearby, beyond it the public is far
        card = (f"site du Cnam à ≈ {F.minutes(f.cnam_min)} ({f.cnam_commune})" if f.cnam_min <= 30 else
                f"aucun site du Cnam à moins de {F.minutes(30)} (le plus proche : {f.cnam_commune}, ≈ {F.minutes(f.cnam_min)}")
        assert card in ville
    res = coverage(current_network().sites, 30)
    i = list(res.territory.codes).index(code)
    assert res.nearest[i] == f.cnam_code and res.times[i] == pytest.approx(f.cnam_min)
    assert bool(res.covered[i]) == (f.cnam_min <= 30)
    assert f'["{f.nom} ({f.departement})", "{f.cnam_commune}"]' in couverture["map"]  # the map's hover


@pytest.mark.parametrize("code", TOWNS)
def test_mission_locale_and_rail_access_agree_on_ville_and_classement(client, ranking_rows, code):
    f = town_fact(code)
    ville, row = flat(rendered(client, f"/ville/{code}")), ranking_rows[code]
    assert f.ml_proche and not f.ml_nommee  # the four towns: a mission locale nearby, by its head office
    assert row["mission_locale_km"] == pytest.approx(round(f.ml_servie_km, 2))
    if f.ml_dans_ville:
        assert row["mission_locale"] == f"{f.ml_servie_nom} (siège dans la ville)" and f.ml_servie_km == 0
        assert f"mission locale dans la commune ({f.ml_nom}) — tiers-lieu partageable" in ville
    else:
        assert row["mission_locale"] == f"{f.ml_servie_nom} (siège à {f.ml_servie_commune}, proche)"
        assert f"mission locale à {F.km(f.ml_km)} ({f.ml_nom}, {f.ml_commune}) — tiers-lieu partageable" in ville
    assert row["gare_km"] == pytest.approx(round(f.gare_km, 2))
    if f.gare_ter:
        assert row["gare"] == f.gare_nom and f"gare TER dans la commune ({f.gare_nom})" in ville
    else:
        assert row["gare"] == f"{f.gare_nom} ({f.gare_commune})"
        assert (f"ni gare ni arrêt de car TER dans la commune (gare la plus proche : {f.gare_nom}, à "
                f"{F.km(f.gare_km)})") in ville


@pytest.mark.parametrize("code", TOWNS)
def test_the_profile_gives_the_rank_of_the_ranking(client, ranking_rows, code):
    assert (f"Rang au classement multicritère : {ranking_rows[code]['rang']} sur {len(ranking_rows)} "
            "(pondération par défaut)") in flat(rendered(client, f"/ville/{code}"))


@pytest.mark.parametrize("concept", ESTIMATED)
@pytest.mark.parametrize("code", NO_SITE)
def test_expected_learners_and_viability_agree_on_every_page_for_every_concept(client, ranking_rows, couverture,
                                                                               code, concept):
    """The demand model's central, range and net new, and the one viability rule, wherever a page shows them."""
    from components.town_demand import SHORT
    from models.domain import demand
    from models.domain.simulator import default_break_even

    f, est, be = town_fact(code), demand.town_estimate(code, concept), default_break_even(concept)
    verdict = demand.viability(est, be)
    need = F.num(verdict["needed"])  # learners needed: the break-even rounded up, the same figure everywhere
    central, low, high = F.num(est["central"]), F.num(est["low"]), F.num(est["high"])
    ville = flat(rendered(client, f"/ville/{code}"))
    assert f"{CONCEPT_NAME[concept]} {central} ({low} à {high}) {need} {SHORT[verdict['level']]}" in ville
    if concept != "hub":  # the concept cards (no card for the hub)
        fit = {"centrale": "s'autofinance à l'estimation centrale", "haute": "s'autofinance seulement à l'estimation haute",
               "jamais": "ne s'autofinance pas, même à l'estimation haute"}[verdict["level"]]
        assert (f"{central} auditeurs attendus par an (fourchette {low} à {high}) pour un point mort de {need} : "
                f"{fit}") in ville
    sim = flat(rendered(client, "/simulateur", f"?ville={code}&concept={concept}"))
    assert f"Auditeurs attendus à {f.nom} : {central} par an en croisière (fourchette {low} à {high})" in sim
    assert f"{f.nom} : {verdict['text']} (point mort {need} auditeurs par an)." in sim
    row = couverture[concept][code]
    assert (row["expected_learners"], row["low"], row["high"]) == (round(est["central"]), round(est["low"]),
                                                                  round(est["high"]))
    assert row["net_new"] == round(est["net_new"]) and F.num(row["break_even"]) == need
    assert row["viable"] == (verdict["level"] == "centrale")
    if concept == "hub":
        assert ranking_rows[code]["apprenants_nets"] == pytest.approx(est["net_new"], abs=0.01)
