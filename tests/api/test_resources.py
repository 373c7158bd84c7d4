"""Contract tests: every endpoint answers in both languages with typed, joined resources,
and a missing translation is reported, never replaced by the other language."""

from urllib.parse import urlsplit

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Collection

import pytest

from tests import factories
from tests.conftest import publish

from .conftest import shared_region

# Every test here reads the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db


def get(api, url, status=200):
    response = api.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_the_region_in_both_languages_joined_by_translation_key(api, region):
    nb = get(api, "/api/v1/region")
    en = get(api, "/api/v1/region?lang=en")
    assert (nb["lang"], en["lang"]) == ("nb", "en")
    assert nb["translation_key"] == en["translation_key"] == str(region["home"].translation_key)
    assert [m["number"] for m in nb["municipalities"]] == ["1833", "1832"]
    # Only Rana is translated: the English region lists Rana alone.
    assert [m["title"] for m in en["municipalities"]] == ["EN: Rana"]
    assert [t["id"] for t in en["theme_pages"]] == [region["theme_en"].pk]
    assert nb["translations"] == [
        {
            "lang": "en",
            "id": region["home_en"].pk,
            "html_url": "http://testserver/en/",
            "api_url": f"http://testserver/api/v1/pages/{region['home_en'].pk}",
        }
    ]
    assert nb["first_published_at"] and nb["last_published_at"]


def test_municipality_list_reports_untranslated_municipalities(api, region):
    en = get(api, "/api/v1/municipalities?lang=en")
    assert [item["id"] for item in en["items"]] == [region["rana_en"].pk]
    assert en["missing_translations"] == [
        {
            "lang": "nb",
            "id": region["hemnes"].pk,
            "translation_key": str(region["hemnes"].translation_key),
            "title": "Hemnes",
            "html_url": "http://testserver/nb/hemnes/",
            "api_url": "http://testserver/api/v1/municipalities/1832?lang=nb",
        }
    ]
    nb = get(api, "/api/v1/municipalities")
    assert nb["count"] == 2 and nb["missing_translations"] == []
    rana = nb["items"][0]
    assert rana["facts"]["population"] == 26000
    assert rana["facts"]["administrative_centre"] == "Mo i Rana"
    assert rana["links"]["website"] == "https://www.rana.kommune.no/"
    assert rana["entry_counts"] == {"industry": 1, "leisure": 2, "school": 1}


@pytest.mark.parametrize("key", ["1833", "rana"])
def test_municipality_detail_by_number_or_slug_with_its_entries(api, region, key):
    en = get(api, f"/api/v1/municipalities/{key}?lang=en")
    assert en["id"] == region["rana_en"].pk and en["lang"] == "en"
    assert [e["kind"] for e in en["entries"]] == ["industry", "leisure", "school", "leisure"]
    assert all(e["lang"] == "en" for e in en["entries"])
    school = en["entries"][2]
    assert school["data"]["level_label"] == "Primary school (years 1–7)"
    assert school["name"] == "EN: Ytteren skole"
    assert en["missing_entry_translations"] == []


def test_a_municipality_leads_to_itself_with_its_entries_in_every_language(api, region):
    """A municipality's `api_url` is /municipalities/{number}, as documented: following it
    from the list gives the municipality with its entries (/pages/{id} has none)."""
    listed = get(api, "/api/v1/municipalities?lang=en")["items"][0]
    assert listed["api_url"] == "http://testserver/api/v1/municipalities/1833?lang=en"
    assert [t["api_url"] for t in listed["translations"]] == [
        "http://testserver/api/v1/municipalities/1833?lang=nb"
    ]
    detail = get(api, listed["api_url"])
    assert detail["api_url"] == listed["api_url"]
    assert len(detail["entries"]) == sum(listed["entry_counts"].values()) == 4
    in_region = get(api, "/api/v1/region")["municipalities"]
    assert [m["api_url"] for m in in_region] == [
        "http://testserver/api/v1/municipalities/1833?lang=nb",
        "http://testserver/api/v1/municipalities/1832?lang=nb",
    ]
    problem = get(api, "/api/v1/municipalities/hemnes?lang=en", status=404)
    assert [a["api_url"] for a in problem["available"]] == [
        "http://testserver/api/v1/municipalities/1832?lang=nb"
    ]


def urls(node, key: str) -> list[str]:
    """Every `key` member (html_url, api_url) anywhere in an answer."""
    if isinstance(node, dict):
        own = [node[key]] if isinstance(node.get(key), str) else []
        return own + [url for value in node.values() for url in urls(value, key)]
    if isinstance(node, list):
        return [url for value in node for url in urls(value, key)]
    return []


