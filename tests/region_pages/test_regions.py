"""Two regions in one install, each a Wagtail site on its own host: nothing of one is
served on the other's host (pages, menus, sitemap, search, the partner API, the change
feed, the vacancies), and each has its own name, municipalities and look."""

import io
import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.files.images import ImageFile
from django.test import Client
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Page, Site

import pytest
from PIL import Image as PILImage

from region_pages import regions
from region_pages.models import EventCalendarPage, EventPage, RegionSettings
from sources.models import Vacancy
from tests import factories
from tests.conftest import publish, shared_for_the_module, translate
from tests.regions import municipality
from tests.search.test_views import result_titles
from tests.sitemaps import NS, sitemap_pages
from tests.wsgi_client import call

pytestmark = pytest.mark.django_db

RANA_HOST = "testserver"
MOSJOEN_HOST = "mosjoen.localhost"
# Words that only one region's content holds: seeing one on the other host is a leak.
MARKERS = {
    RANA_HOST: ("Ranfjorden", "Svartisen", "Rana-konsert"),
    MOSJOEN_HOST: ("Vefsnfjorden", "Laksforsen", "Vefsn-konsert"),
}
OTHER = {RANA_HOST: MOSJOEN_HOST, MOSJOEN_HOST: RANA_HOST}
API_LISTS = [
    "/api/v1/region",
    "/api/v1/municipalities",
    "/api/v1/pages",
    "/api/v1/entries",
    "/api/v1/events",
    "/api/v1/changes",
    "/api/v1/vacancies",
]


def calendar_with_event(home, title, number):
    calendar = publish(
        home.add_child(instance=EventCalendarPage(title="Hva skjer", slug="hva-skjer"))
    )
    start = timezone.now() + timedelta(days=3)
    event = EventPage(
        title=title,
        slug=title.lower(),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        municipality_number=number,
        place_name="Kulturhuset",
        category="music",
    )
    calendar.add_child(instance=event)
    return publish(event)


def vacancy(number, title):
    return Vacancy.objects.create(
        source="nav",
        external_id=f"{number}-1",
        title=title,
        employer="Kommunen",
        municipality_number=number,
        published_at=timezone.now(),
        url="https://arbeidsplassen.nav.no/stillinger/stilling/1",
    )


def build_two_regions(home):
    """Ranaregionen on testserver (the default site) with Rana; Mosjøenregionen on its own
    host with Vefsn; both in Norwegian and English, each with an event and a vacancy."""
    rana = municipality(
        home,
        "rana",
        show_in_menus=True,
        body=[
            factories.paragraph("Byen ved Ranfjorden."),
            factories.leisure(name="Tur til Svartisen"),
        ],
    )
    calendar_with_event(home, "Rana-konsert", "1833")
    second = publish(
        factories.HomePageFactory(
            parent=Page.get_first_root_node(),
            slug="mosjoenregionen",
            title="Mosjøenregionen",
            locale=home.locale,
        )
    )
    Site.objects.create(
        hostname=MOSJOEN_HOST, port=80, root_page=second, site_name="Mosjøenregionen"
    )
    vefsn = municipality(
        second,
        "vefsn",
        show_in_menus=True,
        body=[
            factories.paragraph("Byen ved Vefsnfjorden."),
            factories.leisure(name="Tur til Laksforsen", place_name="Grane"),
        ],
    )
    calendar_with_event(second, "Vefsn-konsert", "1824")
    for page in (home, rana, second, vefsn):
        translate(page)
    vacancy("1833", "Lærer i Rana ved Ranfjorden")
    vacancy("1824", "Lærer i Vefsn ved Vefsnfjorden")
    return {"rana": rana, "vefsn": vefsn, "home": home, "second": second}


# Every test here reads the same two regions: built once for the module.
_region_of_the_module, two_regions, home = shared_for_the_module(
    build_two_regions, name="two_regions"
)


def get(host, path, **extra):
    return Client(HTTP_HOST=host).get(path, **extra)


def text(host, path) -> str:
    response = get(host, path)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


def assert_no_leak(host, path, body):
    for word in MARKERS[OTHER[host]]:
        assert word not in body, f"{word!r} of the other region in {host}{path}"


def sitemap_urls(host) -> list[str]:
    pages = sitemap_pages(lambda path: get(host, path).content)
    return [loc.text for page in pages for loc in page.iterfind(f"{{{NS}}}url/{{{NS}}}loc")]


