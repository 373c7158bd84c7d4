"""The blocks of the region's pages, split by concern.

`ArticleBodyBlock` holds the general blocks; `MunicipalityBodyBlock` adds the structured
blocks (industry, leisure, school) whose values become entries in the read model. The
school and industry blocks can rest on the registers the open data pipeline imports
(`registers`: choosers for register units and workplaces).
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from .admission import AdmissionBlock
from .arrival import ArrivalStepBlock, ArrivalStepsBlock
from .base import CoordinatesBlock, EntryBlockMixin, OrganisationNumberBlock
from .contacts import ContactBlock
from .general import (
    CaptionedImageBlock,
    FactsBlock,
    LinkBlock,
    LinksBlock,
    ParagraphBlock,
    QuoteBlock,
)
from .industry import IndustryBlock
from .leisure import LeisureActivityBlock
from .registers import RegisterUnitChooserBlock, WorkplaceChooserBlock
from .schools import SchoolBlock


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    facts = FactsBlock()
    links = LinksBlock()
    quote = QuoteBlock()
    contact = ContactBlock()

    class Meta:
        label = _("Body")


class MunicipalityBodyBlock(ArticleBodyBlock):
    industry = IndustryBlock()
    leisure = LeisureActivityBlock()
    school = SchoolBlock()
    admission = AdmissionBlock()


__all__ = [
    "AdmissionBlock",
    "ArrivalStepBlock",
    "ArrivalStepsBlock",
    "ArticleBodyBlock",
    "CaptionedImageBlock",
    "ContactBlock",
    "CoordinatesBlock",
    "EntryBlockMixin",
    "FactsBlock",
    "IndustryBlock",
    "LeisureActivityBlock",
    "LinkBlock",
    "LinksBlock",
    "MunicipalityBodyBlock",
    "OrganisationNumberBlock",
    "ParagraphBlock",
    "QuoteBlock",
    "RegisterUnitChooserBlock",
    "SchoolBlock",
    "WorkplaceChooserBlock",
]
