"""A public page's parts are rendered once per content version and address, and served
from the cache to the readers after (`region_pages.fragments`)."""

import time

from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import PageViewRestriction

import pytest

from region_pages import fragments, versions
from region_pages.models import Entry, Theme
from tests import factories
from tests.conftest import publish, translate
from tests.regions import municipality


@pytest.fixture
def rana(home):
    return municipality(
        home,
        "rana",
        body=[
            factories.paragraph("Rana er en industrikommune."),
            factories.industry(),
            factories.leisure(name="Svartisen", seasons=["summer"]),
            factories.school(name="Ytteren skole"),
        ],
    )


def body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_reader_after_the_first_gets_the_same_page_from_its_kept_parts(
    client, rana, django_assert_max_num_queries
):
    first = body(client.get(rana.url))
    # The content version and the page (its route kept): not the blocks' data.
    with django_assert_max_num_queries(2):
        again = body(client.get(rana.url))
    assert again == first
    assert "Ytteren skole" in again


def test_a_publish_renders_the_parts_anew(client, rana):
    assert "Rana er en industrikommune." in body(client.get(rana.url))
    rana.body = [factories.paragraph("Rana er en kommune ved Ranfjorden.")]
    publish(rana)
    html = body(client.get(rana.url))
    assert "Rana er en kommune ved Ranfjorden." in html
    assert "Rana er en industrikommune." not in html


def test_each_language_address_and_query_has_parts_of_its_own(client, home):
    leisure = publish(
        factories.ThemePageFactory(parent=home, title="Fritid", slug="fritid", theme=Theme.LEISURE)
    )
    municipality(home, "rana", body=[factories.leisure(name="Svartisen", seasons=["summer"])])
    municipality(
        home,
        "hemnes",
        body=[factories.leisure(name="Okstindan", seasons=["winter"])],
    )
    english = translate(leisure)
    everything = body(client.get(leisure.url))
    assert "Svartisen" in everything and "Okstindan" in everything
    hemnes = body(client.get(f"{leisure.url}?kommune=1832"))
    assert "Okstindan" in hemnes and "Svartisen" not in hemnes
    # The kept page without the filter is not the filtered one, and the other way round.
    assert "Svartisen" in body(client.get(leisure.url))
    assert "Svartisen" not in body(client.get(f"{leisure.url}?kommune=1832"))
    assert 'lang="en"' in body(client.get(english.url))
    assert 'lang="nb"' in body(client.get(leisure.url))[:200]


def test_a_preview_shows_the_draft_and_keeps_nothing(client, rana):
    live = body(client.get(rana.url))
    rana.intro = "Et utkast ingen leser har sett."
    rana.save_revision()
    draft = rana.get_latest_revision_as_object()
    preview = draft.make_preview_request()
    assert "Et utkast ingen leser har sett." in preview.content.decode()
    # Readers still get the live page, as kept before the preview.
    assert body(client.get(rana.url)) == live


def kept(page, path) -> list[bool]:
    """Which of the page's parts are kept for a GET of `path`."""
    translation.activate(page.locale.language_code)
    request = RequestFactory().get(path)
    return [cache.get(fragments.key(page, request, part)) is not None for part in fragments.PARTS]


def test_a_head_request_neither_reads_nor_keeps_parts(client, rana):
    client.head(rana.url)
    assert kept(rana, rana.url) == [False, False]
    body(client.get(rana.url))
    assert kept(rana, rana.url) == [True, True]


