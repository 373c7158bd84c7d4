"""Every field an editor fills in says what it is for, with an example where they type;
every block has a preview in the block chooser; and the admin shows it in Norwegian."""

from django.db import models
from django.urls import reverse
from django.utils import translation

from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

import pytest

from region_pages.models import ArrivalGuidePage, ArticlePage, HomePage, MunicipalityPage, ThemePage

PAGE_MODELS = [HomePage, MunicipalityPage, ThemePage, ArticlePage, ArrivalGuidePage]
# Where an editor types free text or a number, the help text gives an example.
TYPED = (models.CharField, models.TextField, models.URLField, models.IntegerField)
TYPED_BLOCKS = (blocks.CharBlock, blocks.TextBlock, blocks.URLBlock, blocks.IntegerBlock)
# Wagtail's own page fields, whose help texts Wagtail writes (and translates).
WAGTAIL_FIELDS = {"title", "slug", "seo_title", "search_description", "go_live_at", "expire_at"}


def panel_fields(model):
    form_class = model.get_edit_handler().get_form_class()
    names = {field.name for field in model._meta.get_fields()}
    return [n for n in form_class.base_fields if n in names and n not in WAGTAIL_FIELDS]


def all_blocks(block, path):
    """Every block inside `block`, with a readable path."""
    children = getattr(block, "child_blocks", None)
    if children:
        for name, child in children.items():
            yield f"{path}.{name}", child
            yield from all_blocks(child, f"{path}.{name}")
    if isinstance(block, blocks.ListBlock):
        yield from all_blocks(block.child_block, f"{path}[]")


def page_field_cases():
    for model in PAGE_MODELS:
        for name in panel_fields(model):
            yield pytest.param(model, name, id=f"{model.__name__}.{name}")


@pytest.mark.parametrize(("model", "name"), list(page_field_cases()))
def test_every_page_field_has_help_text(model, name):
    field = model._meta.get_field(name)
    if isinstance(field, StreamField):
        return  # its blocks are checked below
    with translation.override("en"):  # the source texts; the catalogue test checks nb
        help_text = str(field.help_text)
    assert help_text.strip(), f"{model.__name__}.{name} has no help text"
    if isinstance(field, TYPED) and not field.choices:
        assert "example" in help_text.lower(), f"{model.__name__}.{name}: {help_text}"


def block_cases():
    seen = set()
    for model in PAGE_MODELS:
        for name in panel_fields(model):
            field = model._meta.get_field(name)
            if isinstance(field, StreamField):
                for path, block in all_blocks(field.stream_block, model.__name__):
                    key = path.split(".", 1)[1]
                    if key not in seen:
                        seen.add(key)
                        yield pytest.param(block, id=key)


@pytest.mark.parametrize("block", list(block_cases()))
def test_every_block_field_says_what_it_is_for(block):
    if isinstance(block, blocks.StructBlock | blocks.ListBlock | blocks.StreamBlock):
        return  # containers: their top-level ones are checked for a description
    field = getattr(block, "field", None)
    with translation.override("en"):
        help_text = str(
            getattr(block.meta, "help_text", None) or getattr(field, "help_text", "") or ""
        )
    assert help_text.strip(), f"{block.name} has no help text"
    if isinstance(block, TYPED_BLOCKS) and not isinstance(block, blocks.RichTextBlock):
        assert "example" in help_text.lower(), f"{block.name}: {help_text}"


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(block, id=name)
        for name, block in MunicipalityPage.body.field.stream_block.child_blocks.items()
    ],
)
def test_every_block_has_a_description_and_a_preview(block):
    assert str(block.meta.description).strip()
    if isinstance(block, blocks.StructBlock) and any(
        isinstance(child, ImageChooserBlock) for child in block.child_blocks.values()
    ):
        return  # an image block's preview needs an image from the library (see below)
    assert block.is_previewable, f"{block.name} has no preview in the block chooser"


def test_help_texts_are_norwegian_in_the_admin():
    field = MunicipalityPage._meta.get_field("facts_source")
    with translation.override("nb"):
        assert "for eksempel" in str(field.help_text).lower()


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(block, id=name)
        for name, block in MunicipalityPage.body.field.stream_block.child_blocks.items()
        if block.is_previewable
    ],
)
def test_block_previews_render_with_the_site_stylesheet(admin_client, block):
    response = admin_client.get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/site.css" in html
    assert f"block--{block.name}" in html
