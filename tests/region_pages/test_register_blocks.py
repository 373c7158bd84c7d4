"""School and industry blocks that rest on the registers: validation, the merge of the
register's facts with the editor's overrides, rendering, API output and translation."""

from django.utils import timezone, translation

from wagtail.blocks.struct_block import StructBlockValidationError

import pytest
from wagtail_localize.segments.extract import StreamFieldSegmentExtractor

from region_pages.blocks import IndustryBlock, MunicipalityBodyBlock, SchoolBlock
from region_pages.blocks.industry import EmployerBlock
from region_pages.blocks.registers import Unlisted
from region_pages.models import MunicipalityPage
from tests.sources.factories import (
    KindergartenFactory,
    RegisterUnitFactory,
    WorkplaceFactory,
    register_industry,
    register_school,
)

pytestmark = pytest.mark.django_db


def clean(block, raw):
    return block.clean(block.to_python(raw))


def messages(excinfo, name, language="en") -> str:
    with translation.override(language):
        return " ".join(excinfo.value.block_errors[name].messages)


class TestChoosingAUnit:
    block = SchoolBlock()

    def test_a_chosen_unit_needs_neither_name_nor_level(self):
        unit = RegisterUnitFactory()
        value = clean(self.block, register_school(unit)["value"])
        assert value["unit"] == unit
        assert value.facts.name == unit.name
        assert value.facts.level == "primary"

    def test_an_unknown_unit_is_refused_with_a_translated_message(self):
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, register_school("999999999")["value"])
        text = messages(excinfo, "unit", "nb")
        assert "999999999" in text
        assert "Ingen skole eller barnehage" in text

    def test_a_closed_unit_is_refused_with_its_closing_date(self):
        closed = timezone.datetime(2026, 3, 1, 12, tzinfo=timezone.get_current_timezone())
        unit = RegisterUnitFactory(name="Nedlagt skole", is_active=False, closed_at=closed)
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, register_school(unit)["value"])
        text = messages(excinfo, "unit")
        assert "Nedlagt skole" in text
        assert "closed in the register" in text
        assert "2026" in text

    def test_without_a_unit_the_name_and_level_are_required(self):
        raw = register_school("", name="", level="")["value"]
        raw["unit"] = None
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, raw)
        assert set(excinfo.value.block_errors) == {"name", "level"}
        assert "velg enheten fra registeret" in messages(excinfo, "name", "nb")

    def test_a_unit_whose_levels_the_register_does_not_give_needs_a_level(self):
        unit = RegisterUnitFactory(level_from=None, level_to=None)
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, register_school(unit)["value"])
        assert set(excinfo.value.block_errors) == {"level"}
        assert clean(self.block, register_school(unit, level="combined")["value"])

    def test_another_organisation_number_than_the_units_is_refused(self):
        unit = RegisterUnitFactory()
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(self.block, register_school(unit, org_number="974760673")["value"])
        assert unit.org_number in messages(excinfo, "org_number")


