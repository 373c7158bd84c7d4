"""Pages whose blocks rest on the registers, end to end: what readers and partners see,
what a page costs, and what a sync that changes the register does to the pages (and what
it leaves alone: the editor's overrides)."""

import json
import re

from django.core.management import call_command

import pytest

from region_pages.models import ChangeAction, ChangeEvent, Entry, ResourceType, Theme
from sources.models import RunStatus
from sources.pipeline import run_source
from sources.recorded import FIXTURES, json_reply

from ..conftest import publish, translate
from ..factories import MunicipalityPageFactory, ThemePageFactory, school
from ..servers import PurgeRecorder
from .factories import RegisterUnitFactory, WorkplaceFactory, register_industry, register_school

pytestmark = pytest.mark.django_db

SCHOOL = "999000001"  # "Eksempel barneskole" in the recorded school register
KINDERGARTEN = "999000010"
STEELWORKS = "999000029"  # "EKSEMPEL STÅLVERK AS AVD MO", 250 employees


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def registers(recorded):
    for name in ("nsr", "nbr", "brreg"):
        assert run_source(name, sample=True).status == RunStatus.SUCCEEDED


@pytest.fixture
def rana(home, registers):
    """Rana in both languages: a school and a kindergarten from the register (the
    kindergarten's children overridden by the editor), a hand-written school, and an
    industry block with an employer and figures from Enhetsregisteret."""
    publish(ThemePageFactory(parent=home, theme=Theme.WORK, title="Arbeid", slug="arbeid"))
    page = publish(
        MunicipalityPageFactory(
            parent=home,
            title="Rana",
            slug="rana",
            municipality_number="1833",
            body=[
                register_school(SCHOOL, description="Skole ved sjøen."),
                register_school(KINDERGARTEN, pupils=55),
                school(name="Ytteren skole"),
                register_industry(STEELWORKS, figures=True),
            ],
        )
    )
    english = translate(page, texts={"Skole ved sjøen.": "A school by the sea."})
    return page, english


def test_the_page_shows_the_registers_facts_labelled_as_sample_data(client, rana):
    body = text(client.get("/nb/rana/"))
    assert "Eksempel barneskole" in body and "Skole ved sjøen." in body
    assert "Eksempelveien 1, 8600 Mo i Rana" in body
    assert "https://www.example.no/eksempel-barneskole" in body
    assert "Fakta om skolen fra Nasjonalt skoleregister (Udir)." in body
    assert "Fakta om barnehagen fra Barnehageregisteret (Udir)." in body
    assert "Lisens: NLOD 2.0." in body
    assert "Eksempeldata" in body
    assert re.search(r"Oppdatert \d+\. \w+ \d{4}\.", body), "when the register was read"
    # The employer and the sector figures from Enhetsregisteret.
    assert "EKSEMPEL STÅLVERK AS AVD MO" in body and "250 ansatte" in body
    assert "Arbeidsplasser i registeret" in body


def test_the_english_page_shows_the_same_facts_and_credits_in_english(client, rana):
    body = text(client.get("/en/rana/"))
    assert "Eksempel barneskole" in body and "A school by the sea." in body
    assert "School facts from the National School Register (Udir)." in body
    assert "Licence: NLOD 2.0." in body
    assert "Sample data" in body
    # Dates in the English way ("Nov. 28, 2026"), not the Norwegian "28. november 2026".
    assert re.search(r"Updated [A-Z][a-z]+\.? \d{1,2}, \d{4}\.", body), "an English date"


def test_the_editors_override_wins_over_the_register(client, rana):
    body = text(client.get("/nb/rana/"))
    # The block's heading (the name is in the map's data further up, too).
    kindergarten = body[body.index(">Eksempel barnehage</h") :]
    assert "<dd>55</dd>" in kindergarten[:2000]
    assert "<dd>60</dd>" not in body, "the register's 60 children are overridden"


