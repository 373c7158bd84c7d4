"""The industry block: a sector in a municipality, its key employers and figures.

Key employers can be chosen from Enhetsregisteret's workplaces (its name, address and
employees then come from the register, unless the officer writes them), and the block
can show the register's count of workplaces and employees in its sector and municipality
(from the workplaces' SN2025 industry codes; `sources.figures` provides them through
`region_pages.registers`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from ..registers import provider
from .base import EntryBlockMixin, OrganisationNumberBlock, PictureBlock
from .choices import Sector
from .registers import (
    Unlisted,
    WorkplaceChooserBlock,
    listed,
    register_reference,
    source_reference,
)


@dataclass(frozen=True)
class EmployerFacts:
    name: str
    url: str
    org_number: str
    address: str = ""
    # Left out by the register below five employees.
    employees: int | None = None
    from_register: frozenset[str] = field(default_factory=frozenset)


class EmployerValue(blocks.StructValue):
    @cached_property
    def workplace(self):
        """The register's row for the chosen workplace, or None."""
        return listed(self.get("workplace"))

    @cached_property
    def facts(self) -> EmployerFacts:
        row = self.workplace
        chosen = self.get("workplace")
        if row is None:
            number = chosen.pk if isinstance(chosen, Unlisted) else self["org_number"] or ""
            return EmployerFacts(
                name=self["name"] or number, url=self["url"] or "", org_number=number
            )
        from_register = {"org_number"}
        for name, editor, register in (
            ("name", self["name"], row.name),
            ("url", self["url"], row.website),
        ):
            if not editor and register:
                from_register.add(name)
        if row.address:
            from_register.add("address")
        if row.employees is not None:
            from_register.add("employees")
        return EmployerFacts(
            name=self["name"] or row.name,
            url=self["url"] or row.website,
            org_number=row.org_number,
            address=row.address,
            employees=row.employees,
            from_register=frozenset(from_register),
        )


class EmployerBlock(blocks.StructBlock):
    """A key employer: chosen from the register, or written by hand."""

    workplace = WorkplaceChooserBlock(
        help_text=_(
            "Choose the workplace from Enhetsregisteret: its name, address and employees "
            "then come from the register. Or leave it empty and write the name below."
        ),
    )
    name = blocks.CharBlock(
        max_length=120,
        required=False,
        label=_("Name"),
        help_text=_(
            "The employer's name as it is known locally, for example Mo Industripark. "
            "Leave empty to use the register's name."
        ),
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

    def clean(self, value):
        value = super().clean(value)
        workplace = value.get("workplace")
        errors = {}
        if workplace is None and not value["name"]:
            errors["name"] = ValidationError(
                _("Give the employer's name, or choose the workplace from the register.")
            )
        if workplace is not None and value["org_number"] not in ("", workplace.org_number):
            errors["org_number"] = ValidationError(
                _(
                    "The chosen workplace has the organisation number %(number)s. Leave this "
                    "field empty: the register's number is used."
                ),
                params={"number": workplace.org_number},
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_api_representation(self, value, context=None):
        facts = value.facts
        return {
            "name": facts.name,
            "url": facts.url or None,
            "org_number": facts.org_number or None,
            "address": facts.address or None,
            "employees": facts.employees,
            "register_unit": register_reference(value.workplace),
            "from_register": [
                name
                for name in ("name", "url", "org_number", "address", "employees")
                if name in facts.from_register
            ],
        }

    class Meta:
        icon = "group"
        label = _("Employer")
        value_class = EmployerValue


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

    @property
    def uses_register(self) -> bool:
        return bool(self["register_figures"]) or any(
            employer.workplace is not None for employer in self["employers"]
        )


def register_figures(value, context) -> dict | None:
    """The register's workplaces and employees in the block's sector, in the municipality
    of the page it is on (None when the block does not ask, or there is no page or no
    register data)."""
    page = (context or {}).get("page")
    number = getattr(page, "municipality_number", None)
    if not value["register_figures"] or not number:
        return None
    figure = provider().figures_for(number, value["sector"])
    if figure is None:
        return None
    return {
        "municipality_number": number,
        "workplaces": figure.workplaces,
        "employees": figure.employees,
    }


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
    picture = PictureBlock(
        required=False,
        help_text=_(
            "Optional. Shown with the sector and on its card on the work page, for example "
            "a photo from a workplace in the municipality."
        ),
    )
    employers = blocks.ListBlock(EmployerBlock(), default=[], label=_("Key employers"))
    register_figures = blocks.BooleanBlock(
        required=False,
        default=False,
        label=_("Show workplaces and employees from the register"),
        help_text=_(
            "The number of workplaces in this sector in the municipality, and their "
            "employees, from Enhetsregisteret. Updated every night."
        ),
    )
    figures = blocks.ListBlock(FigureBlock(), default=[], label=_("Figures"))

    def entry_columns(self, value) -> dict:
        return {
            "name": value["heading"] or value.sector_label,
            "category": value["sector"],
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["register_figures"] = register_figures(value, parent_context)
        return context

    def get_api_representation(self, value, context=None):
        figures = register_figures(value, context)
        return {
            "sector": value["sector"],
            "sector_label": value.sector_label,
            "heading": value["heading"] or value.sector_label,
            "description": value["description"],
            "picture": self.child_blocks["picture"].get_api_representation(value["picture"]),
            "employers": [
                self.child_blocks["employers"].child_block.get_api_representation(item, context)
                for item in value["employers"]
            ],
            "figures": [
                self.child_blocks["figures"].child_block.get_api_representation(item)
                for item in value["figures"]
            ],
            "register_figures": (
                {**figures, "register_source": source_reference("brreg")} if figures else None
            ),
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
