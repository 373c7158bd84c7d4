"""An officer works on their own municipality: the register chooser opens on it, and a
municipality's page refuses a school or kindergarten of another municipality, saying why."""

import uuid

from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from tests.sources.factories import RegisterUnitFactory

pytestmark = pytest.mark.django_db

UNITS = "/admin/register-units/"


@pytest.fixture
def units():
    return {
        "rana": RegisterUnitFactory(name="Ytteren skole", municipality_number="1833"),
        "luroy": RegisterUnitFactory(name="Lovund skole", municipality_number="1834"),
    }


def listed(user, query="") -> set[str]:
    client = Client()
    client.force_login(user)
    html = BeautifulSoup(client.get(f"{UNITS}?{query}").json()["html"], "html.parser")
    return {link.get_text(strip=True) for link in html.select("a[data-chooser-modal-choice]")}


def test_the_chooser_opens_on_the_officers_municipality(region, units):
    assert listed(region.users["editor_luroy"]) == {"Lovund skole"}
    assert listed(region.users["editor_rana"]) == {"Ytteren skole"}
    # "All municipalities" (an empty choice) is still there to pick.
    assert listed(region.users["editor_luroy"], "municipality=") == {
        "Lovund skole",
        "Ytteren skole",
    }
    # The coordinator works for every municipality.
    assert listed(region.users["coordinator"]) == {"Lovund skole", "Ytteren skole"}


def school_with(unit) -> dict:
    return {"type": "school", "value": {"unit": unit.pk}, "id": str(uuid.uuid4())}


def test_a_unit_of_another_municipality_is_refused_with_the_reason(region, units):
    luroy = region.luroy
    luroy.body = [
        {"type": "paragraph", "value": "<p>Om skolene.</p>", "id": str(uuid.uuid4())},
        school_with(units["luroy"]),
        school_with(units["rana"]),
    ]
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        luroy.full_clean()
    [stream_error] = refused.value.error_dict["body"]
    assert set(stream_error.block_errors) == {2}  # the Rana school, not Lurøy's own
    data = stream_error.as_json_data()  # what the page editor shows at the block
    [message] = data["blockErrors"][2]["blockErrors"]["unit"]["messages"]
    assert message == (
        "Ytteren skole ligger i Rana. Siden for Lurøy viser skolene og barnehagene i Lurøy: "
        "velg en av dem, eller be regionkoordinatoren sette denne på siden for Rana."
    )


def test_the_own_municipalitys_units_are_accepted(region, units):
    rana = region.rana
    rana.body = [school_with(units["rana"])]
    rana.full_clean()
