"""Concept simulator: the defaults reproduce the founding documents, the model behaves, bad input is refused."""
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from models.domain.simulator import (
    CRUISING_YEAR, ParameterError, break_even_learners, break_even_spread, concept, concept_ids, default_parameters,
    load_catalogue, make_parameters, sensitivity, simulate, uncertain_parameters,
)

ROOT = Path(__file__).resolve().parents[2]
CONCEPTS = ["clef_en_main", "fab_id", "progressif", "hub"]


def test_the_four_concepts_are_defined_with_the_same_parameter_names():
    assert concept_ids() == CONCEPTS
    names = [set(concept(c).specs) for c in CONCEPTS]
    assert all(n == names[0] for n in names)


def test_every_assumption_has_unit_range_and_rationale():
    for c in CONCEPTS:
        for spec in concept(c).specs.values():
            assert spec.unit and spec.label and len(spec.rationale) > 10, spec.name
            assert spec.min <= spec.default <= spec.max, spec.name


# --- the founding documents (2019), reproduced as computed results ---------------------------------------
@pytest.mark.parametrize("cid", CONCEPTS)
def test_defaults_break_even_in_year_4_without_public_funding(cid):
    res = simulate(default_parameters(cid))
    y4 = res.years[CRUISING_YEAR]
    assert y4["public_funding"] == 0 and y4["cnam_own_funds"] == 0
    assert y4["operating_result"] >= 0
    assert res.kpis["self_financing_year"] is not None and res.kpis["self_financing_year"] <= 4
    assert all(y["public_funding"] == 0 for y in res.years[CRUISING_YEAR:])


def test_clef_en_main_about_80_learners_in_year_4_after_3_years_of_ramp_up():
    res = simulate(default_parameters("clef_en_main"))
    assert 75 <= res.kpis["learners_year4"] <= 85
    learners = [y["learners"] for y in res.years]
    assert learners[0] == 0 and learners[1] < learners[2] < learners[3] < learners[4]
    assert res.kpis["self_financing_year"] == 4
    assert res.years[1]["public_funding"] > 0  # funded in years 1-3


def test_fab_id_85_people_a_year_from_year_1_with_two_full_time_staff():
    p = default_parameters("fab_id")
    res = simulate(p)
    assert [round(y["learners"]) for y in res.years[1:]] == [85] * 6
    assert res.years[1]["costs_by_category"]["personnel"] == pytest.approx(2 * p.values["cout_etp"])
    assert res.years[1]["costs_by_category"]["locaux"] == 0  # premises lent by the local authority
    assert res.years[0]["costs_by_category"]["investissement"] > 0  # the computer room
    assert res.kpis["self_financing_year"] == 4  # grants from calls for projects for 3 years
    assert sum(y["public_funding_by_funder"]["appels_projets"] for y in res.years[1:4]) > 0


def test_progressif_300_learners_after_3_years_with_premises_growing_in_years_2_and_3():
    res = simulate(default_parameters("progressif"))
    assert round(res.years[3]["learners"]) == 300
    rents = [res.years[t]["costs_by_category"]["locaux"] for t in (1, 2, 3)]
    assert rents[0] < rents[1] < rents[2]
    first = res.years[1]["learners_by_modality"]
    assert first["pst_soir_foad"] == max(first.values())  # mainly PST outside working hours


def test_hub_break_even_is_computed_within_120_to_150_learners():
    p = default_parameters("hub")
    res = simulate(p)
    assert 120 <= res.kpis["break_even_learners"] <= 150
    assert p.values["etp"] == 3 and 500 <= p.values["surface_m2"] <= 1000
    assert res.kpis["self_financing_year"] == 4


def test_defaults_are_plausible_against_the_2016_regional_network():
    # 2016: ~5,000 learners on 24 sites, i.e. ~208 per site; no default site should dwarf that.
    ctx = load_catalogue().context
    per_site = ctx["auditeurs"] / ctx["sites"]
    for cid in CONCEPTS:
        assert simulate(default_parameters(cid)).kpis["learners_year4"] <= 2 * per_site


# --- model behaviour --------------------------------------------------------------------------------------
@pytest.mark.parametrize("cid", CONCEPTS)
def test_more_learners_never_lowers_revenue(cid):
    previous = None
    for n in range(0, 1001, 50):
        res = simulate(default_parameters(cid).replace(auditeurs_croisiere=n))
        revenues = [y["revenue"] for y in res.years]
        if previous is not None:
            assert all(r >= q for r, q in zip(revenues, previous))
        previous = revenues


