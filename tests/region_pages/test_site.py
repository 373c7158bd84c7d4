"""The public site: every page type in both languages, translation, sitemap, redirects."""

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from region_pages.models import MunicipalityPage
from tests import factories
from tests.conftest import publish


class TestQueryBudget:
    """Rendering a municipality page costs the same with 3 blocks as with 30."""

    def build(self, home, count):
        image = get_image_model().objects.create(title="Toppbilde", file=get_test_image_file())
        blocks = []
        for index in range(count):
            maker = (factories.industry, factories.leisure, factories.school)[index % 3]
            blocks.append(maker())
        page = factories.MunicipalityPageFactory(
            parent=home,
            slug=f"kommune-{count}",
            body=blocks,
            hero_image=image,
            hero_alt_text="Fjord",
        )
        return publish(page)

    def count_queries(self, client, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # The first visit creates the image renditions and keeps the menu; the page's
        # own parts are then rendered for another address (they are kept per address).
        client.get(f"{url}?first")
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        assert "<h2" in response.content.decode()
        return len(context.captured_queries)

    def test_constant_in_the_number_of_blocks_and_within_budget(
        self, client, home, django_assert_max_num_queries
    ):
        small = self.count_queries(client, self.build(home, 3).url)
        large = self.count_queries(client, self.build(home, 30).url)
        assert small == large
        page = MunicipalityPage.objects.get(slug="kommune-30")
        client.get(f"{page.url}?first")
        # Rendered: one of the queries finds the municipality's next events.
        with django_assert_max_num_queries(10):
            client.get(f"{page.url}?again")
        # Its parts and its route kept: the content version and the page itself.
        with django_assert_max_num_queries(2):
            client.get(f"{page.url}?again")


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("", "/nb/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("nb-NO,nb;q=0.9,en;q=0.5", "/nb/"),
        ("no", "/nb/"),
        ("nn-NO", "/nb/"),
        ("*", "/nb/"),
        # Neither Norwegian nor English: English is the closer of the two for most.
        ("de-DE,de;q=0.9", "/en/"),
        ("pl", "/en/"),
        ("de,en;q=0.5", "/en/"),
    ],
)
def test_the_root_redirects_by_accept_language(client, db, header, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Accept-Language" in response["Vary"]


def test_robots_txt_points_at_the_sitemap(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_health_endpoints(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["failing"] == []


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_500_page_is_localised_and_needs_no_database(rf, language):
    from django.utils import translation

    from cms.views import server_error

    with translation.override(language):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert f'href="/{language}/"' in html


def test_the_front_page_links_a_bounded_number_of_articles_and_the_sitemap(
    client, home, monkeypatch, django_assert_max_num_queries
):
    """The front page does not grow with the site: at most HOME_ARTICLES articles, then a
    link to the sitemap, which lists them all; its cost is the same for many articles."""
    monkeypatch.setattr(type(home), "HOME_ARTICLES", 2)
    titles = [f"Artikkel {n}" for n in range(5)]
    for n, title in enumerate(titles):
        publish(factories.ArticlePageFactory(parent=home, slug=f"artikkel-{n}", title=title))
    client.get(f"{home.url}?first")  # the menu and the renditions
    with django_assert_max_num_queries(10):
        html = client.get(home.url).content.decode()
    assert [title for title in titles if f">{title}</a>" in html] == titles[:2]
    assert 'href="/nb/nettstedskart/"' in html
    every = client.get("/nb/nettstedskart/").content.decode()
    assert all(title in every for title in titles)
