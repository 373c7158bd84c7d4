"""The general blocks every page can use: text, image, facts, links and quotes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from ..images import absolute_url, image_representation

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
SITE_RELATIVE_LINK = re.compile(r'\b(href|src)="(/[^/"][^"]*|/)"')


class ParagraphBlock(blocks.RichTextBlock):
    """Running text with headings, lists and links."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Short paragraphs with headings (H2, then H3) and links whose text says "
                "where they lead. For example: a link text “Bus times to Mo i Rana”, not "
                "“click here”."
            ),
        )
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    def get_api_representation(self, value, context=None):
        # Internal links resolved to absolute public URLs, since partners show the text on
        # their own sites. Pages are linked in the active language (callers override it).
        return SITE_RELATIVE_LINK.sub(
            lambda match: f'{match[1]}="{absolute_url(match[2])}"', str(value)
        )

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        description = _("Running text with headings, lists and links.")
        template = "region_pages/blocks/paragraph.html"
        preview_value = "<p>Ranaregionen er fire kommuner med kyst, fjell og industri.</p>"


class CaptionedImageBlock(blocks.StructBlock):
    """An image with the text a screen reader speaks and an optional visible caption."""

    image = ImageChooserBlock(
        label=_("Image"),
        help_text=_("Choose an image from your municipality's collection, or upload one."),
    )
    alt_text = blocks.CharBlock(
        max_length=250,
        label=_("Alternative text"),
        help_text=_(
            "What the image shows, for someone who cannot see it. For example: "
            "Ranfjorden seen from the town centre on a summer evening."
        ),
    )
    caption = blocks.CharBlock(
        max_length=250,
        required=False,
        label=_("Caption"),
        help_text=_("Optional, shown under the image. For example: Photo: Lurøy kommune."),
    )

    def get_api_representation(self, value, context=None):
        return {
            "image": image_representation(value["image"], value["alt_text"]),
            "caption": value["caption"] or None,
        }

    class Meta:
        icon = "image"
        label = _("Image")
        description = _("An image with alternative text and an optional caption.")
        template = "region_pages/blocks/image.html"


class FactBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80, label=_("Label"), help_text=_("For example: Airport."))
    value = blocks.CharBlock(
        max_length=200, label=_("Value"), help_text=_("For example: Mo i Rana lufthavn, Røssvoll.")
    )

    class Meta:
        icon = "list-ul"
        label = _("Fact")


class FactsBlock(blocks.StructBlock):
    """A short list of facts shown as a definition list."""

    heading = blocks.CharBlock(
        max_length=120,
        required=False,
        label=_("Heading"),
        help_text=_("Optional. For example: Getting here."),
    )
    facts = blocks.ListBlock(FactBlock(), min_num=1, label=_("Facts"))

    class Meta:
        icon = "list-ul"
        label = _("Facts")
        description = _("A short list of facts, such as distances or travel times.")
        template = "region_pages/blocks/facts.html"
        preview_value = {
            "heading": "Fakta",
            "facts": [{"label": "Kommunenummer", "value": "1833"}],
        }


class LinkValue(blocks.StructValue):
    @property
    def href(self) -> str:
        page = self.get("page")
        if page is not None:
            # A link chosen on the Norwegian page leads English readers to the English
            # page when there is one.
            return page.localized.url
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A link to a page on this site or to another website; exactly one of the two."""

    text = blocks.CharBlock(
        max_length=120,
        label=_("Link text"),
        help_text=_("Says where the link leads. For example: Job vacancies in Lurøy."),
    )
    page = blocks.PageChooserBlock(
        required=False,
        label=_("Page on this site"),
        help_text=_("A page on this site; or fill in Other website instead."),
    )
    url = blocks.URLBlock(
        required=False,
        label=_("Other website"),
        help_text=_("A full address. For example: https://www.luroy.kommune.no/"),
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Choose either a page on this site or a web address (one of the two).")
                    )
                }
            )
        return value

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "url": absolute_url(value.href)}

    class Meta:
        icon = "link"
        label = _("Link")
        value_class = LinkValue


class LinksBlock(blocks.StructBlock):
    """A heading and a few links, shown as a call to action."""

    heading = blocks.CharBlock(
        max_length=120,
        required=False,
        label=_("Heading"),
        help_text=_("Optional. For example: Read more."),
    )
    links = blocks.ListBlock(LinkBlock(), min_num=1, label=_("Links"))

    class Meta:
        icon = "link"
        label = _("Links")
        description = _("One or more links, shown as a call to action.")
        template = "region_pages/blocks/links.html"
        preview_value = {
            "heading": "Les mer",
            "links": [{"text": "Rana kommune", "url": "https://www.rana.kommune.no"}],
        }


class QuoteBlock(blocks.StructBlock):
    """A quotation and who said it."""

    quote = blocks.TextBlock(
        label=_("Quotation"),
        help_text=_("The words as they were said. For example: Here the sea is our road."),
    )
    attribution = blocks.CharBlock(
        max_length=120,
        required=False,
        label=_("Who said it"),
        help_text=_("Name and role. For example: Kari Nordmann, fisher on Lovund."),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        description = _("A quotation with the name of the person who said it.")
        template = "region_pages/blocks/quote.html"
        preview_value = {
            "quote": "Det er helheten i regionen som avgjør om vi er attraktive.",
            "attribution": "Ranaregionen, 2016",
        }
