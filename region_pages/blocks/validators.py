"""Validators for the values a block holds: organisation numbers and coordinates.

They are plain functions so that blocks, model fields and importers share one rule.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Enhetsregisteret's check digit: weights 3 2 7 6 5 4 3 2 over the first eight digits,
# modulus 11. A remainder that gives 10 means the number cannot be valid.
ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

# A box around mainland Norway (Lindesnes to Vardø, Utsira to Grense Jakobselv).
# Svalbard and Jan Mayen lie outside it; none of the region's places do.
NORWAY_LAT = (57.75, 71.25)
NORWAY_LON = (4.0, 31.5)


def orgnr_is_valid(value: str) -> bool:
    """Whether `value` is nine digits whose last is the mod-11 check digit."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, ORGNR_WEIGHTS, strict=False))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(value[8])


def validate_orgnr(value: str) -> None:
    compact = value.replace(" ", "")
    if len(compact) != 9 or not compact.isascii() or not compact.isdigit():
        raise ValidationError(
            _("An organisation number has exactly 9 digits, for example 974 760 673."),
            code="orgnr_format",
        )
    if not orgnr_is_valid(compact):
        raise ValidationError(
            _(
                "%(value)s is not a valid organisation number: the check digit does not "
                "match. Copy the number from the Brønnøysund Register Centre."
            ),
            code="orgnr_checksum",
            params={"value": compact},
        )


def coordinates_in_norway(latitude: float, longitude: float) -> bool:
    return (
        NORWAY_LAT[0] <= latitude <= NORWAY_LAT[1] and NORWAY_LON[0] <= longitude <= NORWAY_LON[1]
    )


def validate_coordinates(latitude: float, longitude: float) -> None:
    if not coordinates_in_norway(latitude, longitude):
        raise ValidationError(
            _(
                "The point %(lat)s, %(lon)s is outside Norway. Give latitude first, then "
                "longitude, in decimal degrees (Mo i Rana is 66.31, 14.14)."
            ),
            code="outside_norway",
            params={"lat": latitude, "lon": longitude},
        )
