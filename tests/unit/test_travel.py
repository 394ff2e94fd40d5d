import json
import re

import numpy as np
import pandas as pd
import pytest

from models.domain import travel, travel_fit
from models.cli import travel as travel_cli
from models.domain.travel import (TravelSettings, distance_matrix_km, great_circle_km_from_vectors, haversine_km,
                           minutes_between, minutes_from_km, unit_vectors)
from models.domain.territory import Territory, UnknownCommune
from tests.territories import line_communes, line_territory

OLD = TravelSettings("regle_1_3")


@pytest.fixture
def line():
    """Five communes 7.4 km apart (their points and codes)."""
    return line_communes([1000, 2000, 3000, 4000, 5000])


@pytest.fixture
def terr():
    """The same five communes as a territory: the models' way to times between communes (no module swap)."""
    return line_territory([1000, 2000, 3000, 4000, 5000])


@pytest.fixture(scope="module")
def samples():
    return travel_fit.load_samples()


@pytest.fixture
def routed_file(tmp_path, monkeypatch):
    path = tmp_path / "travel_minutes.parquet"
    pd.DataFrame({"origine": ["99000", "99001", "99004"], "destination": ["99002", "S1", "99000"],
                  "minutes": [99.0, 7.0, 55.5]}).to_parquet(path)
    monkeypatch.setattr(travel, "ROUTED_MINUTES_PATH", path)
    return path


def test_haversine_one_degree_of_latitude_is_about_111_km():
    assert haversine_km(6.0, 48.0, 6.0, 49.0) == pytest.approx(111.2, abs=0.1)


def test_vector_distance_matches_haversine():
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(3.3, 8.3, 200), rng.uniform(47.4, 50.2, 200)
    v = unit_vectors(lon, lat)
    assert np.abs(great_circle_km_from_vectors(v, v) - distance_matrix_km(lon, lat, lon, lat)).max() < 1e-3


# ---------------------------------------------------------------------------------------------- settings and curve
def test_default_is_the_calibrated_model_and_old_rule_is_1_3_min_per_km():
    assert (travel.DEFAULT_SETTINGS.method, travel.DEFAULT_SETTINGS.time_factor) == ("calibre", 1.0)
    km = np.array([0.0, 5.0, 23.0, 150.0])
    np.testing.assert_allclose(minutes_from_km(km, OLD), km * 1.3)
    assert OLD.km_for_minutes(30) == pytest.approx(30 / 1.3)
    assert minutes_from_km(0.0) == pytest.approx(travel.calibration()["coefficients"]["access_min"])


@pytest.mark.parametrize("kwargs", [{"method": "osrm"}, {"time_factor": 0.1}, {"time_factor": 5},
                                    {"time_factor": "abc"}])
def test_settings_reject_bad_values_in_french(kwargs):
    with pytest.raises(ValueError, match="inconnu|hors limites|invalide"):
        TravelSettings(**kwargs)


@pytest.mark.parametrize("settings", [None, TravelSettings(time_factor=1.3), OLD, TravelSettings("regle_1_3", 0.8)])
def test_curve_is_increasing_and_km_for_minutes_inverts_it(settings):
    km = np.r_[0.0, np.linspace(0.01, 400, 4001)]
    t = minutes_from_km(km, settings)
    assert (np.diff(t) > 0).all()
    s = settings or travel.DEFAULT_SETTINGS
    back = np.array([s.km_for_minutes(m) for m in t])
    np.testing.assert_allclose(back, km, atol=1e-9)


def test_calibrated_slopes_never_increase_and_curve_is_continuous():
    c = travel.calibration()["coefficients"]
    assert all(a >= b for a, b in zip(c["slopes_min_per_km"], c["slopes_min_per_km"][1:]))
    knots = np.array(c["knots_km"][1:])
    jump = minutes_from_km(knots + 1e-9) - minutes_from_km(knots - 1e-9)
    assert np.abs(jump).max() < 1e-6


# ---------------------------------------------------------------------------------------------- fit
def test_calibrated_model_beats_the_old_rule_on_the_bas_rhin_sample(samples):
    br = samples[samples["sample"] == "bas_rhin_osrm_2016"]
    assert len(br) == 4850
    new = np.abs(minutes_from_km(br.km.to_numpy()) - br.minutes).mean()
    old = np.abs(minutes_from_km(br.km.to_numpy(), OLD) - br.minutes).mean()
    assert new < old / 2
    short = br[br.minutes <= 60]
    assert np.abs(minutes_from_km(short.km.to_numpy()) - short.minutes).mean() < np.abs(
        minutes_from_km(short.km.to_numpy(), OLD) - short.minutes).mean()


