"""schema.org JSON-LD, sharing pictures and titles: what search engines and link previews
read of a page."""

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from region_pages.structured_data import json_ld

from .test_site_tree import shared_site_tree

# Every test here that reads the database reads the site tests' small region: built once.
_region_of_the_module, site_tree, home = shared_site_tree()


def graph_of(html: str) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def page_html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_front_page_is_the_regions_organisation_serving_its_municipalities(
    client,
    site_tree,
):
    (organisation,) = graph_of(page_html(client, "/nb/"))
    assert organisation["@type"] == "GovernmentOrganization"
    assert organisation["url"] == "http://testserver/nb/"
    assert organisation["areaServed"] == [
        {
            "@type": "AdministrativeArea",
            "name": "Rana",
            "identifier": "1833",
            "url": "http://testserver/nb/rana/",
        }
    ]


def test_a_municipality_is_an_administrative_area_with_its_breadcrumbs(client, site_tree):
    area, breadcrumbs = graph_of(page_html(client, "/en/rana/"))
    assert area["@type"] == "AdministrativeArea"
    assert area["identifier"] == "1833"
    assert area["inLanguage"] == "en"
    assert area["url"] == "http://testserver/en/rana/"
    assert area["sameAs"] == site_tree["nb"][1].website
    assert [
        (item["position"], item["name"], item["item"]) for item in breadcrumbs["itemListElement"]
    ] == [
        (1, "Front page", "http://testserver/en/"),
        (2, "EN: Rana", "http://testserver/en/rana/"),
    ]


def test_articles_and_theme_pages_say_what_they_are(client, site_tree):
    article, _breadcrumbs = graph_of(page_html(client, "/nb/flytte-hit/"))
    assert article["@type"] == "Article"
    assert article["headline"] == "Flytte hit"
    assert article["publisher"]["@type"] == "GovernmentOrganization"
    assert article["datePublished"] <= article["dateModified"]
    theme, _breadcrumbs = graph_of(page_html(client, "/nb/fritid/"))
    assert theme["@type"] == "CollectionPage"


def test_every_page_has_a_sharing_picture_and_a_title_that_does_not_repeat_itself(
    client,
    site_tree,
):
    for page in site_tree["nb"] + site_tree["en"]:
        html = page_html(client, page.url)
        # None of the test region's pages has a picture of its own: the site's is shared.
        assert '<meta property="og:image" content="http://testserver/static/img/share.png">' in html
        assert '<meta property="og:image:width" content="1200">' in html
        title = re.search(r"<title[^>]*>(.*?)</title>", html, re.S).group(1)
        assert title.count("Ranaregionen") == 1, title
    assert "<title>Rana – Ranaregionen</title>" in page_html(client, "/nb/rana/")
    # A front page's title is the site's name in its language, once.
    assert "<title>Ranaregionen</title>" in page_html(client, "/nb/")


@given(st.text())
def test_no_text_in_the_data_can_end_the_script_element(text):
    html = json_ld([{"@type": "WebPage", "name": text}])
    assert html.startswith('<script type="application/ld+json">')
    assert html.count("</") == 1 and html.endswith("</script>")
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(inner)["@graph"][0]["name"] == text