def test_each_site_is_a_region_with_its_own_municipalities(two_regions):
    found = {region.key: region for region in regions.all_regions()}
    assert set(found) == {"ranaregionen", "mosjoenregionen"}
    assert found["ranaregionen"].numbers == ("1833",)
    assert found["mosjoenregionen"].numbers == ("1824",)
    assert found["ranaregionen"].is_default and not found["mosjoenregionen"].is_default
    # A home page in each language.
    assert {code for code, _pk, _path in found["mosjoenregionen"].homes} == {"nb", "en"}


def test_each_host_serves_its_own_region_and_an_unknown_host_the_default(two_regions):
    assert "<title>Mosjøenregionen</title>" in text(MOSJOEN_HOST, "/nb/")
    assert "<title>" in text(RANA_HOST, "/nb/") and "Mosjøenregionen" not in text(RANA_HOST, "/nb/")
    assert get(MOSJOEN_HOST, "/nb/vefsn/").status_code == 200
    assert get(MOSJOEN_HOST, "/nb/rana/").status_code == 404
    assert get(RANA_HOST, "/nb/vefsn/").status_code == 404
    # A host no site names is the default site's.
    assert get("localhost", "/nb/rana/").status_code == 200


@pytest.mark.parametrize("host", [RANA_HOST, MOSJOEN_HOST])
def test_no_page_of_the_sitemap_shows_the_other_region(two_regions, host):
    urls = sitemap_urls(host)
    assert urls, host
    for url in urls:
        parts = urlsplit(url)
        assert parts.hostname == host
        assert_no_leak(host, parts.path, text(host, parts.path))
    other = {urlsplit(url).path for url in sitemap_urls(OTHER[host])}
    assert not other & {urlsplit(url).path for url in urls} - {"/nb/", "/en/", "/nb/hva-skjer/"}


@pytest.mark.parametrize("host", [RANA_HOST, MOSJOEN_HOST])
def test_no_api_list_holds_the_other_region(two_regions, host):
    for path in API_LISTS:
        for lang in ("nb", "en"):
            query = "" if path == "/api/v1/changes" else f"?lang={lang}"
            body = text(host, path + query)
            assert_no_leak(host, path, body)
    # And each holds its own.
    own = MARKERS[host]
    assert own[0] in text(host, "/api/v1/vacancies")
    assert own[1] in text(host, "/api/v1/entries")
    assert own[2] in text(host, "/api/v1/events")


def test_details_of_another_region_are_not_found(two_regions):
    vefsn = two_regions["vefsn"]
    assert get(MOSJOEN_HOST, f"/api/v1/pages/{vefsn.pk}").status_code == 200
    assert get(RANA_HOST, f"/api/v1/pages/{vefsn.pk}").status_code == 404
    assert get(RANA_HOST, "/api/v1/municipalities/1824").status_code == 404
    assert get(MOSJOEN_HOST, "/api/v1/municipalities/rana").status_code == 404
    entry = json.loads(text(MOSJOEN_HOST, "/api/v1/entries"))["items"][0]
    assert get(RANA_HOST, f"/api/v1/entries/{entry['id']}").status_code == 404
    assert get(RANA_HOST, "/api/v1/vacancies/nav:1824-1").status_code == 404
    assert get(MOSJOEN_HOST, "/api/v1/vacancies/nav:1824-1").status_code == 200


@pytest.mark.parametrize("host", [RANA_HOST, MOSJOEN_HOST])
def test_search_finds_only_the_regions_own_pages(two_regions, host):
    own, other = MARKERS[host][1], MARKERS[OTHER[host]][1]
    assert result_titles(text(host, f"/nb/sok/?q={own}")) == [f"Tur til {own}"]
    assert result_titles(text(host, f"/nb/sok/?q={other}")) == []
    found = json.loads(text(host, f"/api/v1/search?q={other}"))
    assert found["items"] == [] and found["count"] == 0
    assert json.loads(text(host, f"/api/v1/search?q={own}"))["count"] >= 1
    suggestions = text(host, f"/nb/sok/forslag/?q={other[:4]}")
    assert other not in suggestions


@pytest.mark.parametrize("host", [RANA_HOST, MOSJOEN_HOST])
def test_a_search_that_finds_nothing_suggests_the_regions_own_municipalities(two_regions, host):
    own, other = {RANA_HOST: ("Rana", "Vefsn"), MOSJOEN_HOST: ("Vefsn", "Rana")}[host]
    for _ in range(2):  # and again from what is kept
        page = text(host, "/nb/sok/?q=zzqxy")
        suggested = re.search(r'<ul class="link-list">.*?</ul>', page, re.S).group(0)
        assert f">{own}</a>" in suggested and f">{other}</a>" not in suggested