class TestSchoolFacts:
    block = SchoolBlock()

    def value(self, raw):
        return self.block.to_python(raw["value"])

    def test_the_register_gives_every_fact_the_editor_left_empty(self):
        unit = RegisterUnitFactory()
        facts = self.value(register_school(unit, description="Skole ved sjøen.")).facts
        assert (facts.name, facts.pupils, facts.address, facts.website) == (
            unit.name,
            250,
            unit.address,
            unit.website,
        )
        assert (facts.latitude, facts.longitude, facts.years) == (66.31, 14.14, (1, 7))
        assert facts.org_number == unit.org_number
        assert facts.from_register == {
            "name",
            "level",
            "years",
            "pupils",
            "address",
            "coordinates",
            "website",
        }

    def test_what_the_editor_wrote_wins_field_by_field(self):
        unit = RegisterUnitFactory()
        facts = self.value(
            register_school(
                unit,
                name="Skolen på neset",
                pupils=240,
                coordinates={"latitude": 66.2, "longitude": 13.9},
            )
        ).facts
        assert (facts.name, facts.pupils, facts.latitude) == ("Skolen på neset", 240, 66.2)
        assert facts.address == unit.address, "not overridden: still the register's"
        assert {"name", "pupils", "coordinates"}.isdisjoint(facts.from_register)

    def test_levels_are_read_from_the_register(self):
        cases = [
            (KindergartenFactory(), "kindergarten"),
            (RegisterUnitFactory(level_from=8, level_to=10), "lower_secondary"),
            (RegisterUnitFactory(level_from=1, level_to=10), "combined"),
            (
                RegisterUnitFactory(
                    level_from=11, level_to=13, is_primary=False, is_upper_secondary=True
                ),
                "upper_secondary",
            ),
        ]
        for unit, level in cases:
            assert self.value(register_school(unit)).facts.level == level, unit

    def test_content_without_a_unit_keeps_working(self):
        raw = {
            "name": "Ytteren skole",
            "level": "primary",
            "pupils": 120,
            "description": "",
            "address": "Skoleveien 1",
            "coordinates": {"latitude": None, "longitude": None},
            "website": "",
            "org_number": "974760673",
        }  # saved before blocks could choose a unit: no "unit" key
        value = self.block.to_python(raw)
        assert value["unit"] is None
        assert value.facts.name == "Ytteren skole"
        assert value.facts.from_register == set()
        api = self.block.get_api_representation(value)
        assert api["register_unit"] is None and api["from_register"] == []
        assert api["org_number"] == "974760673"

    def test_a_unit_missing_from_the_table_is_kept_not_dropped(self):
        raw = register_school("999999999", name="Skolen", level="primary")["value"]
        value = self.block.to_python(raw)
        assert value["unit"] == Unlisted("999999999")
        assert value.facts.name == "Skolen"
        assert self.block.get_prep_value(value)["unit"] == "999999999"
        assert self.block.get_form_state(value)["unit"]["id"] == "999999999"

    def test_the_api_says_which_facts_come_from_the_register_and_where(self):
        unit = KindergartenFactory(name="Eksempel barnehage")
        with translation.override("en"):
            api = self.block.get_api_representation(self.value(register_school(unit, pupils=55)))
        assert api["name"] == "Eksempel barnehage"
        assert api["level"] == "kindergarten" and api["level_label"] == "Kindergarten"
        assert api["years"] == {"first": 1, "last": 5, "unit": "age"}
        assert api["pupils"] == 55
        assert "pupils" not in api["from_register"] and "address" in api["from_register"]
        register = api["register_unit"]
        assert (register["source"], register["licence"], register["org_number"]) == (
            "nbr",
            "NLOD 2.0",
            unit.org_number,
        )
        assert register["active"] is True

    def test_the_read_model_columns_use_the_register(self):
        unit = RegisterUnitFactory()
        columns = self.block.entry_columns(self.value(register_school(unit)))
        assert columns == {
            "name": unit.name,
            "category": "primary",
            "latitude": 66.31,
            "longitude": 14.14,
        }


class TestRendering:
    block = SchoolBlock()

    def render(self, raw, language="nb"):
        with translation.override(language):
            return self.block.render(self.block.to_python(raw["value"]), context={})

    def test_a_register_backed_block_shows_the_facts_and_their_source(self):
        unit = RegisterUnitFactory(name="Eksempel barneskole")
        html = self.render(register_school(unit, description="Skole ved sjøen."))
        assert "Eksempel barneskole" in html
        assert "Skole ved sjøen." in html
        assert "Trinn" in html and "1–7" in html
        assert "250" in html
        assert unit.address in html
        assert f'href="{unit.website}"' in html
        assert "openstreetmap.org/?mlat=66.31&amp;mlon=14.14" in html
        assert "Nasjonalt skoleregister" in html or "skoleregister" in html.lower()
        assert "NLOD 2.0" in html

    def test_the_source_is_credited_in_english_too(self):
        html = self.render(register_school(KindergartenFactory()), language="en")
        assert "Kindergarten facts from the Kindergarten Register (Udir)." in html
        assert "Ages" in html and "Children" in html

    def test_an_override_replaces_the_registers_value_on_the_page(self):
        unit = RegisterUnitFactory(pupils=250)
        html = self.render(register_school(unit, pupils=199, address="Fjordgata 2"))
        assert "199" in html and "Fjordgata 2" in html
        assert "250" not in html and unit.address not in html

    def test_a_block_without_a_unit_credits_no_register(self):
        raw = register_school("", name="Ytteren skole", level="primary", address="Skoleveien 1")
        raw["value"]["unit"] = None
        html = self.render(raw)
        assert "Ytteren skole" in html and "Skoleveien 1" in html
        assert "Lisens" not in html

    def test_a_unit_the_register_closed_says_so(self):
        unit = RegisterUnitFactory(is_active=False, closed_at=timezone.now())
        html = self.render(register_school(unit), language="en")
        assert "The register lists this unit as closed." in html


