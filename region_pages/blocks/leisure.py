"""The leisure activity block: what to do, where, and in which seasons."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .base import CoordinatesBlock, EntryBlockMixin, PictureBlock
from .choices import LeisureCategory, Season


class LeisureValue(blocks.StructValue):
    @property
    def category_label(self) -> str:
        return str(LeisureCategory(self["category"]).label)

    @property
    def season_labels(self) -> list[str]:
        return [str(Season(code).label) for code in self.ordered_seasons]

    @property
    def ordered_seasons(self) -> list[str]:
        chosen = set(self["seasons"])
        return [code for code in Season.values if code in chosen]


class LeisureActivityBlock(EntryBlockMixin, blocks.StructBlock):
    """A leisure activity: name, category, seasons, description, place and link."""

    entry_kind = "leisure"

    name = blocks.CharBlock(
        max_length=120, label=_("Name"), help_text=_("For example: Hiking in Okstindan.")
    )
    category = blocks.ChoiceBlock(
        choices=LeisureCategory.choices,
        label=_("Category"),
        help_text=_("The kind of activity; the leisure page groups activities by it."),
    )
    seasons = blocks.MultipleChoiceBlock(
        choices=Season.choices,
        # Checked in clean(), which says what is missing.
        required=False,
        label=_("Seasons"),
        help_text=_("Choose every season the activity can be enjoyed; at least one."),
        widget=forms.CheckboxSelectMultiple,
    )
    description = blocks.TextBlock(
        label=_("Description"),
        help_text=_(
            "What a newcomer needs to know: what it is, how to get there, for whom. For "
            "example: The puffins nest on Lovund from April; the ferry leaves from Stokkvågen."
        ),
    )
    picture = PictureBlock(
        required=False,
        help_text=_(
            "Optional. Shown with the activity and on its card on the leisure page, for "
            "example a photo of the place."
        ),
    )
    place_name = blocks.CharBlock(
        max_length=120,
        label=_("Place"),
        help_text=_("The place name as it is written on the map, for example Lovund."),
    )
    coordinates = CoordinatesBlock(required=False)
    url = blocks.URLBlock(
        required=False,
        label=_("Link"),
        help_text=_(
            "Where to read more or book, starting with https://. For example: "
            "https://www.luroy.kommune.no/"
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("seasons"):
            raise StructBlockValidationError(
                block_errors={"seasons": ValidationError(_("Choose at least one season."))}
            )
        return value

    def entry_columns(self, value) -> dict:
        coordinates = value["coordinates"]
        return {
            "name": value["name"],
            "category": value["category"],
            "seasons": value.ordered_seasons,
            "latitude": coordinates.get("latitude") if coordinates.is_set else None,
            "longitude": coordinates.get("longitude") if coordinates.is_set else None,
        }

    def get_api_representation(self, value, context=None):
        return {
            "name": value["name"],
            "category": value["category"],
            "category_label": value.category_label,
            "seasons": value.ordered_seasons,
            "description": value["description"],
            "picture": self.child_blocks["picture"].get_api_representation(value["picture"]),
            "place_name": value["place_name"],
            "coordinates": self.child_blocks["coordinates"].get_api_representation(
                value["coordinates"]
            ),
            "url": value["url"] or None,
        }

    class Meta:
        icon = "pick"
        label = _("Leisure activity")
        description = _("Something to do in the municipality, with seasons and a place.")
        template = "region_pages/blocks/leisure.html"
        value_class = LeisureValue
        preview_value = {
            "name": "Lundefuglene på Lovund",
            "category": LeisureCategory.NATURE,
            "seasons": [Season.SPRING, Season.SUMMER],
            "description": "Fra midten av april hekker lundefugl i fuglefjellet på Lovund.",
            "place_name": "Lovund",
            "coordinates": {"latitude": 66.37, "longitude": 12.36},
        }
