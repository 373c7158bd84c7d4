"""The structured blocks: validation, what wagtail-localize translates, and API output."""

from django.core.exceptions import ValidationError
from django.utils import translation

from wagtail.blocks.struct_block import StructBlockValidationError

import pytest
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import StreamFieldSegmentExtractor

from region_pages.blocks import (
    IndustryBlock,
    LeisureActivityBlock,
    LinkBlock,
    MunicipalityBodyBlock,
    SchoolBlock,
)
from region_pages.models import MunicipalityPage
from tests import factories


def clean(block, raw):
    return block.clean(block.to_python(raw))


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.block_errors)


class TestLeisureActivityBlock:
    block = LeisureActivityBlock()

    def test_a_complete_activity_is_valid(self):
        value = clean(self.block, factories.leisure(seasons=["winter", "summer"])["value"])
        with translation.override("en"):
            assert value.season_labels == ["Winter", "Summer"]

    def test_at_least_one_season_is_required(self):
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, factories.leisure(seasons=[])["value"])
        assert "seasons" in error_fields(excinfo)

    def test_coordinates_outside_norway_are_refused(self):
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, factories.leisure(latitude=59.33, longitude=18.07)["value"])
        assert "coordinates" in error_fields(excinfo)

    def test_half_a_coordinate_pair_is_refused(self):
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, factories.leisure(latitude=66.3, longitude=None)["value"])
        assert "coordinates" in error_fields(excinfo)

    def test_no_coordinates_at_all_is_fine(self):
        value = clean(self.block, factories.leisure(latitude=None, longitude=None)["value"])
        assert self.block.get_api_representation(value)["coordinates"] is None

    def test_a_malformed_link_is_refused(self):
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, factories.leisure(url="not a url")["value"])
        assert "url" in error_fields(excinfo)

    def test_seasons_are_served_in_calendar_order_whatever_the_editor_ticked(self):
        value = clean(
            self.block, factories.leisure(seasons=["autumn", "winter", "spring"])["value"]
        )
        assert self.block.get_api_representation(value)["seasons"] == ["winter", "spring", "autumn"]


class TestSchoolBlock:
    block = SchoolBlock()

    def test_negative_pupils_are_refused(self):
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, factories.school(pupils=-1)["value"])
        assert "pupils" in error_fields(excinfo)

    @pytest.mark.parametrize("org_number", ["974760674", "12345678", "abcdefghi"])
    def test_invalid_organisation_numbers_are_refused(self, org_number):
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, factories.school(org_number=org_number)["value"])
        assert "org_number" in error_fields(excinfo)

    def test_organisation_number_is_stored_without_spaces(self):
        value = clean(self.block, factories.school(org_number="974 760 673")["value"])
        assert value["org_number"] == "974760673"

    def test_api_representation_is_typed_and_labelled_in_the_active_language(self):
        value = clean(self.block, factories.school(level="kindergarten", pupils=40)["value"])
        with translation.override("en"):
            data = self.block.get_api_representation(value)
        assert data["level"] == "kindergarten"
        assert data["level_label"] == "Kindergarten"
        assert data["pupils"] == 40
        assert data["coordinates"] == {"latitude": 66.31, "longitude": 14.14}
        assert data["org_number"] == "974760673"


class TestIndustryBlock:
    block = IndustryBlock()

    def test_negative_figures_are_refused(self):
        raw = factories.industry()["value"]
        raw["figures"] = [{"label": "Ansatte", "value": -5, "year": 2024}]
        with pytest.raises(StructBlockValidationError):
            clean(self.block, raw)

    def test_employer_organisation_numbers_are_checked(self):
        raw = factories.industry()["value"]
        raw["employers"] = [{"name": "Eksempel AS", "url": "", "org_number": "999000001"}]
        with pytest.raises(StructBlockValidationError):
            clean(self.block, raw)

    def test_heading_falls_back_to_the_sector_label(self):
        value = clean(self.block, factories.industry(sector="energy")["value"])
        with translation.override("en"):
            assert self.block.entry_columns(value)["name"] == "Energy and power production"


class TestLinkBlock:
    block = LinkBlock()

    def test_a_link_needs_a_page_or_a_url_but_not_neither(self):
        with pytest.raises(StructBlockValidationError):
            clean(self.block, {"text": "Les mer", "page": None, "url": ""})

    def test_a_url_alone_is_fine(self):
        value = clean(
            self.block, {"text": "Rana", "page": None, "url": "https://www.rana.kommune.no/"}
        )
        assert value.href == "https://www.rana.kommune.no/"


def test_error_messages_are_translated_for_norwegian_editors():
    with translation.override("en"):
        english = _season_error()
    with translation.override("nb"):
        norwegian = _season_error()
    assert english == "Choose at least one season."
    assert norwegian != english and norwegian.strip()


def _season_error() -> str:
    try:
        clean(LeisureActivityBlock(), factories.leisure(seasons=[])["value"])
    except StructBlockValidationError as error:
        return str(error.block_errors["seasons"].messages[0])
    raise AssertionError("no error")


def test_wagtail_localize_translates_text_but_not_codes_numbers_coordinates_or_urls():
    field = MunicipalityPage._meta.get_field("body")
    stream = field.to_python(
        [factories.school(name="Ytteren skole"), factories.leisure(name="Fjelltur")]
    )
    segments = StreamFieldSegmentExtractor(field, include_overridables=False).handle_stream_block(
        stream
    )
    texts = {segment.string.data for segment in segments if isinstance(segment, StringSegmentValue)}
    assert {"Ytteren skole", "Fjelltur", "En fin tur.", "Mo i Rana"} <= texts
    for untranslatable in ("974760673", "66.31", "14.14", "primary", "summer", "hiking", "120"):
        assert not any(untranslatable == text for text in texts), untranslatable


def test_every_structured_block_documents_itself():
    for name, block in MunicipalityBodyBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.description, name
        assert block.__doc__, name
        # An image block cannot preview without an image in the library.
        assert block.get_preview_value() or name == "image", name


def test_coordinates_are_cleaned_in_the_struct():
    with pytest.raises(ValidationError):
        clean(LeisureActivityBlock(), factories.leisure(latitude=95, longitude=14)["value"])