def test_the_change_feed_of_a_region_announces_only_its_resources(two_regions):
    def announced(host):
        return {
            (item["resource_type"], str(item["id"]))
            for item in json.loads(text(host, "/api/v1/changes?limit=1000"))["items"]
        }

    rana, mosjoen = announced(RANA_HOST), announced(MOSJOEN_HOST)
    assert ("page", str(two_regions["rana"].pk)) in rana
    assert ("page", str(two_regions["vefsn"].pk)) in mosjoen
    assert not rana & mosjoen
    assert ("page", str(two_regions["vefsn"].pk)) not in rana
    # Each region's head is its own newest event.
    heads = {host: json.loads(text(host, "/api/v1/changes/head"))["cursor"] for host in OTHER}
    assert heads[RANA_HOST] != heads[MOSJOEN_HOST]
    # Unpublishing in one region tells that region's feed only.
    before = announced(RANA_HOST)
    two_regions["vefsn"].unpublish()
    assert announced(RANA_HOST) == before


def test_the_menu_footer_and_look_are_the_regions(two_regions):
    rana, mosjoen = text(RANA_HOST, "/nb/"), text(MOSJOEN_HOST, "/nb/")
    footer = re.search(r'<footer class="site-footer">.*?</footer>', mosjoen, re.S).group(0)
    assert "Mosjøenregionen" in footer and "Vefsn" in footer and "Rana" not in footer
    assert "Ranaregionen" in re.search(
        r'<footer class="site-footer">.*?</footer>', rana, re.S
    ).group(0)
    nav = re.search(r'<nav class="site-nav".*?</nav>', mosjoen, re.S).group(0)
    assert "/nb/vefsn/" in nav and "/nb/rana/" not in nav

    assert "designsystemet/ranaregionen.css" in mosjoen
    RegionSettings.objects.create(
        site=Site.objects.get(hostname=MOSJOEN_HOST), theme="mosjoenregionen"
    )
    assert "designsystemet/mosjoenregionen.css" in text(MOSJOEN_HOST, "/nb/")
    assert "designsystemet/ranaregionen.css" in text(RANA_HOST, "/nb/")


def test_a_regions_logo_is_drawn_beside_its_name_on_its_host_only(two_regions):
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 120), (107, 47, 95)).save(buffer, format="PNG")
    logo = get_image_model().objects.create(
        title="Mosjøenregionen logo", file=ImageFile(buffer, name="logo.png")
    )
    RegionSettings.objects.create(site=Site.objects.get(hostname=MOSJOEN_HOST), logo=logo)
    name = text(MOSJOEN_HOST, "/nb/").split('class="site-name"')[1].split("</a>")[0]
    found = re.search(r'<img src="([^"]+)" alt="" width="40" height="40">', name)
    # A rendition twice the size drawn, for sharp screens.
    assert found and "logo" in found.group(1) and "fill-80x80" in found.group(1)
    assert "<img" not in text(RANA_HOST, "/nb/").split('class="site-name"')[1].split("</a>")[0]


def test_the_response_cache_keeps_each_hosts_answer_apart(two_regions, direct_wsgi):
    for _round in range(2):
        rana = call("/api/v1/municipalities", "lang=nb")
        mosjoen = call("/api/v1/municipalities", "lang=nb", host=MOSJOEN_HOST)
        assert b"Rana" in rana.body and b"Vefsn" not in rana.body
        assert b"Vefsn" in mosjoen.body and b"Rana" not in mosjoen.body
    assert rana.cache == mosjoen.cache == "hit"


def test_the_regions_are_listed_with_their_keys_and_sites(two_regions):
    listed = json.loads(text(RANA_HOST, "/api/v1/regions"))["items"]
    assert [(r["key"], r["html_url"], r["municipality_numbers"]) for r in listed] == [
        ("ranaregionen", "http://testserver/", ["1833"]),
        ("mosjoenregionen", "http://mosjoen.localhost/", ["1824"]),
    ]
    assert all(r["languages"] == ["en", "nb"] for r in listed)


