"""Building blocks shared by the region's structured blocks.

Codes, numbers, coordinates and URLs are never translated: they are field blocks that
wagtail-localize leaves alone (it translates only text blocks), so the English page keeps
the Norwegian page's values.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from ..images import image_representation
from .validators import validate_coordinates, validate_orgnr


class OrganisationNumberBlock(blocks.FieldBlock):
    """A Norwegian organisation number (9 digits, mod-11 check digit); never translated."""

    def __init__(self, required=False, help_text=None, **kwargs):
        self.field = forms.CharField(
            required=required,
            max_length=11,
            help_text=help_text,
            validators=[validate_orgnr],
        )
        super().__init__(**kwargs)

    def clean(self, value):
        # Stored without spaces, whatever the editor typed.
        return super().clean((value or "").replace(" ", ""))

    def get_api_representation(self, value, context=None):
        return value or None

    class Meta:
        icon = "tag"
        label = _("Organisation number")


class CoordinatesValue(blocks.StructValue):
    @property
    def is_set(self) -> bool:
        return self.get("latitude") is not None and self.get("longitude") is not None


class CoordinatesBlock(blocks.StructBlock):
    """A point in decimal degrees (WGS 84), inside Norway; both parts or neither."""

    latitude = blocks.FloatBlock(
        required=False,
        label=_("Latitude"),
        help_text=_("Decimal degrees north, for example 66.3128."),
    )
    longitude = blocks.FloatBlock(
        required=False,
        label=_("Longitude"),
        help_text=_("Decimal degrees east, for example 14.1428."),
    )

    def clean(self, value):
        value = super().clean(value)
        latitude, longitude = value.get("latitude"), value.get("longitude")
        if latitude is None and longitude is None:
            return value
        if latitude is None or longitude is None:
            missing = "latitude" if latitude is None else "longitude"
            raise StructBlockValidationError(
                block_errors={
                    missing: ValidationError(
                        _("Give both latitude and longitude, or leave both empty.")
                    )
                }
            )
        try:
            validate_coordinates(latitude, longitude)
        except ValidationError as error:
            raise StructBlockValidationError(block_errors={"latitude": error}) from error
        return value

    def get_api_representation(self, value, context=None):
        if not value.is_set:
            return None
        return {"latitude": value["latitude"], "longitude": value["longitude"]}

    class Meta:
        icon = "site"
        label = _("Coordinates")
        value_class = CoordinatesValue
        form_classname = "struct-block coordinates-block"


class EntryBlockMixin:
    """A block that becomes one typed entry in the read model (see `region_pages.entries`).

    `entry_kind` names the kind; `entry_columns` gives the columns that the theme pages
    and the partner API filter on. The entry's full data is the block's API representation.
    """

    entry_kind: str = ""

    def get_preview_value(self):
        """The preview value shaped like a stored one: Wagtail keeps only the keys the
        preview value gives, while loading from the database fills every missing child
        (nested ones too) with its default."""
        return self.to_python(self.get_prep_value(super().get_preview_value()))

    def entry_columns(self, value) -> dict:
        raise NotImplementedError


class PictureValue(blocks.StructValue):
    @property
    def alt(self) -> str:
        """The alternative text as the page prints it: empty for a decorative picture."""
        return "" if self.get("decorative") else self.get("alt_text", "")


class PictureBlock(blocks.StructBlock):
    """An optional picture with its alternative text, or marked as decorative.

    A plain struct block rather than Wagtail's `ImageBlock`: wagtail-localize cannot read
    an `ImageBlock` nested in a block whose stored value predates it (every block saved
    before pictures were added), and the alternative text is translated like any text.
    """

    image = ImageChooserBlock(
        required=False,
        label=_("Image"),
        help_text=_("Optional. Choose an image from your municipality's collection."),
    )
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        default="",
        label=_("Alternative text"),
        help_text=_(
            "What the picture shows, for someone who cannot see it. For example: Puffins "
            "on a rock ledge on Lovund."
        ),
    )
    decorative = blocks.BooleanBlock(
        required=False,
        default=False,
        label=_("The picture is decorative"),
        help_text=_("Tick only if the picture adds nothing the text does not already say."),
    )

    def clean(self, value):
        value = super().clean(value)
        if value["image"] and not value["decorative"] and not value["alt_text"].strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _(
                            "Describe the picture for readers who cannot see it, or mark it "
                            "as decorative."
                        )
                    )
                }
            )
        return value

    def get_api_representation(self, value, context=None):
        return image_representation(value["image"], value.alt) if value["image"] else None

    class Meta:
        icon = "image"
        label = _("Picture")
        value_class = PictureValue
        form_classname = "struct-block picture-block"