class TestEmployers:
    block = IndustryBlock()

    def test_an_employer_needs_a_name_or_a_workplace(self):
        employer = EmployerBlock()
        with pytest.raises(StructBlockValidationError) as excinfo:
            clean(employer, {"workplace": None, "name": "", "url": "", "org_number": ""})
        assert set(excinfo.value.block_errors) == {"name"}

    def test_an_unknown_or_deleted_workplace_is_refused(self):
        gone = WorkplaceFactory(is_active=False, closed_at=timezone.now())
        for number, expected in (("999999999", "999999999"), (gone.pk, gone.name)):
            raw = {"workplace": number, "name": "", "url": "", "org_number": ""}
            with pytest.raises(StructBlockValidationError) as e:
                clean(EmployerBlock(), raw)
            assert expected in messages(e, "workplace")

    def test_a_chosen_workplace_gives_name_address_and_employees(self):
        place = WorkplaceFactory(name="EKSEMPEL STÅLVERK AS", employees=250)
        value = self.block.to_python(register_industry(place)["value"])
        with translation.override("nb"):
            html = self.block.render(value, context={})
        assert "EKSEMPEL STÅLVERK AS" in html
        assert place.address in html
        assert "250 ansatte" in html
        assert f'href="{place.website}"' in html
        assert "NLOD 2.0" in html

    def test_the_editor_may_name_the_employer_as_it_is_known_locally(self):
        place = WorkplaceFactory(name="EKSEMPEL STÅLVERK AS")
        raw = register_industry(place)["value"]
        raw["employers"][0]["value"]["name"] = "Stålverket"
        api = self.block.get_api_representation(self.block.to_python(raw))
        employer = api["employers"][0]
        assert employer["name"] == "Stålverket"
        assert employer["register_unit"]["name"] == "EKSEMPEL STÅLVERK AS"
        assert employer["employees"] == 250
        assert employer["from_register"] == ["url", "org_number", "address", "employees"]

    def test_sector_figures_of_the_pages_municipality(self):
        WorkplaceFactory(employees=250)
        WorkplaceFactory(employees=None)  # under five employees: counted, not its staff
        WorkplaceFactory(municipality_number="1834", employees=30)
        value = self.block.to_python(register_industry(figures=True)["value"])
        page = MunicipalityPage(municipality_number="1833")
        api = self.block.get_api_representation(value, context={"page": page})
        figures = api["register_figures"]
        assert (figures["workplaces"], figures["employees"]) == (2, 250)
        assert figures["register_source"]["source"] == "brreg"
        with translation.override("en"):
            html = self.block.render(value, context={"page": page})
        assert "Workplaces in the register" in html
        assert "Employees in the register" in html
        assert "fewer than five employees" in html
        # No page (a preview), or a block that did not ask: no figures.
        assert self.block.get_api_representation(value)["register_figures"] is None


def test_every_register_row_of_a_page_comes_in_one_query(django_assert_num_queries):
    """Wagtail converts a stream's blocks of one type together: the chooser fetches all
    their rows at once, whatever the number of blocks."""
    units = RegisterUnitFactory.create_batch(5)
    places = WorkplaceFactory.create_batch(4)
    stream = MunicipalityBodyBlock()
    raw = [register_school(unit) for unit in units] + [
        register_industry(places[0], places[1]),
        register_industry(places[2], places[3]),
    ]
    with django_assert_num_queries(2):
        value = stream.to_python(raw)
        names = [child.value.facts.name for child in value if child.block_type == "school"]
        employers = [
            employer.facts.name
            for child in value
            if child.block_type == "industry"
            for employer in child.value["employers"]
        ]
    assert names == [unit.name for unit in units]
    assert employers == [place.name for place in places]


def test_wagtail_localize_copies_the_unit_and_offers_nothing_of_it_to_translate():
    unit = RegisterUnitFactory()
    place = WorkplaceFactory()
    stream = MunicipalityBodyBlock()
    value = stream.to_python(
        [register_school(unit, description="Skole ved sjøen."), register_industry(place)]
    )
    segments = StreamFieldSegmentExtractor(
        MunicipalityPage._meta.get_field("body"), include_overridables=True
    ).handle_stream_block(value)
    texts = {getattr(segment, "string", None) and segment.string.data for segment in segments}
    assert "Skole ved sjøen." in texts
    assert not any(unit.pk in str(getattr(segment, "data", "")) for segment in segments)
    assert not any(place.pk in str(getattr(segment, "data", "")) for segment in segments)
