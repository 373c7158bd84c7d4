"""The register choosers in the admin, over HTTP as the page editor's modal calls them:
the listing, search by name, filters, and the answer when a unit is chosen."""

from django.utils import timezone

import pytest

from region_pages.blocks.choices import Sector
from sources.models import UnitKind

from .factories import KindergartenFactory, RegisterUnitFactory, WorkplaceFactory

pytestmark = pytest.mark.django_db

UNITS = "/admin/register-units/"
WORKPLACES = "/admin/register-workplaces/"


@pytest.fixture
def units():
    return {
        "school": RegisterUnitFactory(name="Ytteren skole", org_number="999300001"),
        "kindergarten": KindergartenFactory(name="Ytteren barnehage", org_number="999300002"),
        "hemnes": RegisterUnitFactory(
            name="Korgen skole", org_number="999300003", municipality_number="1832"
        ),
        "closed": RegisterUnitFactory(
            name="Nedlagt skole",
            org_number="999300004",
            is_active=False,
            closed_at=timezone.now(),
        ),
    }


def test_the_modal_lists_the_units_the_register_still_has(admin_client, units):
    response = admin_client.get(UNITS)
    assert response.status_code == 200
    data = response.json()
    assert data["step"] == "choose"
    html = data["html"]
    for name in ("Ytteren skole", "Ytteren barnehage", "Korgen skole"):
        assert name in html
    assert "Nedlagt skole" not in html, "a closed unit cannot be chosen"
    assert f"{UNITS}chosen/999300001/" in html
    assert 'name="municipality"' in html and 'name="kind"' in html


def test_the_modal_speaks_norwegian_to_norwegian_editors(admin_client, admin_user, units):
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=admin_user, defaults={"preferred_language": "nb"})
    html = admin_client.get(UNITS).json()["html"]
    assert "Velg en skole eller barnehage" in html
    assert "Alle kommuner" in html


def test_search_by_name_or_organisation_number(admin_client, units):
    html = admin_client.get(f"{UNITS}results/", {"q": "ytteren"}).content.decode()
    assert "Ytteren skole" in html and "Ytteren barnehage" in html
    assert "Korgen skole" not in html
    html = admin_client.get(f"{UNITS}results/", {"q": "999 300 003"}).content.decode()
    assert "Korgen skole" in html and "Ytteren skole" not in html


def test_filter_by_municipality_and_kind(admin_client, units):
    html = admin_client.get(f"{UNITS}results/", {"municipality": "1832"}).content.decode()
    assert "Korgen skole" in html and "Ytteren skole" not in html
    html = admin_client.get(
        f"{UNITS}results/", {"municipality": "1833", "kind": UnitKind.KINDERGARTEN}
    ).content.decode()
    assert "Ytteren barnehage" in html
    assert "Ytteren skole" not in html and "Korgen skole" not in html


def test_unknown_filter_values_are_ignored_not_an_error(admin_client, units):
    response = admin_client.get(f"{UNITS}results/", {"municipality": "0301", "kind": "x"})
    assert response.status_code == 200
    assert "Ytteren skole" in response.content.decode()


def test_choosing_answers_with_the_unit_for_the_widget(admin_client, units):
    response = admin_client.get(f"{UNITS}chosen/999300001/")
    assert response.status_code == 200
    assert response.json() == {
        "step": "chosen",
        "result": {"id": "999300001", "title": "Ytteren skole (999300001)", "edit_url": None},
    }


def test_a_closed_or_unknown_unit_cannot_be_chosen(admin_client, units):
    for number in ("999300004", "123456789"):
        response = admin_client.get(f"{UNITS}chosen/{number}/", follow=True)
        assert response.status_code == 404


def test_the_listing_costs_the_same_few_queries_for_many_units(
    admin_client, units, django_assert_max_num_queries
):
    RegisterUnitFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        response = admin_client.get(f"{UNITS}results/", {"municipality": "1833"})
    assert response.status_code == 200
    assert response.content.decode().count(f"{UNITS}chosen/") == 20, "one page of 20"


def test_only_admin_users_reach_the_chooser(client, units):
    response = client.get(UNITS)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_workplaces_are_searched_and_filtered_by_sector(admin_client):
    WorkplaceFactory(name="EKSEMPEL STÅLVERK AS", org_number="999400001")
    WorkplaceFactory(
        name="EKSEMPEL HAVBRUK AS",
        org_number="999400002",
        sector=Sector.AQUACULTURE,
        municipality_number="1834",
    )
    WorkplaceFactory(name="EKSEMPEL NEDLAGT AS", is_active=False, closed_at=timezone.now())
    html = admin_client.get(WORKPLACES).json()["html"]
    assert "EKSEMPEL STÅLVERK AS" in html and "EKSEMPEL HAVBRUK AS" in html
    assert "EKSEMPEL NEDLAGT AS" not in html
    html = admin_client.get(f"{WORKPLACES}results/", {"q": "havbruk"}).content.decode()
    assert "EKSEMPEL HAVBRUK AS" in html and "STÅLVERK" not in html
    html = admin_client.get(f"{WORKPLACES}results/", {"sector": Sector.INDUSTRY}).content.decode()
    assert "STÅLVERK" in html and "HAVBRUK" not in html
    chosen = admin_client.get(f"{WORKPLACES}chosen/999400002/").json()
    assert chosen["result"]["id"] == "999400002"


def test_the_page_editor_offers_the_choosers_in_the_school_and_industry_blocks(admin_client, home):
    from tests.conftest import publish
    from tests.factories import MunicipalityPageFactory

    page = publish(MunicipalityPageFactory(parent=home, municipality_number="1833"))
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert UNITS in html and WORKPLACES in html


def edit_form(page, school_block: dict) -> dict:
    """The page editor's form for `page`, with one school block in its body."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    value = {
        "unit": "",
        "name": "",
        "level": "",
        "pupils": "",
        "description": "",
        "address": "",
        "coordinates": {"latitude": "", "longitude": ""},
        "website": "",
        "org_number": "",
        **school_block,
    }
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "",
            "hero_alt_text": "",
            "municipality_number": page.municipality_number,
            "administrative_centre": "",
            "population": "",
            "population_year": "",
            "area_km2": "",
            "area_year": "",
            "facts_source": "",
            "website": page.website,
            "vacancies_url": "",
            "body": streamfield([("school", value)]),
        }
    )


@pytest.fixture
def page(home):
    from tests.conftest import publish
    from tests.factories import MunicipalityPageFactory

    return publish(MunicipalityPageFactory(parent=home, municipality_number="1833"))


def test_an_editor_saves_a_school_that_rests_on_a_chosen_unit(admin_client, page, units):
    data = edit_form(page, {"unit": "999300001", "description": "Skole ved sjøen."})
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    block = draft.body[0]
    assert block.value["unit"].name == "Ytteren skole"
    assert block.value.facts.pupils == 250
    assert draft.body.raw_data[0]["value"]["unit"] == "999300001"


def test_saving_a_closed_or_unknown_unit_shows_a_clear_error(admin_client, page, units):
    for number, expected in (
        ("999300004", "Nedlagt skole (999300004) ble lagt ned i registeret"),
        ("123456789", "Ingen skole eller barnehage med organisasjonsnummer 123456789"),
    ):
        data = edit_form(page, {"unit": number, "level": "primary"})
        response = admin_client.post(f"/admin/pages/{page.pk}/edit/", data)
        assert response.status_code == 200, "the form comes back, nothing is saved"
        assert expected in response.content.decode()
    page.refresh_from_db()
    assert len(page.get_latest_revision_as_object().body) == 0, "nothing was saved"
