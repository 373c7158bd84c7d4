"""The school or kindergarten block.

The officer chooses the unit from the school and kindergarten registers, and the block
shows the register's facts (levels, pupils or children, address, coordinates, website);
a field the officer fills in overrides the register's value, and the description says
what no register can. Without a chosen unit the block is written by hand, as before.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .base import (
    CoordinatesBlock,
    EntryBlockMixin,
    OrganisationNumberBlock,
    PictureBlock,
)
from .choices import SchoolLevel
from .registers import RegisterUnitChooserBlock, Unlisted, listed, register_reference

# Fields the register can fill in, in the order the API lists them.
REGISTER_FIELDS = ("name", "level", "years", "pupils", "address", "coordinates", "website")


def level_from_register(unit) -> str:
    """The block's level for a register unit, or "" when the register does not say."""
    if unit.kind == "kindergarten":
        return SchoolLevel.KINDERGARTEN
    if unit.is_upper_secondary and not unit.is_primary:
        return SchoolLevel.UPPER_SECONDARY
    low, high = unit.level_from, unit.level_to
    if low is None or high is None:
        return ""
    if high <= 7:
        return SchoolLevel.PRIMARY
    if low >= 11:
        return SchoolLevel.UPPER_SECONDARY
    if low >= 8 and high <= 10:
        return SchoolLevel.LOWER_SECONDARY
    if high <= 10:
        return SchoolLevel.COMBINED
    return ""


@dataclass(frozen=True)
class SchoolFacts:
    """What the page shows: the editor's value where there is one, else the register's."""

    name: str
    level: str
    pupils: int | None
    address: str
    latitude: float | None
    longitude: float | None
    website: str
    org_number: str
    # School years (1-13), or ages for a kindergarten, from the register.
    years: tuple[int, int] | None = None
    from_register: frozenset[str] = field(default_factory=frozenset)

    @property
    def level_label(self) -> str:
        return str(SchoolLevel(self.level).label) if self.level else ""

    @property
    def is_kindergarten(self) -> bool:
        return self.level == SchoolLevel.KINDERGARTEN

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def map_url(self) -> str:
        if not self.has_coordinates:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
            f"#map=16/{self.latitude}/{self.longitude}"
        )


class SchoolValue(blocks.StructValue):
    @cached_property
    def unit(self):
        """The register's row for the chosen unit, or None."""
        return listed(self.get("unit"))

    @cached_property
    def facts(self) -> SchoolFacts:
        unit = self.unit
        chosen = self.get("unit")
        coordinates = self["coordinates"]
        from_register = set()

        def pick(name, editor, register):
            if editor not in (None, "") or unit is None:
                return editor
            if register not in (None, ""):
                from_register.add(name)
            return register

        years = None
        if unit is not None and unit.level_from is not None and unit.level_to is not None:
            years = (unit.level_from, unit.level_to)
            from_register.add("years")
        if coordinates.is_set or unit is None or unit.latitude is None:
            latitude, longitude = coordinates.get("latitude"), coordinates.get("longitude")
        else:
            latitude, longitude = unit.latitude, unit.longitude
            from_register.add("coordinates")
        registered = unit.org_number if unit is not None else ""
        if isinstance(chosen, Unlisted):
            registered = chosen.pk
        name = pick("name", self["name"], unit.name if unit else "")
        return SchoolFacts(
            # A stored block always has a name or a unit; the number is a last resort.
            name=name or registered,
            # Only content that skipped validation has neither; it reads as combined.
            level=pick("level", self["level"], level_from_register(unit) if unit else "")
            or SchoolLevel.COMBINED,
            pupils=pick("pupils", self["pupils"], unit.pupils if unit else None),
            address=pick("address", self["address"], unit.address if unit else ""),
            latitude=latitude,
            longitude=longitude,
            website=pick("website", self["website"], unit.website if unit else ""),
            org_number=registered or self["org_number"] or "",
            years=years,
            from_register=frozenset(from_register),
        )

    # Kept for the templates and the read model that used them.
    @property
    def level_label(self) -> str:
        return self.facts.level_label

    @property
    def is_kindergarten(self) -> bool:
        return self.facts.is_kindergarten

    @property
    def register_source(self) -> str:
        return self.unit.source_name if self.unit is not None else ""