def test_a_restriction_added_after_a_page_was_kept_applies_at_once(client, rana):
    body(client.get(rana.url))
    PageViewRestriction.objects.create(page=rana, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(rana.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_page_whose_parts_are_missing_is_rendered_within_ten_queries(
    client, rana, django_assert_max_num_queries
):
    """The menu, the regions and the sources' figures are kept (other pages read them);
    this page's own parts are not: it renders them, with its blocks' data."""
    body(client.get(f"{rana.url}?warm=menus"))
    assert kept(rana, rana.url) == [False, False]
    with django_assert_max_num_queries(10):
        body(client.get(rana.url))
    assert kept(rana, rana.url) == [True, True]


def test_values_kept_under_the_version_are_kept_in_the_process_until_it_moves_on(db, monkeypatch):
    built = []

    def build():
        built.append(1)
        return ["meny"]

    assert versions.remember("test", "menu", build) == ["meny"]
    cache.clear()  # the shared copy gone: this process still has it
    assert versions.remember("test", "menu", build) == ["meny"]
    assert len(built) == 1
    # At most KEPT_SECONDS, then the shared cache is asked again (here: built again).
    later = time.monotonic() + versions.KEPT_SECONDS + 1
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    assert versions.remember("test", "menu", build) == ["meny"]
    assert len(built) == 2
    monkeypatch.undo()
    # A new version: built again, whatever is kept.
    versions.bump()
    assert versions.remember("test", "menu", build) == ["meny"]
    assert len(built) == 3
    # Another process, started now, finds it in the shared cache.
    versions.forget_kept()
    assert versions.remember("test", "menu", build) == ["meny"]
    assert len(built) == 3


def test_several_values_are_kept_together_and_only_the_missing_ones_built(db):
    asked = []

    def build(names):
        asked.append(list(names))
        return {name: name.upper() for name in names}

    assert versions.remember_many("test", ["a", "b"], build) == {"a": "A", "b": "B"}
    assert versions.remember_many("test", ["a", "b", "c"], build) == {"a": "A", "b": "B", "c": "C"}
    assert asked == [["a", "b"], ["c"]]
    # Another process, started now, finds them in the shared cache: nothing is built.
    versions.forget_kept()
    assert versions.remember_many("test", ["c", "a"], build) == {"c": "C", "a": "A"}
    assert asked == [["a", "b"], ["c"]]
    versions.bump()
    assert versions.remember_many("test", ["a"], build) == {"a": "A"}
    assert asked == [["a", "b"], ["c"], ["a"]]


def test_an_entry_published_anew_is_answered_anew_by_the_api(client, rana):
    def names():
        answer = client.get("/api/v1/entries?lang=nb&kind=school")
        assert answer.status_code == 200
        return [item["name"] for item in answer.json()["items"]]

    assert names() == ["Ytteren skole"]
    rana.body = [factories.school(name="Ytteren barneskole")]
    publish(rana)
    assert names() == ["Ytteren barneskole"]


@pytest.mark.parametrize(
    "list_url",
    [
        "/api/v1/entries?lang=nb&limit={}",
        "/api/v1/entries.geojson?lang=nb&limit={}",
        "/api/v1/pages?lang=nb&limit={}",
    ],
)
def test_an_api_list_whose_items_are_partly_kept_is_the_list_made_afresh(
    client, home, rana, list_url
):
    municipality(home, "hemnes", body=[factories.leisure(name="Okstindan")])
    assert client.get(list_url.format(1)).status_code == 200  # keeps the first item
    partly = client.get(list_url.format(4)).json()
    versions.bump()
    afresh = client.get(list_url.format(4)).json()
    assert partly == afresh
    assert afresh["count"] >= 3
    assert len(afresh.get("items", afresh.get("features"))) == afresh["count"]


def test_a_municipality_is_kept_under_the_key_asked_and_an_unknown_key_is_not(
    client, rana, django_assert_max_num_queries
):
    by_number = client.get("/api/v1/municipalities/1833?lang=nb")
    by_slug = client.get("/api/v1/municipalities/rana?lang=nb")
    assert by_number.status_code == by_slug.status_code == 200
    assert by_number.json() == by_slug.json()
    with django_assert_max_num_queries(1):  # the content version
        assert client.get("/api/v1/municipalities/1833?lang=nb").json() == by_number.json()
    for _ in range(2):
        with CaptureQueriesContext(connection) as looked_up:
            missing = client.get("/api/v1/municipalities/9999?lang=nb")
        assert missing.status_code == 404
        assert len(looked_up) > 1  # looked up each time: nothing kept for it
    rana.title = "Rana kommune"
    publish(rana)
    assert client.get("/api/v1/municipalities/1833?lang=nb").json()["title"] == "Rana kommune"


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/region?lang=nb",
        "/api/v1/municipalities?lang=nb&limit=5",
        "/api/v1/pages/{rana}",
    ],
)
def test_the_region_the_municipalities_and_a_page_are_kept_until_a_publish(
    client, rana, address, django_assert_max_num_queries
):
    address = address.format(rana=rana.pk)
    first = client.get(address)
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # the content version
        assert client.get(address).json() == first.json()
    rana.title = "Rana kommune"
    publish(rana)
    assert "Rana kommune" in client.get(address).content.decode()
    assert "Rana kommune" not in first.content.decode()