def test_a_partner_reads_several_regions_on_one_host(two_regions):
    both = "region=ranaregionen,mosjoenregionen"
    entries = json.loads(text(RANA_HOST, f"/api/v1/entries?{both}"))["items"]
    names = {entry["name"]: entry for entry in entries}
    assert {"Tur til Svartisen", "Tur til Laksforsen"} <= set(names)
    # The other region's resource is fetched on the same host by its api_url; its page is
    # on its own site.
    mosjoen = names["Tur til Laksforsen"]
    assert "region=mosjoenregionen" in mosjoen["api_url"]
    assert mosjoen["html_url"].startswith("http://mosjoen.localhost/nb/vefsn/")
    followed = get(
        RANA_HOST,
        urlsplit(mosjoen["api_url"]).path,
        data=dict(pair.split("=") for pair in urlsplit(mosjoen["api_url"]).query.split("&")),
    )
    assert followed.status_code == 200 and "Laksforsen" in followed.content.decode()
    assert "region=" not in names["Tur til Svartisen"]["api_url"]

    found = json.loads(text(RANA_HOST, f"/api/v1/search?q=Tur&{both}"))["items"]
    assert {"Tur til Svartisen", "Tur til Laksforsen"} <= {hit["title"] for hit in found}
    alone = json.loads(text(RANA_HOST, "/api/v1/search?q=Tur"))["items"]
    assert "Tur til Laksforsen" not in {hit["title"] for hit in alone}

    only = json.loads(text(RANA_HOST, "/api/v1/vacancies?region=mosjoenregionen"))["items"]
    assert [v["municipality_number"] for v in only] == ["1824"]
    feed = json.loads(text(RANA_HOST, f"/api/v1/changes?limit=1000&{both}"))["items"]
    ids = {str(item["id"]) for item in feed if item["resource_type"] == "page"}
    assert {str(two_regions["rana"].pk), str(two_regions["vefsn"].pk)} <= ids


def test_a_region_that_does_not_exist_is_a_problem_that_names_those_that_do(two_regions):
    response = get(RANA_HOST, "/api/v1/municipalities?region=bodoregionen")
    assert response.status_code == 404
    problem = json.loads(response.content)
    assert "bodoregionen" in problem["detail"]
    assert "ranaregionen, mosjoenregionen" in problem["detail"]
    assert get(RANA_HOST, "/api/v1/municipalities?region=Not%20a%20key").status_code == 400


def test_a_page_moved_to_another_region_leaves_the_old_regions_feed(two_regions):
    article = publish(
        factories.ArticlePageFactory(parent=two_regions["vefsn"], slug="flytt", title="Flytt")
    )

    def actions(host):
        feed = json.loads(text(host, "/api/v1/changes?limit=1000"))["items"]
        return [i["action"] for i in feed if i["resource_type"] == "page" and i["id"] == article.pk]

    assert actions(MOSJOEN_HOST) == ["published"] and actions(RANA_HOST) == []
    Page.objects.get(pk=article.pk).move(two_regions["rana"], pos="last-child")
    # A mirror of either region that replays its feed ends with what that region shows.
    assert actions(MOSJOEN_HOST) == ["published", "unpublished"]
    assert actions(RANA_HOST) == ["published"]
    assert get(RANA_HOST, f"/api/v1/pages/{article.pk}").status_code == 200
    assert get(MOSJOEN_HOST, f"/api/v1/pages/{article.pk}").status_code == 404


def test_a_vacancy_links_to_where_its_own_region_lists_it_in_each_language(two_regions):
    for key in ("home", "second"):
        work = publish(
            factories.ThemePageFactory(
                parent=two_regions[key], slug="arbeid", title="Arbeid", theme="work"
            )
        )
        translate(work, texts={"arbeid": "jobs"})
    for host, number, other in ((RANA_HOST, "1833", "1824"), (MOSJOEN_HOST, "1824", "1833")):
        for lang, work_path in (("nb", "/nb/arbeid/"), ("en", "/en/jobs/")):
            [item] = json.loads(text(host, f"/api/v1/vacancies?lang={lang}"))["items"]
            assert (item["lang"], item["translation_key"]) == (lang, f"nav:{number}-1")
            assert item["first_published_at"] and item["last_published_at"]
            address = urlsplit(item["html_url"])
            assert (address.netloc, address.path) == (host, work_path)
            assert address.query == f"kommune={number}"
            # The address shows the vacancy, at its own item, on its region's site.
            page = text(host, f"{address.path}?{address.query}")
            assert f'id="{address.fragment}"' in page
            assert f'id="vacancy-nav-{other}-1"' not in page
        detail = json.loads(text(host, f"/api/v1/vacancies/nav:{number}-1?lang=en"))
        assert detail["html_url"] == item["html_url"]