class SchoolBlock(EntryBlockMixin, blocks.StructBlock):
    """A kindergarten, school or place of adult or higher education."""

    entry_kind = "school"

    unit = RegisterUnitChooserBlock(
        help_text=_(
            "Choose the school or kindergarten from the national registers: its name, "
            "levels, pupils or children, address, coordinates and website then come from "
            "the register and stay up to date. Fill in a field below only to say something "
            "else than the register."
        ),
    )
    name = blocks.CharBlock(
        max_length=160,
        required=False,
        label=_("Name"),
        help_text=_(
            "The official name, for example Polarsirkelen videregående skole. Leave empty to "
            "use the register's name."
        ),
    )
    level = blocks.ChoiceBlock(
        choices=SchoolLevel.choices,
        required=False,
        label=_("Level"),
        help_text=_(
            "Kindergarten, primary, lower or upper secondary, or higher education. Leave "
            "empty to use the register's levels."
        ),
    )
    pupils = blocks.IntegerBlock(
        min_value=0,
        required=False,
        label=_("Pupils or children"),
        help_text=_(
            "How many pupils (or children, for a kindergarten). Optional. For example: 120."
        ),
    )
    description = blocks.TextBlock(
        required=False,
        label=_("Description"),
        help_text=_(
            "Optional. What makes this place special, in one or two sentences. For "
            "example: A small school by the sea with outdoor lessons every week."
        ),
    )
    picture = PictureBlock(
        required=False,
        help_text=_(
            "Optional. Shown with the school and on its card on the growing-up page, for "
            "example a photo of the building or the playground."
        ),
    )
    address = blocks.CharBlock(
        max_length=200,
        required=False,
        label=_("Address"),
        help_text=_("Street address and postcode, for example Verkstedveien 1, 8624 Mo i Rana."),
    )
    coordinates = CoordinatesBlock(required=False)
    website = blocks.URLBlock(
        required=False,
        label=_("Website"),
        help_text=_("The school's own page. For example: https://www.nesna.kommune.no/"),
    )
    org_number = OrganisationNumberBlock(
        label=_("Organisation number"),
        help_text=_("The unit's nine-digit number in the registers. Optional."),
    )

    def clean(self, value):
        value = super().clean(value)
        unit = value.get("unit")
        errors = {}
        if unit is None:
            if not value["name"]:
                errors["name"] = ValidationError(
                    _("Give the name, or choose the unit from the register.")
                )
            if not value["level"]:
                errors["level"] = ValidationError(
                    _("Choose the level, or choose the unit from the register.")
                )
        else:
            if not value["level"] and not level_from_register(unit):
                errors["level"] = ValidationError(
                    _("The register does not say which years this unit teaches: choose the level.")
                )
            if value["org_number"] and value["org_number"] != unit.org_number:
                errors["org_number"] = ValidationError(
                    _(
                        "The chosen unit has the organisation number %(number)s. Leave this "
                        "field empty: the register's number is used."
                    ),
                    params={"number": unit.org_number},
                )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def entry_columns(self, value) -> dict:
        facts = value.facts
        return {
            "name": facts.name,
            "category": facts.level,
            "latitude": facts.latitude if facts.has_coordinates else None,
            "longitude": facts.longitude if facts.has_coordinates else None,
        }

    def get_api_representation(self, value, context=None):
        facts = value.facts
        return {
            "name": facts.name,
            "level": facts.level,
            "level_label": facts.level_label,
            "years": (
                {
                    "first": facts.years[0],
                    "last": facts.years[1],
                    "unit": "age" if value.unit.kind == "kindergarten" else "school_year",
                }
                if facts.years
                else None
            ),
            "pupils": facts.pupils,
            "description": value["description"] or None,
            "picture": self.child_blocks["picture"].get_api_representation(value["picture"]),
            "address": facts.address or None,
            "coordinates": (
                {"latitude": facts.latitude, "longitude": facts.longitude}
                if facts.has_coordinates
                else None
            ),
            "website": facts.website or None,
            "org_number": facts.org_number or None,
            "register_unit": register_reference(value.unit),
            "from_register": [name for name in REGISTER_FIELDS if name in facts.from_register],
        }

    class Meta:
        icon = "home"
        label = _("School or kindergarten")
        description = _(
            "A kindergarten, school or place of study, with its facts from the registers."
        )
        template = "region_pages/blocks/school.html"
        value_class = SchoolValue
        preview_value = {
            "name": "Polarsirkelen videregående skole",
            "level": SchoolLevel.UPPER_SECONDARY,
            "address": "Mo i Rana",
        }
