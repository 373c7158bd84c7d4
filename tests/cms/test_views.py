"""The project's own pages for readers: the privacy statement and the sitemap for people."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup

from ..conftest import publish
from ..factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.cookies, "a reader's page sets no cookie"
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("url", "language", "heading", "retention", "other"),
    [
        ("/nb/personvern/", "nb", "Personvernerklæring", "slettes etter 30 dager", "/en/privacy/"),
        ("/en/privacy/", "en", "Privacy statement", "deleted after 30 days", "/nb/personvern/"),
    ],
)
def test_the_privacy_statement_in_both_languages(
    client, region, url, language, heading, retention, other
):
    soup = soup_of(client, url)
    assert soup.html["lang"] == language
    assert soup.h1.get_text() == heading
    assert retention in soup.main.get_text()
    switcher = soup.find("nav", class_="language-switcher")
    assert switcher.find("a", href=other)


def test_the_statement_gives_the_log_retention_the_deployment_sets(client, region, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 1
    assert "deleted after 1 day and" in soup_of(client, "/en/privacy/").main.get_text()


def test_every_page_links_the_privacy_statement_and_the_sitemap_for_people(client, region):
    for url, privacy, sitemap in (
        ("/nb/rana/", "/nb/personvern/", "/nb/nettstedskart/"),
        ("/en/rana/", "/en/privacy/", "/en/sitemap/"),
    ):
        footer = soup_of(client, url).find("footer")
        assert footer.find("a", href=privacy)
        assert footer.find("a", href=sitemap)
        assert not footer.find("a", href="/sitemap.xml")


def test_the_sitemap_for_people_is_the_tree_of_live_pages_in_its_language(client, region):
    soup = soup_of(client, "/nb/nettstedskart/")
    tree = soup.main.find("ul", class_="site-map")
    (home,) = tree.find_all("li", recursive=False)
    assert home.a["href"] == "/nb/"
    below_home = [li.a["href"] for li in home.ul.find_all("li", recursive=False)]
    assert below_home == ["/nb/rana/", "/nb/luroy/"]
    luroy = home.ul.find_all("li", recursive=False)[1]
    assert [a["href"] for a in luroy.ul.find_all("a")] == ["/nb/luroy/bo-i-luroy/"]

    region.article.unpublish()
    hrefs = [a["href"] for a in soup_of(client, "/nb/nettstedskart/").main.find_all("a")]
    assert "/nb/luroy/bo-i-luroy/" not in hrefs

    english = [a["href"] for a in soup_of(client, "/en/sitemap/").main.find_all("a")]
    assert english == ["/en/", "/en/rana/", "/en/luroy/"]
    assert all(re.match(r"^/en/", href) for href in english)


def test_the_sitemap_costs_the_same_queries_however_many_pages(client, region):
    def queries() -> int:
        soup_of(client, "/nb/nettstedskart/")  # the menu and the caches are filled once
        with CaptureQueriesContext(connection) as captured:
            soup_of(client, "/nb/nettstedskart/")
        return len(captured)

    before = queries()
    for slug in ("a", "b", "c"):
        publish(ArticlePageFactory(parent=region.rana, slug=f"artikkel-{slug}"))
    assert queries() == before