def test_the_read_model_and_the_api_serve_the_merged_facts(client, rana):
    page, _english = rana
    entry = Entry.objects.get(page=page, name="Eksempel barneskole")
    assert entry.data["pupils"] == 250
    assert entry.data["register_unit"]["source"] == "nsr"
    assert (entry.latitude, entry.longitude) == (66.31, 14.14)
    listed = client.get("/api/v1/entries", {"kind": "school", "municipality": "1833"}).json()
    by_name = {item["name"]: item["data"] for item in listed["items"]}
    assert by_name["Eksempel barnehage"]["pupils"] == 55
    assert "pupils" not in by_name["Eksempel barnehage"]["from_register"]
    assert by_name["Ytteren skole"]["register_unit"] is None
    detail = client.get(f"/api/v1/pages/{page.pk}").json()
    industry = next(block["value"] for block in detail["body"] if block["type"] == "industry")
    assert industry["employers"][0]["employees"] == 250
    assert industry["register_figures"]["workplaces"] == 1
    assert industry["register_figures"]["municipality_number"] == "1833"


def queries_for(client, django_assert_max_num_queries, path, bound):
    with django_assert_max_num_queries(bound) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_register_backed_blocks_add_no_query_per_block(
    client, home, registers, django_assert_max_num_queries
):
    """One query per register table for the whole page, whatever the number of blocks."""

    def page(slug, count, number):
        # A municipality's page shows its own schools and employers.
        units = RegisterUnitFactory.create_batch(count, municipality_number=number)
        places = WorkplaceFactory.create_batch(count, municipality_number=number)
        return publish(
            MunicipalityPageFactory(
                parent=home,
                slug=slug,
                municipality_number=number,
                body=[register_school(unit) for unit in units]
                + [register_industry(*places[:count], figures=True) for _ in range(count)],
            )
        )

    small, large = page("liten", 1, "1833"), page("stor", 8, "1832")
    for warm in (small, large):  # the caches of credits, figures and vacancies
        queries_for(client, django_assert_max_num_queries, warm.url, 40)
    # (14: two of them find the municipality's next events and the view restrictions.)
    few = queries_for(client, django_assert_max_num_queries, small.url, 14)
    many = queries_for(client, django_assert_max_num_queries, large.url, 14)
    assert many == few


@pytest.fixture
def purge_server(settings):
    from cms.settings.base import frontend_cache

    server = PurgeRecorder().start()
    settings.WAGTAILFRONTENDCACHE = frontend_cache(
        {"FRONTEND_CACHE_PURGE_URL": server.url, "FRONTEND_CACHE_PURGE_TIMEOUT": "2"}
    )
    yield server
    server.stop()


def changed_school(recorded, pupils: int) -> None:
    """The register changes the school: a new pupil count, a new DatoEndret."""
    stamp = "2026-10-01T01:12:00.000+02:00"
    listing = json.loads(
        (FIXTURES / "udir" / "nsr_v4_enheter_kommune_1833.synthetic.json").read_text()
    )
    for unit in listing["EnhetListe"]:
        unit["DatoEndret"] = stamp
    unit = json.loads((FIXTURES / "udir" / "nsr_v4_enhet.synthetic.json").read_text())
    unit.update(Elevtall=pupils, DatoEndret=stamp)
    recorded.add(r"/nsr/v4/enheter/kommune/1833", lambda request, match: json_reply(listing))
    recorded.add(rf"/nsr/v4/enhet/{SCHOOL}", lambda request, match: json_reply(unit))