@pytest.mark.parametrize("cid", CONCEPTS)
def test_a_zero_learner_year_still_pays_fixed_costs(cid):
    p = default_parameters(cid).replace(auditeurs_croisiere=0)
    y4 = simulate(p).years[CRUISING_YEAR]
    assert y4["learners"] == 0 and y4["revenue"] == 0
    assert y4["costs_by_category"]["personnel"] == pytest.approx(p.values["etp"] * p.values["cout_etp"])
    assert y4["costs"] > 0 and y4["operating_result"] < 0


@pytest.mark.parametrize("cid", CONCEPTS)
def test_break_even_is_consistent_with_the_yearly_table(cid):
    be = simulate(default_parameters(cid)).kpis["break_even_learners"]
    below = simulate(default_parameters(cid).replace(auditeurs_croisiere=math.floor(be)))
    above = simulate(default_parameters(cid).replace(auditeurs_croisiere=math.ceil(be)))
    assert below.years[CRUISING_YEAR]["operating_result"] < 0 <= above.years[CRUISING_YEAR]["operating_result"]


def test_break_even_moves_with_fixed_costs_and_is_none_when_each_learner_loses_money():
    p = default_parameters("hub")
    base = simulate(p).kpis["break_even_learners"]
    assert simulate(p.replace(loyer_m2=200)).kpis["break_even_learners"] > base
    losing = p.replace(recette_alternance=0, recette_pst_jour=0, recette_pst_soir_foad=0,
                       recette_formation_continue=0, recette_ardan=0)
    assert simulate(losing).kpis["break_even_learners"] is None
    assert simulate(losing).kpis["self_financing_year"] is None


def test_funded_deficits_are_split_between_funders_and_cnam_own_funds():
    p = default_parameters("clef_en_main")
    res = simulate(p)
    for y in res.years:
        deficit = max(0.0, -y["operating_result"]) if y["year"] <= 3 else 0.0
        assert y["public_funding"] + y["cnam_own_funds"] == pytest.approx(deficit)
        if deficit:
            assert y["net"] == 0
            assert y["public_funding_by_funder"]["region"] == pytest.approx(deficit * p.values["part_region"] / 100)
    assert res.kpis["public_funding_total"] == pytest.approx(sum(y["public_funding"] for y in res.years))
    assert res.years[-1]["cumulative"] == pytest.approx(sum(y["net"] for y in res.years))


def test_no_public_funding_means_cumulative_equals_operating_result():
    res = simulate(default_parameters("progressif").replace(annees_financement_public=0, part_etat=0,
                                                           part_region=0, part_collectivite=0))
    assert res.years[0]["public_funding"] == 0 and res.years[1]["public_funding"] == 0
    assert res.years[0]["cnam_own_funds"] > 0  # year 0 is still covered, by Cnam own funds alone
    assert res.years[1]["net"] < 0


def test_mix_shares_are_normalised_and_payers_follow_the_modality():
    p = default_parameters("hub").replace(part_alternance=50, part_pst_jour=0, part_pst_soir_foad=0,
                                          part_formation_continue=0, part_ardan=0, part_insertion=0)
    y4 = simulate(p).years[CRUISING_YEAR]
    assert y4["learners_by_modality"]["alternance"] == pytest.approx(y4["learners"])
    assert y4["revenue_by_payer"]["opco"] == pytest.approx(y4["revenue"])


def test_to_frame_has_one_row_per_year():
    df = simulate(default_parameters("fab_id")).to_frame()
    assert list(df["year"]) == list(range(7))
    assert "revenue_by_payer.opco" in df.columns and "costs_by_category.locaux" in df.columns


def test_sensitivity_is_sorted_and_matches_the_model():
    p = default_parameters("clef_en_main")
    rows = sensitivity(p, 0.2)
    swings = [r["swing"] for r in rows]
    assert swings == sorted(swings, reverse=True)
    names = {r["name"] for r in rows}
    assert "auditeurs_croisiere" in names and "montee_annee_1" not in names  # year 1 does not move year 4
    learners = next(r for r in rows if r["name"] == "auditeurs_croisiere")
    assert learners["high_result"] > learners["base_result"] > learners["low_result"]
    assert learners["high_result"] == pytest.approx(
        simulate(p.replace(auditeurs_croisiere=learners["high_value"])).years[CRUISING_YEAR]["operating_result"])
    assert rows[0]["base_result"] == pytest.approx(simulate(p).years[CRUISING_YEAR]["operating_result"])


def test_sensitivity_keeps_moved_values_within_their_range():
    for r in sensitivity(default_parameters("fab_id"), 0.2):
        spec = concept("fab_id").specs[r["name"]]
        assert spec.min <= r["low_value"] <= r["high_value"] <= spec.max


