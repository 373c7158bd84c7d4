"""The blocks of the region's pages, split by concern.

`ArticleBodyBlock` holds the general blocks; `MunicipalityBodyBlock` adds the structured
blocks (industry, leisure, school) whose values become entries in the read model.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from .base import CoordinatesBlock, EntryBlockMixin, OrganisationNumberBlock
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
from .schools import SchoolBlock


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    facts = FactsBlock()
    links = LinksBlock()
    quote = QuoteBlock()

    class Meta:
        label = _("Body")


class MunicipalityBodyBlock(ArticleBodyBlock):
    industry = IndustryBlock()
    leisure = LeisureActivityBlock()
    school = SchoolBlock()


__all__ = [
    "ArticleBodyBlock",
    "CaptionedImageBlock",
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
    "SchoolBlock",
]
