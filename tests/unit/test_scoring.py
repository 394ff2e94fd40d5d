"""Multi-criteria ranking: normalisation, missing values, contributions, ranks, CLI (models/domain/scoring.py)."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from models.domain import scoring
from models.cli import scoring as scoring_cli
from models.domain.scoring import KEYS, CriteriaTable, ScoringError
from tests.cli_help import assert_help_says
from tests.conftest import per_test_under_mutmut


def synthetic(values: np.ndarray, names=None) -> pd.DataFrame:
    codes = [f"{i:05d}" for i in range(len(values))]
    t = pd.DataFrame(values, columns=KEYS, index=pd.Index(codes, name="code_insee"))
    t.insert(0, "nom", names or [f"Ville {i}" for i in range(len(values))])
    return t


def only(key: str) -> dict:
    return {k: (1.0 if k == key else 0.0) for k in KEYS}


@pytest.fixture(scope=per_test_under_mutmut)
def acv_table() -> CriteriaTable:
    return scoring.cached_table(tuple(scoring.ranking_candidates()))


def test_default_candidates_are_the_25_acv_towns(acv_table):
    assert len(acv_table.codes) == 25
    assert acv_table.table["is_acv"].all()


def test_a_town_better_on_every_criterion_never_ranks_lower():
    rng = np.random.default_rng(6)
    for _ in range(200):
        x = rng.uniform(0, 100, size=(12, len(KEYS)))
        directions = {k: int(rng.choice([1, -1])) for k in KEYS}
        sign = np.array([directions[k] for k in KEYS])
        # town 0 is at least as good as town 1 on every criterion, strictly better on one
        step = rng.uniform(0, 10, size=len(KEYS))
        step[rng.integers(len(KEYS))] += 1
        x[0] = x[1] + sign * step
        weights = {k: float(rng.choice([0, 0.5, 1, 3, 4.5])) for k in KEYS}
        weights[KEYS[0]] += 0.5
        ranked = CriteriaTable(synthetic(x)).rank(weights, directions).set_index("code_insee")
        assert ranked.loc["00000", "rang"] <= ranked.loc["00001", "rang"]
        assert ranked.loc["00000", "score"] >= ranked.loc["00001", "score"] - 1e-9


def test_a_town_best_everywhere_added_to_the_real_acv_towns_ranks_first(acv_table):
    t = acv_table.table[["nom", *KEYS]].copy()
    best = {k: (t[k].max() if scoring.DEFAULT_DIRECTIONS[k] > 0 else t[k].min()) for k in KEYS}
    t.loc["99999"] = {"nom": "Idéale", **best}
    ranked = CriteriaTable(t).rank()
    assert ranked.iloc[0]["code_insee"] == "99999"
    # min–max criteria give the best town 1; a saturating one gives x/(x+h) (more = better) or h/(h+x) (less),
    # below 1 for the best town too: a count or a distance is never stretched to the full scale
    expected = 0.0
    for c in scoring.CRITERIA:
        if c.scale == "minmax":
            expected += 1.0
        else:
            x, h = best[c.key], scoring.half_saturation(c)
            expected += x / (x + h) if c.direction > 0 else h / (h + x)
    assert ranked.iloc[0]["score"] == pytest.approx(100.0 * expected / len(KEYS))


@pytest.mark.parametrize("key", KEYS)
def test_one_weight_alone_sorts_by_that_criterion(acv_table, key):
    for direction in (1, -1):
        ranked = acv_table.rank(only(key), {key: direction})
        values = acv_table.table[key].reindex(ranked["code_insee"]).to_numpy()
        known = values[~np.isnan(values)]
        assert np.all(np.diff(direction * known) <= 1e-9), f"{key} non trié (sens {direction})"
        # ranks follow the values: equal values share a rank, a better value a better rank
        r = ranked["rang"].to_numpy()[~np.isnan(values)]
        assert np.all(np.diff(r) >= 0)
        # towns whose only weighted criterion is unknown have no score and come last
        assert np.isnan(values).sum() == ranked["score"].isna().sum()


def test_contributions_sum_to_the_score(acv_table):
    rng = np.random.default_rng(1)
    for rule in scoring.MISSING_RULES:
        for _ in range(20):
            weights = {k: float(rng.uniform(0, 5)) for k in KEYS}
            ranked = acv_table.rank(weights, missing=rule)
            contrib = ranked[[f"contrib_{k}" for k in KEYS]].to_numpy()
            assert np.allclose(np.nansum(contrib, axis=1), ranked["score"])
            assert ranked["score"].between(0, 100).all()


def test_normalisation_is_min_max_over_the_candidates_with_direction():
    """Through the ranking the app calls: one weighted criterion, score = 100 × the min–max normalised value."""
    x = np.tile(np.array([[0.0], [5.0], [10.0], [2.5]]), (1, len(KEYS)))
    ct = CriteriaTable(synthetic(x))
    for key in (KEYS[0], KEYS[-1]):
        up = ct.rank(only(key), {key: 1}).set_index("code_insee")["score"]
        down = ct.rank(only(key), {key: -1}).set_index("code_insee")["score"]
        assert up.to_dict() == pytest.approx({"00000": 0.0, "00001": 50.0, "00002": 100.0, "00003": 25.0})
        assert down.to_dict() == pytest.approx({"00000": 100.0, "00001": 50.0, "00002": 0.0, "00003": 75.0})


def test_a_criterion_equal_for_every_candidate_is_neutral():
    x = np.random.default_rng(2).uniform(0, 1, size=(4, len(KEYS)))
    x[:, 0] = 7.0
    ranked = CriteriaTable(synthetic(x)).rank(only(KEYS[0]))
    assert np.allclose(ranked["score"], 50.0)
    assert (ranked["rang"] == 1).all()


def missing_case():
    x = np.array([[10.0] * len(KEYS), [5.0] * len(KEYS), [0.0] * len(KEYS)])
    for j, c in enumerate(scoring.CRITERIA):  # town 1 at one half of every criterion: the middle of min–max,
        if c.scale == "saturation":           # the half-saturation value of a saturating scale
            x[1, j] = scoring.half_saturation(c)
    x[1, KEYS.index("taux_pauvrete")] = np.nan          # town 1 lacks its poverty rate
    return CriteriaTable(synthetic(x))


def test_missing_value_renormalises_the_weights_and_flags_the_town():
    ranked = missing_case().rank({k: 1.0 for k in KEYS}).set_index("code_insee")
    town = ranked.loc["00001"]
    assert math.isnan(town["contrib_taux_pauvrete"])        # not a silent 0
    assert "Taux de pauvreté" in town["manquants"]
    assert town["couverture"] == pytest.approx((len(KEYS) - 1) / len(KEYS))
    # scored on its 11 known criteria, each at 0.5: the mean of what it has
    assert town["score"] == pytest.approx(50.0)
    assert ranked.loc["00000", "manquants"] == "" and ranked.loc["00000", "couverture"] == 1.0


def test_missing_value_rule_zero_counts_the_worst_value_and_flags_the_town():
    ranked = missing_case().rank({k: 1.0 for k in KEYS}, missing="zero").set_index("code_insee")
    town = ranked.loc["00001"]
    assert town["contrib_taux_pauvrete"] == 0.0
    assert "Taux de pauvreté" in town["manquants"]
    assert town["score"] == pytest.approx(100 * 0.5 * (len(KEYS) - 1) / len(KEYS))


def test_unweighted_missing_criterion_is_not_flagged():
    weights = {k: 1.0 for k in KEYS} | {"taux_pauvrete": 0.0}
    town = missing_case().rank(weights).set_index("code_insee").loc["00001"]
    assert town["manquants"] == "" and town["couverture"] == 1.0


def test_real_small_commune_without_jobseekers_is_flagged():
    ranked = scoring.ranking(add=["08053"])  # Bazeilles: jobseekers not published
    row = ranked.set_index("code_insee").loc["08053"]
    assert math.isnan(row["demandeurs_emploi"])
    assert "Demandeurs d'emploi" in row["manquants"]
    assert math.isnan(row["contrib_demandeurs_emploi"])
    assert len(ranked) == 26


def test_criteria_table_values_are_consistent_with_geodata(acv_table):
    import geodata

    t = acv_table.table
    com = geodata.commune_index().loc[t.index]
    assert (t["population"] == com["population"]).all()
    assert (t["population_30min"] >= t["population"]).all()
    assert (t["lycees_pro_20km"] >= t["lycees_pro_ville"]).all()
    hosting = set(geodata.cnam_sites()["code_insee"])  # sites at their own address, not the town hall
    for code in t.index:
        if code in hosting:
            assert t.loc[code, "site_cnam_proche"] == t.loc[code, "nom"] and t.loc[code, "minutes_site_cnam"] < 15
        else:
            assert t.loc[code, "site_cnam_proche"] != t.loc[code, "nom"] and t.loc[code, "minutes_site_cnam"] > 0
    assert (t["gare_km"] > 0).all()  # from the town hall to the station, in the commune or next door
    sup = geodata.enseignement_superieur().query("formation")["code_insee"].value_counts()
    assert (t["enseignement_superieur"] == [sup.get(c, 0) for c in t.index]).all()
    seats = set(geodata.missions_locales()["code_insee"].astype(str))
    assert all(t.loc[c, "mission_locale_km"] == 0 for c in t.index if c in seats)
    assert t["recrutements_difficiles"].between(0, 100).all()


def test_bmo_share_is_difficult_over_projects_on_published_cells(acv_table):
    import geodata

    code = acv_table.codes[0]
    bassin = geodata.commune_index().loc[code, "bmo_code"]
    b = geodata.bmo()
    b = b[(b["bmo_code"] == bassin) & b["projets"].notna() & b["projets_difficiles"].notna()]
    expected = 100 * b["projets_difficiles"].sum() / b["projets"].sum()
    assert acv_table.table.loc[code, "recrutements_difficiles"] == pytest.approx(expected)


@pytest.mark.parametrize("weights,directions,message", [
    ({"inconnu": 1}, None, "Critère inconnu"),
    ({"population": 5.5}, None, "hors limites"),
    ({"population": -1}, None, "hors limites"),
    ({"population": "abc"}, None, "non numérique"),
    ({"population": float("nan")}, None, "hors limites"),
    ({k: 0 for k in KEYS}, None, "supérieur à 0"),
    (None, {"population": "haut"}, "Sens inconnu"),
])
def test_bad_weights_raise_a_french_message(weights, directions, message):
    with pytest.raises(ScoringError, match=message):
        scoring.check_weights(weights, directions)


def test_short_url_codes_are_accepted_and_unique():
    w, d = scoring.check_weights({"pop": 3}, {"den": "plus"})
    assert w["population"] == 3 and d["densite"] == 1
    assert len(scoring.BY_SHORT) == len(KEYS)


def test_unknown_commune_is_refused():
    with pytest.raises(ScoringError, match="inconnu"):
        scoring.ranking_candidates(["99999"])
    with pytest.raises(ScoringError, match="inconnu"):
        scoring.ranking_candidates(["'; DROP TABLE x;--"])


def test_cli_json_lists_every_town_with_score_and_contributions(capsys):
    assert scoring_cli.main(["--weights", "chomage_ze=2", "population=0", "--add", "57463", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 26 and {"57463"} <= {r["code_insee"] for r in rows}
    for r in rows:
        assert set(r["contributions"]) == set(KEYS)
        assert r["contributions"]["population"] == 0
        assert sum(v for v in r["contributions"].values() if v is not None) == pytest.approx(r["score"], abs=1e-3)
    assert [r["rang"] for r in rows] == sorted(r["rang"] for r in rows)


@pytest.mark.parametrize("argv", [["--weights", "population"], ["--weights", "x=1"], ["--weights", "pop=6"],
                                  ["--add", "00000"], ["--nimporte"], ["--manquants", "ignore"]])
def test_cli_bad_arguments_exit_2_with_a_french_message(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(scoring_cli.main(argv))
    assert exc.value.code == 2
    assert capsys.readouterr().err.startswith("Erreur")


FAGNIERES = "51242"  # jobseekers not published for it (fewer than ~5,000 inhabitants)


def test_cli_text_lists_rank_score_code_and_name_and_says_n_d_for_a_town_without_score(capsys):
    """Kills: the text output printing ``nan`` for a town without a score; --sens taking one value only."""
    weights = [f"{k}=0" for k in KEYS if k != "demandeurs_emploi"] + ["demandeurs_emploi=1"]
    sens = ["demandeurs_emploi=moins", "population=moins"]
    assert scoring_cli.main(["--weights", *weights, "--sens", *sens, "--add", FAGNIERES]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = scoring.ranking({k: float(v) for k, v in (w.split("=") for w in weights)},
                               {"demandeurs_emploi": "moins", "population": "moins"}, [FAGNIERES])
    assert len(lines) == len(expected) == 26
    for line, r in zip(lines, expected.itertuples()):
        rank, score, code, *name = line.split()
        assert (int(rank), code) == (r.rang, r.code_insee) and " ".join(name).startswith(r.nom)
        assert score == ("n.d." if math.isnan(r.score) else f"{r.score:.1f}")
    last = lines[-1].split()
    assert last[1:3] == ["n.d.", FAGNIERES] and int(last[0]) == 26  # after the 25 scored towns
    best = expected.iloc[0]  # fewest jobseekers first ("moins"): the direction reached the ranking
    assert best.code_insee == expected.dropna(subset=["score"]).sort_values("demandeurs_emploi").iloc[0].code_insee


def test_cli_help_describes_every_option_in_french():
    assert_help_says(scoring_cli.main, (
        "Classement multicritère des villes candidates (ACV + communes ajoutées).", "--weights CRITERE=POIDS",
        f"poids de 0 à {scoring.WEIGHT_MAX:g} ; critères : {', '.join(KEYS)}", "--sens CRITERE=plus|moins",
        "sens de chaque critère", "communes ajoutées (code INSEE)", "règle des valeurs manquantes", "sortie JSON"))


def test_saturating_scales_are_explained_with_their_steps_by_hand():
    """The explanation of a "more is better" saturating criterion lists n = x / (x + h) for x = 0…3, computed here;
    lycées in the town: h = 1, so 1 → 0,50 and 3 → 0,75."""
    from models.text import fr_format as F

    c = scoring.BY_KEY["lycees_pro_ville"]
    assert c.scale == "saturation" and c.direction > 0
    assert "0 → 0,00 ; 1 → 0,50 ; 2 → 0,67 ; 3 → 0,75" in c.scale_text()
    for c in scoring.CRITERIA:
        if c.scale == "saturation" and c.direction > 0:
            h = scoring.half_saturation(c)
            assert " ; ".join(f"{k} → {F.num(k / (k + h), 2)}" for k in range(4)) in c.explanation()


def test_ranking_candidates_are_the_acv_towns_of_the_territory_it_is_given():
    from tests.territories import line_territory

    t = line_territory([6000] * 8)  # ACV: communes 1 and 5 (i % 4 == 1)
    assert scoring.ranking_candidates(territory=t) == ["99001", "99005"]
    assert scoring.ranking_candidates(["99002", "99001"], territory=t) == ["99001", "99005", "99002"]


def test_an_unknown_missing_value_rule_is_refused_naming_the_two_rules(acv_table):
    with pytest.raises(ScoringError) as err:
        acv_table.rank(missing="ignore")
    assert str(err.value) == ("Règle des valeurs manquantes inconnue : « ignore » (attendu : "
                              f"{', '.join(scoring.MISSING_RULES)}).") and list(scoring.MISSING_RULES) == ["renormalise", "zero"]


def test_a_non_numeric_weight_is_echoed_on_its_first_20_characters():
    value = "abcdefghijklmnopqrstuvwxyz"
    with pytest.raises(ScoringError) as err:
        scoring.check_weights({"population": value})
    assert str(err.value) == f"Poids non numérique pour « {scoring.BY_KEY['population'].label} » : « {value[:20]} »."


@pytest.mark.parametrize("codes", [["00000"], ["55545", "00000"]])
def test_an_unknown_code_in_the_criteria_table_is_named_in_french(codes):
    with pytest.raises(ScoringError, match="Code commune inconnu en Grand Est : « 00000 »"):
        scoring.criteria_table(codes)


def test_each_scale_is_explained_in_whole_words_with_its_steps_computed_by_hand():
    nb = "\u00a0"
    said = {k: scoring.BY_KEY[k].scale_text() for k in ("population", "lycees_pro_20km", "gare_km")}
    assert said["population"] == "min–max sur les villes candidates (la meilleure 1, la moins bonne 0)"
    # 3 lycées weigh half: n = x / (x + 3); losing one lycée costs at most 1 / (1 + 3) = 25 % of the criterion
    assert said["lycees_pro_20km"] == ("échelle saturante fixe n = x / (x + 3) (0 → 0,00 ; 1 → 0,25 ; 2 → 0,40 ; "
                                       f"3 → 0,50) : une unité de moins coûte au plus 25{nb}% du critère")
    # a station 5 km away weighs half: n = 5 / (5 + d), at 0, 5 and 10 km
    assert said["gare_km"] == (f"échelle saturante fixe n = 5 / (5 + distance) (0{nb}km → 1,00 ; 5{nb}km → 0,50 ; "
                               f"10{nb}km → 0,33)")


def test_a_source_is_written_with_its_date_in_words_or_alone():
    from dataclasses import replace

    c = scoring.BY_KEY["mission_locale_km"]
    assert c.source_text() == "Source : i-milo, référentiel des structures (sièges) (18 septembre 2023)."
    assert replace(c, date="").source_text() == "Source : i-milo, référentiel des structures (sièges)."
    assert c.explanation() == f"{c.definition} Échelle : {c.scale_text()}. {c.source_text()}"


@pytest.mark.parametrize("key, fact, direction, scale, half", [
    ("population", "population", 1, "minmax", 0.0),
    ("minutes_site_cnam", "cnam_min", 1, "minmax", 0.0),
    ("lycees_pro_ville", "n_lycees_pro_commune", 1, "saturation", 1.0),
    ("lycees_pro_20km", "lycees_pro_20km", 1, "saturation", 3.0),
    ("gare_km", "gare_km", -1, "saturation", 5.0),
    ("enseignement_superieur", "n_sup_commune", 1, "saturation", 1.0),
])
def test_a_criterion_that_is_a_town_fact_reads_that_facts_words(key, fact, direction, scale, half):
    from models.domain.town_facts import BY_KEY as FACTS

    c, f = scoring.BY_KEY[key], FACTS[fact]
    assert (c.label, c.unit, c.source) == (f.label, f.unit, f.source)
    assert c.definition.startswith(f.definition) and (c.direction, c.scale, c.half, c.weight) == (direction, scale,
                                                                                                    half, 1.0)
    assert c.date and c.short


def test_the_table_reads_the_town_facts_to_a_tenth_of_a_minute_and_names_the_mission_locale(acv_table):
    from models.domain.town_facts import town_facts

    t = acv_table.table
    f = town_facts(list(t.index))
    assert (t["minutes_site_cnam"] == np.round(f["cnam_min"].to_numpy(float), 1)).all()
    assert list(t["mission_locale_nom"]) == list(f["ml_servie_nom"])
    with pytest.raises(ScoringError, match="^Aucune ville candidate.$"):
        scoring.criteria_table([])


def test_a_town_with_a_cnam_site_is_ranked_on_a_new_hub_of_its_own(acv_table):
    # Troyes hosts a site: the ranking asks what a new hub there would add (as_new), not what its site does
    from models.domain import demand
    from models.domain.town_facts import network_sites

    new = demand.candidates(["10387"], "hub", network_sites(), as_new=True).iloc[0]
    own = demand.candidates(["10387"], "hub", network_sites()).iloc[0]
    assert own["existant"] and acv_table.table.loc["10387", "apprenants_nets"] == pytest.approx(new["net_new"])
    assert new["net_new"] != pytest.approx(own["net_new"])


@pytest.mark.parametrize("text, direction", [("1", 1), ("+1", 1), ("+", 1), ("plus", 1), ("1.0", 1), (" Plus ", 1),
                                             ("-1", -1), ("-", -1), ("moins", -1), ("-1.0", -1), ("MOINS", -1)])
def test_every_written_form_of_a_direction_is_read(text, direction):
    assert scoring.parse_direction(text) == direction


def test_an_unknown_criterion_is_echoed_on_its_first_30_characters():
    with pytest.raises(ScoringError) as err:
        scoring.check_weights({"x" * 40: 1})
    assert f"« {'x' * 30} »" in str(err.value)


def test_json_records_round_to_four_decimals_and_give_every_criterion_value(acv_table):
    ranked = scoring.ranking()
    rows = scoring.records(ranked)
    first = ranked.iloc[0]
    assert rows[0]["score"] == round(float(first["score"]), 4) and set(rows[0]["valeurs"]) == set(KEYS)
    assert rows[0]["valeurs"]["population"] == first["population"]