ANSWERS = [
    "/api/v1/region?lang=en",
    "/api/v1/municipalities",
    "/api/v1/municipalities/rana?lang=en",
    "/api/v1/entries?limit=100",
    "/api/v1/pages?lang=en",
]


@pytest.mark.parametrize("path", ANSWERS)
def test_html_and_api_urls_agree_on_the_host_asked_on_the_sites_host(api, region, path):
    body = get(api, path)
    html, api_urls = urls(body, "html_url"), urls(body, "api_url")
    assert html and api_urls
    assert {urlsplit(url)[:2] for url in html + api_urls} == {("http", "testserver")}


def test_api_urls_follow_the_host_asked_and_html_urls_stay_canonical(api, region):
    """Asked on another host (a staging name, the origin behind the CDN), the API keeps
    the client on that host; the public pages keep their canonical address."""
    body = api.get("/api/v1/municipalities?lang=en", HTTP_HOST="localhost").json()
    assert {urlsplit(url).netloc for url in urls(body, "api_url")} == {"localhost"}
    assert {urlsplit(url).netloc for url in urls(body, "html_url")} == {"testserver"}


def test_a_municipality_missing_in_english_is_a_404_naming_the_norwegian_one(api, region):
    problem = get(api, "/api/v1/municipalities/1832?lang=en", status=404)
    assert problem["type"].endswith("/missing-translation")
    assert [(a["lang"], a["id"]) for a in problem["available"]] == [("nb", region["hemnes"].pk)]


def test_an_unknown_municipality_is_a_404(api, region):
    problem = get(api, "/api/v1/municipalities/9999", status=404)
    assert problem["type"].endswith("/not-found") and problem["status"] == 404


def test_entries_carry_ids_shared_across_languages_and_the_other_language(api, region):
    nb = get(api, "/api/v1/entries?kind=school&municipality=1833")["items"]
    en = get(api, "/api/v1/entries?kind=school&municipality=1833&lang=en")["items"]
    assert [e["id"] for e in nb] == [e["id"] for e in en] == [region["rana"].body[3].id]
    entry = nb[0]
    assert entry["translation_key"] == entry["id"]
    assert entry["html_url"] == f"http://testserver/nb/rana/#block-{entry['id']}"
    assert entry["translations"] == [
        {
            "lang": "en",
            "id": entry["id"],
            "html_url": f"http://testserver/en/rana/#block-{entry['id']}",
            "api_url": f"http://testserver/api/v1/entries/{entry['id']}?lang=en",
        }
    ]
    assert entry["municipality"] == {
        "id": region["rana"].pk,
        "number": "1833",
        "name": "Rana",
        "slug": "rana",
    }
    assert entry["first_published_at"] and entry["last_published_at"]


def test_entry_detail_and_its_missing_translation(api, region):
    school = region["hemnes"].body[0].id
    nb = get(api, f"/api/v1/entries/{school}")
    assert nb["name"] == "Korgen barnehage" and nb["data"]["level"] == "kindergarten"
    problem = get(api, f"/api/v1/entries/{school}?lang=en", status=404)
    assert problem["type"].endswith("/missing-translation")
    assert problem["available"][0]["lang"] == "nb"
    get(api, "/api/v1/entries/no-such-entry", status=404)


def test_an_entry_added_in_norwegian_only_is_reported_on_the_english_municipality(api, region):
    rana = region["rana"]
    rana.body.append(("school", factories.school(name="Ny skole")["value"]))
    publish(rana)
    en = get(api, "/api/v1/municipalities/rana?lang=en")
    assert [m["title"] for m in en["missing_entry_translations"]] == ["Ny skole"]
    assert en["missing_entry_translations"][0]["lang"] == "nb"


def test_page_detail_has_a_typed_body(api, region):
    page = get(api, f"/api/v1/pages/{region['rana'].pk}")
    assert page["type"] == "municipality" and page["municipality_number"] == "1833"
    assert [block["type"] for block in page["body"]] == [
        "paragraph",
        "industry",
        "leisure",
        "school",
        "leisure",
    ]
    assert page["body"][0]["value"] == "<p>Rana er en industriby.</p>"
    assert page["body"][2]["value"]["category_label"] == "Fotturer og fjell"
    english = get(api, f"/api/v1/pages/{region['rana_en'].pk}")
    assert english["body"][2]["value"]["category_label"] == "Hiking and mountains"
    assert {block["id"] for block in page["body"]} == {block["id"] for block in english["body"]}