def test_committed_calibration_is_the_fit_of_the_committed_samples(samples):
    again = travel_fit.calibration_dict()
    assert again == travel_fit.calibration_dict()  # deterministic
    committed = {k: v for k, v in travel.calibration().items() if k != "fitted_on"}
    assert again == committed
    br = travel.fit_report()["samples"]["bas_rhin_osrm_2016"]["all"]
    assert br["n"] == 4850 and br["calibre"]["mae"] < br["regle_1_3"]["mae"]


def test_fit_uses_the_bas_rhin_sample_only(samples, tmp_path):
    changed = samples.drop(columns="km")
    changed.loc[changed["sample"] != "bas_rhin_osrm_2016", "minutes"] *= 3
    path = tmp_path / "trajets.parquet"
    changed.to_parquet(path)
    out = travel_fit.calibration_dict(path)
    assert out["coefficients"] == travel.calibration()["coefficients"]
    assert out["metrics"]["villes_osrm_2025"] != travel.calibration()["metrics"]["villes_osrm_2025"]


def test_write_calibration_keeps_its_date_when_nothing_changed(tmp_path, monkeypatch):
    path = tmp_path / "cal.json"
    path.write_text(json.dumps({**travel_fit.calibration_dict(), "fitted_on": "2000-01-01"}), encoding="utf-8")
    monkeypatch.setattr(travel, "CALIBRATION_PATH", path)
    try:
        assert travel_fit.write_calibration(path)["fitted_on"] == "2000-01-01"
    finally:
        travel.calibration.cache_clear()
        travel.calibrated_curve.cache_clear()


def test_describe_names_the_calibration_and_the_old_rule():
    label = travel.describe()
    assert re.search(r"calibré sur 4\W850 trajets routés \(Bas-Rhin, OSRM 2016\), écart moyen \d+,\d min", label)
    assert "règle ×1,3 à 60 km/h (non calibrée" in travel.describe(OLD)
    assert "temps × 1,20" in travel.describe(TravelSettings(time_factor=1.2))


# ---------------------------------------------------------------------------------------------- matrices
def test_times_between_communes_are_the_curve_of_straight_line_km(terr):
    s = TravelSettings(time_factor=1.5)
    com = terr.communes
    t = terr.minutes_from(terr.codes[:2], s)
    km = distance_matrix_km(com.lon[:2], com.lat[:2], com.lon, com.lat)
    assert t.shape == (2, 5)
    np.testing.assert_allclose(t, minutes_from_km(km) * 1.5, atol=1e-3)
    np.testing.assert_allclose(minutes_between(com.lon[:2], com.lat[:2], com.lon, com.lat, s), t, atol=1e-9)


def test_times_to_every_commune_in_float32_nearest_is_itself(terr):
    t = terr.minutes_from(["99002"], dtype=np.float32)
    assert t.shape == (1, 5) and t.dtype == np.float32
    assert np.argmin(t[0]) == 2 and t[0, 1] == t[0, 3] < t[0, 0] == t[0, 4]  # symmetric around itself


def test_unknown_code_is_refused_in_french(terr):
    with pytest.raises(UnknownCommune, match="n'est pas celui d'une commune"):
        terr.minutes_from(["00000"])


def test_routed_matrix_replaces_the_estimate_for_its_pairs(line, terr, routed_file):
    assert travel.routed_matrix_available()
    lon, lat = line.lon.to_numpy(), line.lat.to_numpy()
    estimate = minutes_between(lon, lat, lon, lat)
    t = minutes_between(lon, lat, lon, lat, from_ids=line.code_insee, to_ids=line.code_insee)
    assert t[0, 2] == 99.0 and t[4, 0] == 55.5
    others = np.ones_like(t, bool)
    others[0, 2] = others[4, 0] = False
    np.testing.assert_array_equal(t[others], estimate[others])
    np.testing.assert_array_equal(terr.minutes_from(line.code_insee), t)
    sites = minutes_between(lon, lat, [5.05, 5.15], [48.5, 48.5], from_ids=line.code_insee, to_ids=["S0", "S1"])
    assert sites[1, 1] == 7.0 and sites[0, 1] != 7.0
    # other settings or no ids: the estimate
    assert minutes_between(lon, lat, lon, lat, OLD, from_ids=line.code_insee, to_ids=line.code_insee)[0, 2] != 99.0
    assert minutes_between(lon, lat, lon, lat)[0, 2] != 99.0
    assert travel.describe().startswith("temps routés (geodata/travel_minutes.parquet, 3 paires)")
    assert not travel.describe(OLD).startswith("temps routés")


