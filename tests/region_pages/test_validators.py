"""Organisation numbers and coordinates: the rules every block and importer shares."""

from django.core.exceptions import ValidationError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from region_pages.blocks.validators import (
    ORGNR_WEIGHTS,
    coordinates_in_norway,
    orgnr_is_valid,
    validate_coordinates,
    validate_orgnr,
)


def check_digit(first_eight: str) -> int | None:
    """The check digit computed independently of the code under test (None: impossible)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, ORGNR_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    digit = 11 - remainder
    return None if digit == 10 else digit


eight_digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


@pytest.mark.parametrize(
    "number",
    ["974760673", "991825827", "889640782", "924203617"],  # real registered units
)
def test_real_organisation_numbers_are_valid(number):
    assert orgnr_is_valid(number)
    validate_orgnr(number)


@given(eight_digits)
def test_the_computed_check_digit_is_the_only_valid_ninth_digit(first_eight):
    expected = check_digit(first_eight)
    valid_endings = [d for d in "0123456789" if orgnr_is_valid(first_eight + d)]
    assert valid_endings == ([] if expected is None else [str(expected)])


@given(eight_digits, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_of_a_valid_number_is_detected(first_eight, position, delta):
    digit = check_digit(first_eight)
    if digit is None:
        return
    number = first_eight + str(digit)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    # Mod 11 with these weights catches every single-digit error.
    assert not orgnr_is_valid(changed)


@given(st.text(max_size=12).filter(lambda s: not (len(s) == 9 and s.isascii() and s.isdigit())))
def test_anything_but_nine_ascii_digits_is_refused(text):
    assert not orgnr_is_valid(text)
    with pytest.raises(ValidationError) as excinfo:
        validate_orgnr(text.replace(" ", "") or "x")
    assert excinfo.value.code in {"orgnr_format", "orgnr_checksum"}


def test_a_bad_check_digit_has_its_own_message():
    with pytest.raises(ValidationError) as excinfo:
        validate_orgnr("974760674")
    assert excinfo.value.code == "orgnr_checksum"
    assert "974760674" in excinfo.value.messages[0]


def test_spaces_between_digit_groups_are_accepted():
    validate_orgnr("974 760 673")


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (66.3128, 14.1428),  # Mo i Rana
        (65.8, 14.0),  # Røssvatnet
        (66.37, 12.37),  # Lovund
        (58.03, 7.05),  # Lindesnes
        (59.91, 10.75),  # Oslo
        (60.39, 5.32),  # Bergen
        (69.65, 18.96),  # Tromsø
        (71.17, 25.78),  # Nordkapp
        (69.73, 30.05),  # Kirkenes
        (69.47, 25.51),  # Karasjok
    ],
)
def test_places_in_norway_are_accepted(lat, lon):
    assert coordinates_in_norway(lat, lon)
    validate_coordinates(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (14.1428, 66.3128),  # Mo i Rana, swapped
        (-66.3128, 14.1428),  # wrong sign
        (59.33, 18.07),  # Stockholm
        (65.58, 22.15),  # Luleå
        (67.86, 20.23),  # Kiruna
        (63.18, 14.64),  # Östersund
        (68.66, 27.54),  # Ivalo
        (68.97, 33.08),  # Murmansk
        (55.68, 12.57),  # Copenhagen
        (78.22, 15.65),  # Longyearbyen
        (0, 0),
    ],
)
def test_swapped_or_foreign_points_are_refused(lat, lon):
    with pytest.raises(ValidationError) as excinfo:
        validate_coordinates(lat, lon)
    assert excinfo.value.code == "outside_norway"


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-90, max_value=90),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-180, max_value=180),
)
def test_the_validator_and_the_predicate_agree(lat, lon):
    inside = coordinates_in_norway(lat, lon)
    try:
        validate_coordinates(lat, lon)
    except ValidationError:
        assert not inside
    else:
        assert inside