def test_a_sync_that_changes_the_register_changes_the_page_everywhere(
    client, rana, recorded, purge_server, django_capture_on_commit_callbacks
):
    page, english = rana
    assert "<dd>250</dd>" in text(client.get("/nb/rana/"))
    last = ChangeEvent.objects.order_by("-sequence").first().sequence
    changed_school(recorded, pupils=262)
    purge_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        run = run_source("nsr", sample=True)
    assert run.updated == 1

    # The page, the read model and the API in both languages.
    assert "<dd>262</dd>" in text(client.get("/nb/rana/"))
    assert "<dd>262</dd>" in text(client.get("/en/rana/"))
    for version in (page, english):
        entry = Entry.objects.get(page=version, name="Eksempel barneskole")
        assert entry.data["pupils"] == 262
    # Partners learn of it through the change feed, whose newest event moves the ETags.
    events = ChangeEvent.objects.filter(sequence__gt=last)
    entry_id = Entry.objects.get(page=page, name="Eksempel barneskole").block_id
    announced = set(
        events.filter(resource_type=ResourceType.ENTRY, action=ChangeAction.PUBLISHED).values_list(
            "resource_id", "language_code"
        )
    )
    assert {(entry_id, "nb"), (entry_id, "en")} <= announced
    # The CDN forgets the pages that show it, after the commit.
    assert {"/nb/rana/", "/en/rana/", "/nb/arbeid/"} <= purge_server.paths()


def test_a_sync_never_overwrites_what_the_editor_wrote(client, rana, recorded):
    page, _english = rana
    changed_school(recorded, pupils=262)
    run_source("nsr", sample=True)
    page.refresh_from_db()
    kindergarten = next(child for child in page.body.raw_data if child["value"].get("pupils"))
    assert kindergarten["value"]["pupils"] == 55, "the stored override is untouched"
    school_block = next(
        child for child in page.body.raw_data if child["value"].get("unit") == SCHOOL
    )
    assert school_block["value"]["pupils"] is None, "the register's count is not copied in"
    assert Entry.objects.get(page=page, name="Eksempel barnehage").data["pupils"] == 55


def test_a_sync_that_changes_nothing_touches_no_page(rana, recorded, purge_server):
    last = ChangeEvent.objects.order_by("-sequence").first().sequence
    purge_server.clear()
    for name in ("nsr", "nbr", "brreg"):
        assert run_source(name, sample=True).status == RunStatus.UNCHANGED
    assert not ChangeEvent.objects.filter(sequence__gt=last).exists()
    assert purge_server.requests == []


def test_a_dry_run_changes_no_page(client, rana, recorded):
    page, _english = rana
    changed_school(recorded, pupils=262)
    last = ChangeEvent.objects.order_by("-sequence").first().sequence
    run = run_source("nsr", dry_run=True)
    assert run.updated == 1
    assert Entry.objects.get(page=page, name="Eksempel barneskole").data["pupils"] == 250
    assert not ChangeEvent.objects.filter(sequence__gt=last).exists()


def test_new_employees_in_enhetsregisteret_reach_the_employer_and_the_figures(
    client, rana, recorded
):
    page, _english = rana
    path = FIXTURES / "brreg" / "underenheter_kommune_1833.synthetic.json"
    document = json.loads(path.read_text())
    for unit in document["_embedded"]["underenheter"]:
        if unit["organisasjonsnummer"] == STEELWORKS:
            unit["antallAnsatte"] = 300
    recorded.add(
        r"/brreg/enhetsregisteret/api/underenheter",
        lambda request, match: (
            json_reply(document)
            if request.query["kommunenummer"] == ["1833"]
            else recorded._brreg(request, match)
        ),
    )
    assert run_source("brreg", sample=True).updated == 1
    assert "300 ansatte" in text(client.get("/nb/rana/"))
    industry = Entry.objects.get(page=page, kind="industry").data
    assert industry["employers"][0]["employees"] == 300
    assert industry["register_figures"]["employees"] == 300


def test_the_demo_shows_register_backed_schools_and_employers(client, locales):
    call_command("load_demo", verbosity=0)
    body = text(client.get("/nb/rana/"))
    assert "Eksempel barneskole" in body and "Eksempel barnehage" in body
    assert "EKSEMPEL STÅLVERK AS AVD MO" in body
    assert "Eksempeldata" in body
    english = text(client.get("/en/rana/"))
    assert "Eksempel barneskole" in english and "Sample data" in english
    entry = Entry.objects.get(locale__language_code="en", name="Eksempel barnehage")
    assert entry.data["register_unit"]["source"] == "nbr"
    assert entry.data["years"] == {"first": 1, "last": 5, "unit": "age"}