def test_routed_file_without_its_columns_is_refused_in_french(terr, tmp_path, monkeypatch):
    path = tmp_path / "travel_minutes.parquet"
    pd.DataFrame({"from": ["99000"], "minutes": [3.0]}).to_parquet(path)
    monkeypatch.setattr(travel, "ROUTED_MINUTES_PATH", path)
    with pytest.raises(ValueError, match="colonne\\(s\\) manquante\\(s\\) : origine, destination"):
        terr.minutes_from(["99000"])


def test_no_routed_file_is_committed():
    assert not travel.ROUTED_MINUTES_PATH.exists() and not travel.routed_matrix_available()


# ---------------------------------------------------------------------------------------------- command line
def write_csv(tmp_path, text):
    path = tmp_path / "pairs.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_cli(capsys, args):
    code = travel_cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_pairs_json_gives_one_time_per_row_by_the_app_function(tmp_path, capsys):
    path = write_csv(tmp_path, "name,from_lon,from_lat,to_lon,to_lat\nA,7.59,48.53,7.71,48.59\n"
                               "B,4.03,48.30,4.08,48.30\nC,6.0,48.0,6.0,49.0\n")
    code, out, _ = run_cli(capsys, ["--pairs", path, "--json"])
    assert code == 0
    res = json.loads(out)
    expected = np.diag(minutes_between([7.59, 4.03, 6.0], [48.53, 48.30, 48.0], [7.71, 4.08, 6.0],
                                       [48.59, 48.30, 49.0]))
    np.testing.assert_allclose(res["minutes"], expected, atol=1e-3)
    assert res["model"].startswith("temps estimé — calibré sur") and "report" not in res
    code, out, _ = run_cli(capsys, ["--pairs", path, "--json", "--model", "regle_1_3"])
    np.testing.assert_allclose(json.loads(out)["minutes"][2], 1.3 * haversine_km(6.0, 48.0, 6.0, 49.0), atol=1e-3)


def test_pairs_report_on_the_committed_bas_rhin_sample(samples, tmp_path, capsys):
    br = samples[samples["sample"] == "bas_rhin_osrm_2016"]
    path = tmp_path / "br.csv"
    br[["origin", "from_lon", "from_lat", "to_lon", "to_lat", "minutes"]].to_csv(path, index=False)
    code, out, _ = run_cli(capsys, ["--pairs", str(path), "--report", "--json"])
    assert code == 0
    report = json.loads(out)["report"]
    committed = travel.fit_report()["samples"]["bas_rhin_osrm_2016"]["all"]["calibre"]
    assert report["n"] == 4850
    assert report["mae"] == pytest.approx(committed["mae"], abs=0.01)
    assert report["bias"] == pytest.approx(committed["bias"], abs=0.01)
    for t in (30, 45, 60):
        assert report[f"agree_{t}"] == pytest.approx(committed[f"agree_{t}"], abs=1e-3)
    code, out, _ = run_cli(capsys, ["--pairs", str(path), "--report", "--json", "--model", "regle_1_3"])
    assert json.loads(out)["report"]["mae"] > report["mae"] * 2


@pytest.mark.parametrize("text, where", [
    ("from_lon,from_lat,to_lon\n7,48,7\n", "ligne 1 : colonne(s) manquante(s) : to_lat"),
    ("from_lon,from_lat,to_lon,to_lat\n7,48,7,49\n7,abc,7,49\n", "ligne 3 : valeur non numérique « abc »"),
    ("from_lon,from_lat,to_lon,to_lat\n7,95,7,49\n", "ligne 2 : from_lat = 95 hors limites"),
    ("from_lon,from_lat,to_lon,to_lat,minutes\n7,48,7,49,12\n7,48,181,49,3\n", "ligne 3 : to_lon = 181 hors limites"),
    ("from_lon,from_lat,to_lon,to_lat,minutes\n7,48,7,49,\n", "ligne 2 : valeur manquante dans la colonne minutes"),
])
def test_bad_pairs_exit_2_with_a_french_message_naming_the_line(tmp_path, capsys, text, where):
    code, out, err = run_cli(capsys, ["--pairs", write_csv(tmp_path, text), "--report", "--json"])
    assert code == 2 and out == ""
    assert err.startswith("Erreur : ") and where in err and "Traceback" not in err


def test_bad_arguments_exit_2_in_french(tmp_path, capsys):
    path = write_csv(tmp_path, "from_lon,from_lat,to_lon,to_lat\n7,48,7,49\n")
    assert run_cli(capsys, ["--pairs", path, "--time-factor", "9"])[0] == 2
    assert run_cli(capsys, ["--pairs", str(tmp_path / "absent.csv")])[2].startswith("Erreur : fichier illisible")
    with pytest.raises(SystemExit) as exc:
        travel_cli.main(["--pairs", path, "--model", "osrm"])
    assert exc.value.code == 2 and "arguments invalides" in capsys.readouterr().err
