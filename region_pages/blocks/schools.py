"""The school or kindergarten block."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from .base import CoordinatesBlock, EntryBlockMixin, OrganisationNumberBlock
from .choices import SchoolLevel


class SchoolValue(blocks.StructValue):
    @property
    def level_label(self) -> str:
        return str(SchoolLevel(self["level"]).label)

    @property
    def is_kindergarten(self) -> bool:
        return self["level"] == SchoolLevel.KINDERGARTEN


class SchoolBlock(EntryBlockMixin, blocks.StructBlock):
    """A kindergarten, school or place of adult or higher education."""

    entry_kind = "school"

    name = blocks.CharBlock(
        max_length=160,
        label=_("Name"),
        help_text=_("The official name, for example Polarsirkelen videregående skole."),
    )
    level = blocks.ChoiceBlock(
        choices=SchoolLevel.choices,
        label=_("Level"),
        help_text=_("Kindergarten, primary, lower or upper secondary, or higher education."),
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

    def entry_columns(self, value) -> dict:
        coordinates = value["coordinates"]
        return {
            "name": value["name"],
            "category": value["level"],
            "latitude": coordinates.get("latitude") if coordinates.is_set else None,
            "longitude": coordinates.get("longitude") if coordinates.is_set else None,
        }

    def get_api_representation(self, value, context=None):
        return {
            "name": value["name"],
            "level": value["level"],
            "level_label": value.level_label,
            "pupils": value["pupils"],
            "description": value["description"] or None,
            "address": value["address"] or None,
            "coordinates": self.child_blocks["coordinates"].get_api_representation(
                value["coordinates"]
            ),
            "website": value["website"] or None,
            "org_number": value["org_number"] or None,
        }

    class Meta:
        icon = "home"
        label = _("School or kindergarten")
        description = _("A kindergarten, school or place of study, with its facts.")
        template = "region_pages/blocks/school.html"
        value_class = SchoolValue
        preview_value = {
            "name": "Polarsirkelen videregående skole",
            "level": SchoolLevel.UPPER_SECONDARY,
            "address": "Mo i Rana",
        }
