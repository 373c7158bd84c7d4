""" "Mine sider": an officer's own pages on the dashboard, and the explorer opening at the
officer's municipality."""

import json
import uuid

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from editorial.my_pages import own_pages, start_page
from tests import factories
from tests.sources.factories import RegisterUnitFactory, WorkplaceFactory

pytestmark = pytest.mark.django_db


def dashboard(user) -> BeautifulSoup:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_an_officer_sees_their_municipalitys_pages_in_both_languages(region):
    draft = factories.ArticlePageFactory(parent=region.rana, slug="utkast-rana", live=False)
    html = dashboard(region.users["editor_rana"])
    panel = html.find(attrs={"data-my-pages": True})
    assert panel is not None
    assert panel.find("h2").get_text(strip=True) == "Mine sider"
    rows = {
        int(row["data-my-page"]): row for row in panel.find_all("tr", attrs={"data-my-page": True})
    }
    assert set(rows) == {region.rana.pk, draft.pk}  # not Lurøy's, not the English pages'
    rana = rows[region.rana.pk]
    assert rana.find("a")["href"] == reverse("wagtailadmin_pages:edit", args=[region.rana.pk])
    assert "Publisert" in rana.get_text()
    english = rana.find("a", href=reverse("wagtailadmin_pages:edit", args=[region.en_rana.pk]))
    assert english is not None and english.get_text(strip=True) == "English"
    assert "Utkast" in rows[draft.pk].get_text()
    assert "English: ikke oversatt" in rows[draft.pk].get_text()


def test_the_coordinator_and_the_translator_have_no_such_panel(region):
    for role in ("coordinator", "translator", "superuser"):
        assert dashboard(region.users[role]).find(attrs={"data-my-pages": True}) is None, role


def test_the_panel_costs_the_same_however_many_pages(region, django_assert_num_queries):
    officer = region.users["editor_rana"]
    own_pages(officer)  # content types and the like, cached after the first call
    with django_assert_num_queries(7) as few:  # 2 of them the plain-language checks kept
        small = own_pages(officer)
    for number in range(5):
        page = factories.ArticlePageFactory(parent=region.rana, slug=f"ny-{number}", live=False)
        page.save_revision()
    # The new pages' plain-language checks are made once, in a few queries for them all.
    with django_assert_num_queries(len(few.captured_queries) + 3):
        own_pages(officer)
    with django_assert_num_queries(len(few.captured_queries)):
        large = own_pages(officer)
    assert len(large) == len(small) + 5


def test_the_explorer_opens_at_the_officers_municipality(region):
    assert start_page(region.users["editor_rana"]).pk == region.rana.pk
    assert start_page(region.users["coordinator"]) is None

    def explorer_start(user) -> int:
        """The sidebar's page explorer item, as Wagtail packs it for its script:
        ({name, label, url, …}, start page id)."""
        props = json.loads(dashboard(user).find(id="wagtail-sidebar-props").string)

        def items(node):
            if isinstance(node, dict):
                if node.get("_type") == "wagtail.sidebar.PageExplorerMenuItem":
                    yield node["_args"]
                for value in node.values():
                    yield from items(value)
            elif isinstance(node, list):
                for value in node:
                    yield from items(value)

        [args] = list(items(props))
        return args[1]

    assert explorer_start(region.users["editor_rana"]) == region.rana.pk
    assert explorer_start(region.users["editor_luroy"]) == region.luroy.pk
    assert explorer_start(region.users["coordinator"]) != region.rana.pk


# ---- registers of the own municipality --------------------------------------------------

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


def industry_with(*workplaces) -> dict:
    employers = [
        {"workplace": place.pk, "name": "", "url": "", "org_number": ""} for place in workplaces
    ]
    return {
        "type": "industry",
        "value": {"sector": "industry", "heading": "Industri", "employers": employers},
        "id": str(uuid.uuid4()),
    }


def test_a_key_employer_of_another_municipality_is_refused_with_the_reason(region):
    farm = WorkplaceFactory(name="EKSEMPEL HAVBRUK AS", municipality_number="1834")
    steel = WorkplaceFactory(name="EKSEMPEL STÅLVERK AS", municipality_number="1833")
    luroy = region.luroy
    luroy.body = [industry_with(farm, steel)]
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        luroy.full_clean()
    [stream_error] = refused.value.error_dict["body"]
    data = stream_error.as_json_data()
    employers = data["blockErrors"][0]["blockErrors"]["employers"]["blockErrors"]
    assert set(employers) == {1}  # Rana's steelworks, not Lurøy's own fish farm
    [message] = employers[1]["blockErrors"]["workplace"]["messages"]
    assert message == (
        "EKSEMPEL STÅLVERK AS er registrert i Rana. Nøkkelarbeidsgiverne i Lurøy er "
        "kommunens egne arbeidssteder: velg arbeidsgiverens arbeidssted i Lurøy, eller skriv "
        "navnet selv uten å velge fra registeret."
    )
    luroy.body = [industry_with(farm)]
    luroy.full_clean()
