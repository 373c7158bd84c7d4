"""The industry block: a sector in a municipality, its key employers and figures."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from .base import EntryBlockMixin, OrganisationNumberBlock
from .choices import Sector


class EmployerBlock(blocks.StructBlock):
    """A key employer: its name, website and (optionally) organisation number."""

    name = blocks.CharBlock(
        max_length=120,
        label=_("Name"),
        help_text=_("The employer's name as it is known locally, for example Mo Industripark."),
    )
    url = blocks.URLBlock(
        required=False,
        label=_("Website"),
        help_text=_(
            "The employer's own website, starting with https://. For example: "
            "https://www.moindustripark.no/"
        ),
    )
    org_number = OrganisationNumberBlock(
        label=_("Organisation number"),
        help_text=_("Nine digits from the Brønnøysund Register Centre. Optional."),
    )

    def get_api_representation(self, value, context=None):
        return {
            "name": value["name"],
            "url": value["url"] or None,
            "org_number": value["org_number"] or None,
        }

    class Meta:
        icon = "group"
        label = _("Employer")


class FigureBlock(blocks.StructBlock):
    """A figure about the sector, such as employees, with the year it refers to."""

    label = blocks.CharBlock(
        max_length=80,
        label=_("What is counted"),
        help_text=_("For example: employees, or workplaces."),
    )
    value = blocks.IntegerBlock(
        min_value=0, label=_("Number"), help_text=_("A whole number. For example: 2300.")
    )
    year = blocks.IntegerBlock(
        min_value=1900,
        max_value=2100,
        required=False,
        label=_("Year"),
        help_text=_("The year the number refers to. For example: 2024."),
    )

    def get_api_representation(self, value, context=None):
        return {"label": value["label"], "value": value["value"], "year": value["year"]}

    class Meta:
        icon = "table"
        label = _("Figure")


class IndustryValue(blocks.StructValue):
    @property
    def sector_label(self) -> str:
        return str(Sector(self["sector"]).label)


class IndustryBlock(EntryBlockMixin, blocks.StructBlock):
    """An industry sector in the municipality: what it does, who employs, how many."""

    entry_kind = "industry"

    sector = blocks.ChoiceBlock(
        choices=Sector.choices,
        label=_("Sector"),
        help_text=_("The sector this section describes."),
    )
    heading = blocks.CharBlock(
        max_length=120,
        required=False,
        label=_("Heading"),
        help_text=_("Optional. Leave empty to use the sector's name. For example: Aquaculture."),
    )
    description = blocks.TextBlock(
        label=_("Description"),
        help_text=_(
            "Two or three sentences on what the sector does here and who it needs. For "
            "example: Salmon farming around Lovund employs many, and needs technicians."
        ),
    )
    employers = blocks.ListBlock(EmployerBlock(), default=[], label=_("Key employers"))
    figures = blocks.ListBlock(FigureBlock(), default=[], label=_("Figures"))

    def entry_columns(self, value) -> dict:
        return {
            "name": value["heading"] or value.sector_label,
            "category": value["sector"],
        }

    def get_api_representation(self, value, context=None):
        return {
            "sector": value["sector"],
            "sector_label": value.sector_label,
            "heading": value["heading"] or value.sector_label,
            "description": value["description"],
            "employers": [
                self.child_blocks["employers"].child_block.get_api_representation(item)
                for item in value["employers"]
            ],
            "figures": [
                self.child_blocks["figures"].child_block.get_api_representation(item)
                for item in value["figures"]
            ],
        }

    class Meta:
        icon = "cogs"
        label = _("Industry")
        description = _("A sector of working life in the municipality, with key employers.")
        template = "region_pages/blocks/industry.html"
        value_class = IndustryValue
        preview_value = {
            "sector": Sector.INDUSTRY,
            "description": "Prosessindustrien i Mo Industripark gir arbeid til mange.",
            "employers": [{"name": "Mo Industripark", "url": "https://www.moindustripark.no"}],
            "figures": [],
        }
