import numpy as np
import pytest

from models.travel import (TravelSettings, distance_matrix_km, great_circle_km_from_vectors, haversine_km,
                           travel_time_matrix, unit_vectors)
from tests.unit import fake_geodata


@pytest.fixture
def line(monkeypatch):
    com = fake_geodata.make_communes([1000, 2000, 3000, 4000, 5000])
    fake_geodata.install(monkeypatch, com)
    yield com
    fake_geodata.clear_caches()


def test_haversine_one_degree_of_latitude_is_about_111_km():
    assert haversine_km(6.0, 48.0, 6.0, 49.0) == pytest.approx(111.2, abs=0.1)


def test_vector_distance_matches_haversine():
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(3.3, 8.3, 200), rng.uniform(47.4, 50.2, 200)
    v = unit_vectors(lon, lat)
    assert np.abs(great_circle_km_from_vectors(v, v) - distance_matrix_km(lon, lat, lon, lat)).max() < 1e-3


def test_settings_defaults_and_minutes_per_km():
    s = TravelSettings()
    assert (s.detour_factor, s.speed_kmh) == (1.3, 60.0)
    assert s.minutes_per_km == pytest.approx(1.3)
    assert s.km_for_minutes(30) == pytest.approx(30 / 1.3)


@pytest.mark.parametrize("kwargs", [{"detour_factor": 0.9}, {"speed_kmh": 0}, {"speed_kmh": 500}])
def test_settings_reject_out_of_range_values(kwargs):
    with pytest.raises(ValueError):
        TravelSettings(**kwargs)


def test_travel_time_matrix_is_distance_times_detour_over_speed(line):
    s = TravelSettings(detour_factor=1.5, speed_kmh=45)
    t = travel_time_matrix(line.code_insee[:2], line.code_insee, s)
    km = distance_matrix_km(line.lon[:2], line.lat[:2], line.lon, line.lat)
    assert t.shape == (2, 5)
    np.testing.assert_allclose(t, km * 1.5 / 45 * 60, atol=1e-3)
    assert np.allclose(np.diag(t[:, :2]), 0, atol=1e-3)  # same point: 0 to < 1 m


def test_travel_time_matrix_defaults_to_every_commune_and_float32(line):
    t = travel_time_matrix(["99002"], None, dtype=np.float32)
    assert t.shape == (1, 5) and t.dtype == np.float32
    assert np.argmin(t[0]) == 2


def test_unknown_code_raises_keyerror_in_french(line):
    with pytest.raises(KeyError, match="Code commune inconnu"):
        travel_time_matrix(["00000"], None)