def test_an_entry_is_kept_until_a_publish_changes_it(client, rana, django_assert_max_num_queries):
    entry = Entry.objects.get(page=rana, kind="leisure")
    address = f"/api/v1/entries/{entry.block_id}?lang=nb"
    first = client.get(address).json()
    assert first["name"] == "Svartisen"
    with django_assert_max_num_queries(1):  # the content version
        assert client.get(address).json() == first
    rana.body = [
        factories.paragraph("Rana er en industrikommune."),
        factories.industry(),
        {
            **factories.leisure(name="Svartisen og Engabreen", seasons=["summer"]),
            "id": entry.block_id,
        },
        factories.school(name="Ytteren skole"),
    ]
    publish(rana)
    assert client.get(address).json()["name"] == "Svartisen og Engabreen"
    assert client.get("/api/v1/entries/not-an-entry?lang=nb").status_code == 404


def test_a_page_that_is_not_there_is_looked_up_each_time(client, rana):
    for _ in range(2):
        with CaptureQueriesContext(connection) as looked_up:
            assert client.get("/api/v1/pages/999999").status_code == 404
        assert len(looked_up) > 1


def test_what_is_kept_is_named_by_the_release_that_made_it(db, tmp_path):
    """A rolling upgrade runs two releases on one Redis: neither reads the other's values."""
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "views.py").write_text("ANSWER = 1\n")
    (app / "templates" / "page.html").write_text("<p>{{ page.title }}</p>\n")
    (app / "notes.md").write_text("Not code.\n")
    first = versions.digest_of([app], tmp_path)
    (app / "notes.md").write_text("Still not code.\n")
    assert versions.digest_of([app], tmp_path) == first
    (app / "templates" / "page.html").write_text("<p>{{ page.seo_title }}</p>\n")
    changed = versions.digest_of([app], tmp_path)
    assert changed != first
    (app / "views.py").write_text("ANSWER = 2\n")
    assert versions.digest_of([app], tmp_path) not in (first, changed)
    # This process's release names every kept value.
    assert versions.release() in versions.key("menu", "nb")
    assert len(versions.release()) == 12


def test_the_sitemap_is_kept_under_the_version_and_a_publish_renews_it(
    client, home, rana, django_assert_max_num_queries
):
    for address in ("/sitemap.xml", "/sitemap-1.xml"):
        first = client.get(address)
        assert first.status_code == 200 and first["Content-Type"] == "application/xml"
        with django_assert_max_num_queries(1):  # the content version
            assert client.get(address).content == first.content
    assert "/nb/rana/" in client.get("/sitemap-1.xml").content.decode()
    municipality(home, "hemnes")
    assert "/nb/hemnes/" in client.get("/sitemap-1.xml").content.decode()
    for _ in range(2):  # past the last page: not found, and nothing kept for it
        assert client.get("/sitemap-9.xml").status_code == 404
