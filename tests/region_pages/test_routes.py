"""Which page an address serves is found once per content version, host, language and
path, and kept (`region_pages.routes`); every change to the tree moves the version on."""

from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Page, PageViewRestriction, Site

from region_pages import routes, versions
from region_pages.models import EventCalendarPage
from tests import factories
from tests.conftest import publish, translate
from tests.regions import municipality


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def route_name(path: str, language: str, host: str = "testserver") -> str:
    return f"{host}|80|{language}|{path}"


def test_a_route_found_once_serves_the_next_reader_without_a_query(
    client, home, django_assert_num_queries
):
    rana = municipality(home, "rana", body=[factories.paragraph("Rana ved Ranfjorden.")])
    first = html(client.get(rana.url))
    assert cache.get(versions.key("route", route_name("rana/", "nb"))) is not None
    with translation.override("nb"), versions.read_once():
        versions.token()  # as the request has read the content version
        with CaptureQueriesContext(connection) as walked:
            Page.route_for_request(RequestFactory().get(rana.url), "rana/")
        with django_assert_num_queries(0):
            page, args, kwargs = routes.route_for_request(RequestFactory().get(rana.url), "rana/")
    assert page == rana and type(page) is type(rana) and (list(args), kwargs) == ([], {})
    assert page.title == "Rana" and page.live
    # Its own copy: what one request sets on its page no other request sees.
    page.title = "Endret"
    with translation.override("nb"):
        again, _args, _kwargs = routes.route_for_request(RequestFactory().get(rana.url), "rana/")
    assert again.title == "Rana" and again is not page
    # The blocks are read when a part of the page is rendered (kept then too).
    assert "Rana ved Ranfjorden." in str(again.body)
    # Wagtail's walk: the site, the locale, the home in the language, its child, specific.
    assert len(walked) >= 4
    assert html(client.get(rana.url)) == first


def test_each_language_has_its_own_route_for_the_same_path(client, home):
    english = translate(home)
    assert 'lang="nb"' in html(client.get(home.url))[:200]
    assert 'lang="en"' in html(client.get(english.url))[:200]
    # Both kept now; each still answers in its own language.
    assert 'lang="nb"' in html(client.get(home.url))[:200]
    assert 'lang="en"' in html(client.get(english.url))[:200]
    assert cache.get(versions.key("route", route_name("", "nb"))) != cache.get(
        versions.key("route", route_name("", "en"))
    )


def test_an_unpublished_page_is_not_served_from_its_kept_route(client, home):
    rana = municipality(home, "rana")
    html(client.get(rana.url))
    rana.unpublish()
    assert client.get(rana.url).status_code == 404


def test_a_renamed_page_leaves_its_old_address(client, home):
    rana = municipality(home, "rana")
    old = rana.url
    html(client.get(old))
    rana.slug = "mo-i-rana"
    publish(rana)
    assert client.get(old).status_code == 404
    assert "Rana" in html(client.get(rana.get_url()))


def test_an_address_of_no_page_is_not_kept(client, home):
    assert client.get("/nb/finnes-ikke/").status_code == 404
    assert cache.get(versions.key("route", route_name("finnes-ikke/", "nb"))) is None
    # Below a plain page, a made-up segment is no page either (nor kept).
    rana = municipality(home, "rana")
    assert client.get(f"{rana.url}finnes-ikke/").status_code == 404
    assert client.get(f"{rana.url}finnes-ikke/").status_code == 404


def test_a_restriction_added_after_the_route_was_kept_applies_at_once(client, home):
    rana = municipality(home, "rana")
    html(client.get(rana.url))
    PageViewRestriction.objects.create(page=rana, restriction_type="login")
    assert client.get(rana.url).status_code == 302  # to the login


def test_a_routable_page_answers_its_own_sub_addresses_from_a_kept_route(client, home):
    calendar = EventCalendarPage(title="Hva skjer", slug="hva-skjer")
    home.add_child(instance=calendar)
    publish(calendar)
    feed = f"{calendar.url}ical/"
    for _ in range(2):  # walked, then kept
        response = client.get(feed)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "Hva skjer" in html(client.get(calendar.url))
    assert client.get(f"{calendar.url}finnes-ikke/").status_code == 404


def test_each_host_has_its_own_routes(client, home):
    second_home = publish(
        factories.HomePageFactory(
            parent=home.get_parent(), locale=home.locale, slug="mosjoen", title="Mosjøenregionen"
        )
    )
    Site.objects.create(hostname="mosjoen.localhost", port=80, root_page=second_home)
    municipality(second_home, "vefsn", body=[factories.paragraph("Byen ved Vefsnfjorden.")])
    second = Client(HTTP_HOST="mosjoen.localhost")
    for _ in range(2):  # walked, then kept
        assert "Byen ved Vefsnfjorden" in html(second.get("/nb/vefsn/"))
        assert "<title>Mosjøenregionen" in html(second.get("/nb/"))
        assert "<title>Mosjøenregionen" not in html(client.get("/nb/"))
        assert client.get("/nb/vefsn/").status_code == 404
    assert cache.get(versions.key("route", route_name("", "nb", "mosjoen.localhost")))


def test_a_head_request_is_routed_as_a_get(client, home):
    rana = municipality(home, "rana")
    html(client.get(rana.url))
    response = client.head(rana.url)
    assert response.status_code == 200
    assert response.content == b""
