"""Validators for the values a block holds: organisation numbers and coordinates.

They are plain functions so that blocks, model fields and importers share one rule.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Enhetsregisteret's check digit: weights 3 2 7 6 5 4 3 2 over the first eight digits,
# modulus 11. A remainder that gives 10 means the number cannot be valid.
ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

# A coarse outline of mainland Norway as (latitude, longitude): out at sea along the coast,
# and within a few kilometres of the land border with Sweden, Finland and Russia. It tells
# a Norwegian point from a swapped pair, a wrong sign or a point in a neighbouring country;
# it is no survey-grade border. Svalbard and Jan Mayen lie outside; none of the region does.
NORWAY_OUTLINE = (
    (57.7, 4.0), (57.7, 7.5), (58.8, 10.4), (59.05, 11.25), (59.15, 11.5),
    (59.9, 11.95), (60.9, 12.6), (61.7, 12.45), (62.3, 12.25), (63.0, 12.2),
    (63.6, 12.75), (64.1, 13.95), (64.6, 14.2), (65.2, 14.45), (65.7, 14.65),
    (66.2, 15.6), (66.8, 15.75), (67.3, 16.5), (67.9, 17.35), (68.4, 18.2),
    (68.6, 19.6), (69.07, 20.6), (69.25, 21.2), (68.85, 22.3), (68.6, 23.4),
    (68.6, 24.8), (69.05, 25.6), (69.45, 25.95), (69.9, 27.0), (70.1, 28.1),
    (69.85, 29.2), (69.05, 28.95), (69.45, 29.35), (69.67, 30.17), (69.8, 30.9),
    (70.3, 31.6), (71.4, 31.6), (71.4, 4.0),
)  # fmt: skip


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
    """Whether the point lies inside `NORWAY_OUTLINE` (even-odd ray casting)."""
    inside = False
    points = NORWAY_OUTLINE
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:] + points[:1], strict=True):
        if (lat1 > latitude) != (lat2 > latitude):
            crossing = lon1 + (latitude - lat1) * (lon2 - lon1) / (lat2 - lat1)
            if longitude < crossing:
                inside = not inside
    return inside


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