def test_page_list_in_tree_order_with_types(api, region):
    nb = get(api, "/api/v1/pages")
    assert [item["type"] for item in nb["items"]] == [
        "home",
        "municipality",
        "municipality",
        "theme",
        "article",
    ]
    en = get(api, "/api/v1/pages?lang=en&type=article")
    assert en["items"] == []
    assert [m["id"] for m in en["missing_translations"]] == [region["article"].pk]


def test_rich_text_links_to_pages_are_absolute_in_the_pages_language(api, region, settings):
    settings.SITE_BASE_URL = "https://ranaregionen.example"
    rana = region["rana"]
    for page in (region["theme"], region["theme_en"]):
        page.body = [
            {
                "type": "paragraph",
                "value": f'<p>Se <a linktype="page" id="{rana.pk}">Rana</a>.</p>',
                "id": "a1b2",
            }
        ]
        publish(page)
    nb = get(api, f"/api/v1/pages/{region['theme'].pk}")["body"][0]["value"]
    en = get(api, f"/api/v1/pages/{region['theme_en'].pk}")["body"][0]["value"]
    # The English page's link leads to the English version of the linked page.
    assert 'href="https://ranaregionen.example/nb/rana/"' in nb
    assert 'href="https://ranaregionen.example/en/rana/"' in en


def test_images_come_as_named_renditions_with_sizes_and_alt_text(api, region):
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (2000, 1000), "navy").save(buffer, format="JPEG")
    image = get_image_model().objects.create(
        title="Fjord",
        file=ImageFile(buffer, name="fjord.jpg"),
        collection=Collection.get_first_root_node(),
    )
    article = region["article"]
    article.hero_image = image
    article.hero_alt_text = "Fjorden"
    article.body = [
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Fjorden om sommeren", "caption": ""},
            "id": "img1",
        }
    ]
    publish(article)
    page = get(api, f"/api/v1/pages/{article.pk}")
    block = page["body"][0]
    assert block["type"] == "image"
    assert block["value"]["caption"] is None
    value = block["value"]["image"]
    assert value["alt_text"] == "Fjorden om sommeren"
    assert (value["width"], value["height"]) == (2000, 1000)
    renditions = value["renditions"]
    assert (renditions["thumbnail"]["width"], renditions["thumbnail"]["height"]) == (400, 300)
    assert (renditions["medium"]["width"], renditions["medium"]["height"]) == (800, 400)
    assert (renditions["large"]["width"], renditions["large"]["height"]) == (1600, 800)
    assert renditions["large"]["url"].startswith("http")
    assert page["hero_image"]["alt_text"] == "Fjorden"


def test_a_list_of_whole_pages_gives_each_page_as_its_detail_does(api, region):
    for lang in ("nb", "en"):
        whole = api.get(f"/api/v1/pages?lang={lang}&include=body&limit=100").json()
        summaries = api.get(f"/api/v1/pages?lang={lang}&limit=100").json()
        assert [page["id"] for page in whole["items"]] == [
            page["id"] for page in summaries["items"]
        ]
        assert whole["items"], lang
        for page, summary in zip(whole["items"], summaries["items"], strict=True):
            assert page == api.get(page["api_url"]).json()
            # Without it, the summaries leave the detail's fields out (never null).
            assert "body" not in summary and "hero_image" not in summary
            assert summary == {key: page[key] for key in summary}
    assert api.get("/api/v1/pages?include=bodies").status_code == 400


def test_a_full_sync_takes_a_handful_of_requests(api, region):
    """The feed's head, then every resource in both languages a list at a time: what a
    mirror gets equals what it would by fetching each resource on its own."""
    requests = []

    def get(url):
        requests.append(url)
        response = api.get(url)
        assert response.status_code == 200, (url, response.content)
        return response.json()

    cursor = get("/api/v1/changes/head")["cursor"]
    mirror = {}
    for lang in ("nb", "en"):
        for page in get(f"/api/v1/pages?lang={lang}&include=body&limit=100")["items"]:
            mirror[("page", page["id"], lang)] = page
        for entry in get(f"/api/v1/entries?lang={lang}&limit=100")["items"]:
            mirror[("entry", entry["id"], lang)] = entry
        for vacancy in get(f"/api/v1/vacancies?lang={lang}&limit=100")["items"]:
            mirror[("vacancy", vacancy["id"], lang)] = vacancy
    assert len(requests) <= 8
    assert {key[0] for key in mirror} >= {"page", "entry"}
    one_by_one = {key: api.get(item["api_url"]).json() for key, item in mirror.items()}
    assert mirror == one_by_one
    # Followed from the head, the feed has nothing the sync did not already hold.
    assert get(f"/api/v1/changes?since={cursor}")["items"] == []