@pytest.mark.parametrize("cid", CONCEPTS)
def test_break_even_spread_is_centred_on_the_bisection_break_even(cid):
    # the closed form (fixed / margin) of the spread must agree with the model's own bisection
    p = default_parameters(cid)
    no_spread = break_even_spread(p, draws=10, pct=0.0)
    assert no_spread["p5"] == pytest.approx(break_even_learners(p), rel=1e-6)
    assert no_spread["p95"] == pytest.approx(break_even_learners(p), rel=1e-6)


def test_break_even_spread_widens_with_the_uncertainty_and_is_reproducible():
    p = default_parameters("hub")
    narrow, wide = break_even_spread(p, pct=0.1), break_even_spread(p, pct=0.3)
    assert wide["p5"] < narrow["p5"] < break_even_learners(p) < narrow["p95"] < wide["p95"]
    assert break_even_spread(p) == break_even_spread(p)  # seeded
    # the hub: about 100 to 165 learners with every « hypothèse à vérifier » within ±25 %
    s = break_even_spread(p)
    assert 90 < s["p5"] < 115 and 150 < s["p95"] < 180


def test_only_unverified_assumptions_that_move_year_4_are_drawn():
    names = uncertain_parameters("hub")
    assert "cout_etp" in names and "loyer_m2" in names
    assert not {"montee_annee_1", "auditeurs_croisiere", "part_etat", "investissement"} & set(names)
    assert all(concept("hub").specs[n].rationale.startswith("Hypothèse à vérifier") for n in names)


# --- bad input: French messages naming the culprit ----------------------------------------------------------
@pytest.mark.parametrize("value, words", [
    (5000, "hors de la plage"), (-3, "hors de la plage"), ("abc", "n'est pas un nombre"), ("", "manquante"),
    (None, "manquante"), (float("nan"), "non finie"), (float("inf"), "non finie"), (80.5, "entier"),
])
def test_bad_values_are_refused_in_french_naming_the_parameter(value, words):
    with pytest.raises(ParameterError) as err:
        make_parameters("clef_en_main", {"auditeurs_croisiere": value})
    assert "auditeurs_croisiere" in str(err.value) and words in str(err.value)


def test_string_values_with_a_french_decimal_comma_are_accepted():
    assert make_parameters("fab_id", {"etp": "2,5"}).values["etp"] == 2.5


def test_unknown_concept_parameter_and_overfunded_deficit_are_refused():
    with pytest.raises(ParameterError, match="Concept inconnu"):
        make_parameters("grand_campus")
    with pytest.raises(ParameterError, match="Paramètre inconnu.*salaire"):
        make_parameters("hub", {"salaire": 1})
    with pytest.raises(ParameterError, match="financeurs"):
        make_parameters("hub", {"part_etat": 60, "part_region": 60})
    with pytest.raises(ParameterError, match="Mix"):
        make_parameters("hub", {f"part_{m}": 0 for m in load_catalogue().modalities})


# --- command line -------------------------------------------------------------------------------------------
def _cli(*args):
    return subprocess.run([sys.executable, "-m", "models.simulator", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_prints_years_and_kpis_as_json():
    run = _cli("--concept", "hub", "--set", "auditeurs_croisiere=200", "etp=3", "--set", "loyer_m2=90", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert [y["year"] for y in out["years"]] == list(range(7))
    assert {"learners", "revenue", "costs", "public_funding", "net"} <= set(out["years"][0])
    assert out["years"][4]["learners"] == 200 and out["parameters"]["loyer_m2"] == 90
    assert 120 <= out["kpis"]["break_even_learners"] <= 150 and out["kpis"]["self_financing_year"] is not None


@pytest.mark.parametrize("args, culprit", [
    (["--concept", "grand_campus"], "grand_campus"),
    (["--concept", "hub", "--set", "salaire=3"], "salaire"),
    (["--concept", "hub", "--set", "etp=-1"], "etp"),
    (["--concept", "hub", "--set", "etp=beaucoup"], "etp"),
    (["--concept", "hub", "--set", "etp"], "nom=valeur"),
    (["--concept", "hub", "--ville", "abc"], "abc"),
    (["--json"], "arguments invalides"),
])
def test_cli_bad_arguments_exit_2_with_a_french_message(args, culprit):
    run = _cli(*args, "--json")
    assert run.returncode == 2
    assert culprit in run.stderr and "Erreur" in run.stderr and "Traceback" not in run.stderr
