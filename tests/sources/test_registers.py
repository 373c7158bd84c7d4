"""The school and kindergarten registers (Udir) and Enhetsregisteret's workplaces."""

import json

import pytest

from region_pages.blocks.choices import Sector
from sources.adapters.brreg import sector_for_code
from sources.models import RegisterUnit, RunStatus, UnitKind, Workplace
from sources.pipeline import run_source
from sources.recorded import FIXTURES, json_reply

pytestmark = pytest.mark.django_db


def test_schools_are_read_with_their_facts_and_owners_are_left_out(recorded):
    run = run_source("nsr")
    assert run.status == RunStatus.SUCCEEDED
    # One school in each municipality of the recorded lists; Rana's list also names the
    # school owner.
    assert set(RegisterUnit.objects.values_list("municipality_number", flat=True)) == {
        "1833",
        "1832",
        "1834",
        "1828",
    }
    school = RegisterUnit.objects.get(municipality_number="1833")
    assert school.org_number == "999000001"
    assert school.kind == UnitKind.SCHOOL
    assert (school.level_from, school.level_to, school.pupils) == (1, 7, 250)
    assert school.address == "Eksempelveien 1, 8600 Mo i Rana"
    assert school.website == "https://www.example.no/eksempel-barneskole"
    assert (school.latitude, school.longitude) == (66.31, 14.14)
    assert not RegisterUnit.objects.filter(org_number="999000002").exists(), "a school owner"


def test_a_second_run_does_not_fetch_unchanged_units_again(recorded):
    run_source("nsr")
    details = len(recorded.requests_to("/nsr/v4/enhet/"))
    run = run_source("nsr")
    assert run.status == RunStatus.UNCHANGED
    assert run.unchanged == RegisterUnit.objects.count() == 4
    assert len(recorded.requests_to("/nsr/v4/enhet/")) == details


def test_kindergartens_are_read_from_their_register(recorded):
    run_source("nbr")
    kindergarten = RegisterUnit.objects.get(kind=UnitKind.KINDERGARTEN, municipality_number="1833")
    assert kindergarten.name == "Eksempel barnehage"
    assert RegisterUnit.objects.get(municipality_number="1834").is_private
    assert (kindergarten.level_from, kindergarten.level_to, kindergarten.pupils) == (1, 5, 60)


def test_coordinates_outside_norway_are_dropped_not_trusted(recorded):
    unit = json.loads((FIXTURES / "udir" / "nsr_v4_enhet.synthetic.json").read_text())
    unit["Koordinat"] = {"Lengdegrad": 66.31, "Breddegrad": 14.14}  # swapped
    recorded.add(r"/nsr/v4/enhet/999000001", lambda request, match: json_reply(unit))
    run_source("nsr")
    school = RegisterUnit.objects.get(org_number="999000001")
    assert school.latitude is None and school.longitude is None


def test_workplaces_in_the_region_with_sectors_from_sn2025(recorded):
    run = run_source("brreg")
    assert run.added == 7
    steel = Workplace.objects.get(org_number="999000029")
    assert (steel.sector, steel.employees, steel.municipality_number) == (
        Sector.INDUSTRY,
        250,
        "1833",
    )
    cafe = Workplace.objects.get(org_number="999000053")
    assert cafe.employees is None, "left out by the register below five employees"
    assert cafe.sector == Sector.TOURISM


def test_a_workplace_outside_the_region_is_refused_and_logged(recorded):
    """The real recorded search answer: a workplace in Brønnøy (1813)."""
    page = json.loads((FIXTURES / "brreg" / "sok_underenheter_page.json").read_text())
    page["page"]["totalPages"] = 1
    recorded.add(
        r"/brreg/enhetsregisteret/api/underenheter",
        lambda request, match: (
            json_reply(page)
            if request.query["kommunenummer"] == ["1828"]
            else recorded._brreg(request, match)
        ),
    )
    run = run_source("brreg")
    assert run.skipped == 1
    assert "924203617" in run.errors[0]["nb"]
    assert not Workplace.objects.filter(org_number="924203617").exists()


def test_a_workplace_that_leaves_the_register_is_closed_not_deleted(recorded):
    run_source("brreg")
    empty = json.loads((FIXTURES / "brreg" / "sok_underenheter_ingen_treff.json").read_text())
    recorded.add(
        r"/brreg/enhetsregisteret/api/underenheter",
        lambda request, match: (
            json_reply(empty)
            if request.query["kommunenummer"] == ["1832"]
            else recorded._brreg(request, match)
        ),
    )
    run = run_source("brreg")
    assert run.removed == 1
    sawmill = Workplace.objects.get(org_number="999000061")
    assert not sawmill.is_active and sawmill.closed_at


@pytest.mark.parametrize(
    ("code", "sector"),
    [
        ("03.211", Sector.AQUACULTURE),
        ("24.100", Sector.INDUSTRY),
        ("35.110", Sector.ENERGY),
        ("62.100", Sector.TECHNOLOGY),
        ("84.110", Sector.PUBLIC),
        ("85.201", Sector.EDUCATION),
        ("86.101", Sector.HEALTH),
        ("99.000", ""),
        ("", ""),
    ],
)
def test_sn2025_divisions_map_to_sectors(code, sector):
    assert sector_for_code(code) == sector
