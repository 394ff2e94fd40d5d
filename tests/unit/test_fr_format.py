"""The one French number formatter (Babel, fr_FR) and the display helpers."""
import math

import pytest

from models.text import fr_format as F

G, NB = "\u202f", "\u00a0"  # Babel's group separator, the no-break space before a unit


@pytest.mark.parametrize("x, decimals, expected", [
    (12345.6, 0, f"12{G}346"), (9.06, 1, "9,1"), (-0.04, 1, "0,0"), (0, 0, "0"), (1234567.891, 2, f"1{G}234{G}567,89"),
    (-2.5, 1, "-2,5"), (None, 0, "—"), (float("nan"), 1, "—"),
])
def test_numbers_use_comma_decimals_narrow_space_groups_and_never_minus_zero(x, decimals, expected):
    assert F.num(x, decimals) == expected


def test_short_numbers_drop_trailing_zeros_and_units_stay_attached():
    assert (F.num_short(2.50), F.num_short(3.0), F.num_short(0.125, 2)) == ("2,5", "3", "0,12")
    assert F.pct(9.06) == f"9,1{NB}%" and F.km(3.24) == f"3,2{NB}km" and F.km(31.6) == f"32{NB}km"
    assert F.minutes(29.6) == f"30{NB}min" and F.seconds(0.034) == f"0,03{NB}s"
    assert (F.euros(850), F.euros(12_500), F.euros(1_350_000)) == (f"850{NB}€", f"12{NB}k€", f"1,35{NB}M€")


def test_french_plurals_take_the_singular_for_zero_and_one():
    assert (F.plural(0, "lycée"), F.plural(1, "lycée"), F.plural(3, "lycée")) == ("0 lycée", "1 lycée", "3 lycées")
    assert F.plural(2, "mission locale", "missions locales") == "2 missions locales"


@pytest.mark.parametrize("text, value", [("1 234,5", 1234.5), (f"1{G}234,5", 1234.5), ("1234.5", 1234.5), (7, 7.0)])
def test_numbers_typed_either_way_are_read(text, value):
    assert F.parse_number(text) == value


def test_parse_refuses_text_and_leaves_range_checks_to_the_caller():
    with pytest.raises(ValueError):
        F.parse_number("deux")
    assert math.isinf(F.parse_number("inf"))


def test_names_written_in_capitals_by_a_source_are_normalised_for_display():
    assert F.display_name("POLE EMPLOI EPINAL") == "Pole Emploi Epinal"
    assert F.display_name("SAINT-DIE DES VOSGES") == "Saint-Die des Vosges"
    assert F.display_name("Mission Locale de Troyes") == "Mission Locale de Troyes"  # already written well
    assert (F.de("Épinal"), F.de("Troyes"), F.date("2024-12-20")) == ("d'Épinal", "de Troyes", "20/12/2024")
