"""The JSON of ``python -m models.coverage --json``: every field, its value against the committed geodata or the
result object (issue #17: the CLI's fields were guarded by a subset-of-keys check only)."""
from __future__ import annotations

import json

import pytest

import geodata
from models.domain import coverage as cov
from models.cli import coverage as coverage_cli
from models.stores.network import reference_label, reference_network
from models.domain.travel import describe
from tests.cli_help import assert_help_says
from tests.conftest import per_test_under_mutmut

KEYS = {"minutes", "weight", "estimated", "travel_model", "time_factor", "travel_label", "network_version", "sites",
        "covered_population", "total_population", "covered_share", "covered_demand", "total_demand",
        "covered_demand_share", "known_communes", "uncovered_communes", "uncovered_population", "zones_blanches",
        "by_departement"}


@pytest.fixture(scope=per_test_under_mutmut)
def cli():
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert coverage_cli.main(["--minutes", "30", "--weight", "demandeurs_emploi", "--json"]) == 0
    return json.loads(buf.getvalue())


def test_every_field_of_the_json_with_its_value(cli):
    com = geodata.communes()
    res = cov.coverage(reference_network(), 30, weight="demandeurs_emploi")
    assert set(cli) == KEYS
    assert (cli["minutes"], cli["weight"], cli["estimated"]) == (30.0, "demandeurs_emploi", True)
    assert (cli["travel_model"], cli["time_factor"], cli["travel_label"]) == ("calibre", 1.0, describe())
    assert cli["network_version"] == reference_label() and cli["sites"] == res.sites
    assert cli["total_population"] == com["population"].sum()
    assert cli["covered_population"] == res.covered_population < cli["total_population"]
    assert cli["uncovered_population"] == cli["total_population"] - cli["covered_population"]
    assert cli["covered_share"] == pytest.approx(cli["covered_population"] / cli["total_population"])
    # jobseekers are published for ~180 communes only: demand ≠ population, known communes counted
    assert cli["total_demand"] == pytest.approx(com["demandeurs_emploi"].sum())
    assert cli["known_communes"] == com["demandeurs_emploi"].notna().sum() < len(com)
    assert cli["covered_demand"] == pytest.approx(res.covered_demand) and cli["covered_demand"] != cli["covered_population"]
    assert cli["covered_demand_share"] == pytest.approx(cli["covered_demand"] / cli["total_demand"])
    assert cli["uncovered_communes"] == int((~res.covered).sum()) > 0
    assert cli["zones_blanches"] == len(res.zones_blanches) > 0


def test_by_departement_rows_against_the_communes(cli):
    com = geodata.communes()
    pop = com.groupby("departement")["population"].sum()
    names = com.groupby("departement")["departement_nom"].first()
    rows = cli["by_departement"]
    assert [r["departement"] for r in rows] == sorted(pop.index)
    for r in rows:
        assert set(r) == {"departement", "nom", "population", "covered_population", "covered_share",
                          "uncovered_communes"}
        assert r["nom"] == names[r["departement"]] and r["population"] == pop[r["departement"]]
        assert 0 < r["covered_population"] < r["population"]
        assert r["covered_share"] == pytest.approx(r["covered_population"] / r["population"])
    assert sum(r["uncovered_communes"] for r in rows) == cli["uncovered_communes"]
    assert sum(r["covered_population"] for r in rows) == cli["covered_population"]


def run(args) -> tuple[int, str]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = coverage_cli.main(args)
    return code, buf.getvalue()


def test_text_output_says_the_figures_of_the_json():
    """Kills: the text line printed empty or with its words altered (the JSON is the oracle, formatted by hand)."""
    from models.text import fr_format as F

    code, text = run(["--minutes", "30"])
    out = json.loads(run(["--minutes", "30", "--json"])[1])
    assert code == 0
    first, *deps = text.splitlines()
    n, z = out["uncovered_communes"], out["zones_blanches"]
    assert n > 1 and z > 1  # plural forms
    assert first == (f"Couverture à 30 min (estimée) : {F.pct(100 * out['covered_share'])} de la population "
                     f"({F.num(out['covered_population'])} / {F.num(out['total_population'])}), "
                     f"{F.num(n)} communes non couvertes, {F.num(z)} zones blanches.")
    full = run(["--minutes", "180"])[1].splitlines()[0]  # nothing left uncovered: the singular forms
    assert full.endswith(", 0 commune non couverte, 0 zone blanche.")
    assert [d.split()[0] for d in deps] == [d["departement"] for d in out["by_departement"]]
    for line, d in zip(deps, out["by_departement"]):
        assert d["nom"] in line and line.endswith(F.pct(100 * d["covered_share"]))


def test_travel_options_reach_the_result_and_its_label():
    """Kills: the --travel-model / --time-factor options dropped (default settings used), the label of the default
    model printed whatever the model."""
    from models.domain.travel import TravelSettings

    settings = TravelSettings("regle_1_3", 1.5)
    out = json.loads(run(["--travel-model", "regle_1_3", "--time-factor", "1.5", "--json"])[1])
    assert (out["travel_model"], out["time_factor"]) == ("regle_1_3", 1.5)
    assert out["travel_label"] == describe(settings) != describe()
    res = cov.coverage(reference_network(), 30, settings)
    assert out["covered_population"] == res.covered_population != cov.coverage(reference_network(), 30).covered_population


def test_help_describes_every_option_in_french():
    assert_help_says(coverage_cli.main, (
        "Couverture de la région par les sites Cnam (temps estimés).", "seuil de temps (5 à 180 min, défaut 30)",
        "codes INSEE des sites, séparés par des virgules", "pondération de la demande",
        "modèle de temps (calibré sur des temps routés, ou l'ancienne règle ×1,3 à 60 km/h)",
        "facteur appliqué aux temps (0,5 à 2)", "sortie JSON"))
