"""The CDN is purged on publish, after the commit, for the page and the pages that list it.

A small HTTP server on loopback stands in for Varnish or the CDN's purge endpoint and
records each PURGE request (the Host header and the path), exactly as Wagtail's HTTP
backend sends them.
"""

from django.db import transaction

from wagtail.models import Page

import pytest

from region_pages.models import Theme

from ..conftest import publish, translate
from ..factories import ArticlePageFactory, ThemePageFactory
from ..regions import municipality
from ..servers import PurgeRecorder

pytestmark = pytest.mark.django_db


@pytest.fixture
def purge_server(settings):
    from cms.settings.base import frontend_cache

    server = PurgeRecorder().start()
    settings.WAGTAILFRONTENDCACHE = frontend_cache(
        {"FRONTEND_CACHE_PURGE_URL": server.url, "FRONTEND_CACHE_PURGE_TIMEOUT": "2"}
    )
    yield server
    server.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit when the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def region(home):
    """A home page in both languages with a theme page and a municipality in both."""
    theme = publish(ThemePageFactory(parent=home, title="Arbeid", slug="arbeid", theme=Theme.WORK))
    rana = municipality(home, "rana")
    english_home = translate(home)
    translate(theme)
    translate(rana)
    return home, english_home, rana


def test_publishing_purges_the_page_and_its_listings_in_both_languages(
    purge_server, region, committed
):
    _home, _english_home, rana = region
    article = publish(ArticlePageFactory(parent=rana, slug="skoler"))
    purge_server.clear()

    with committed():
        publish(rana)

    paths = purge_server.paths()
    assert {"/nb/rana/", "/en/rana/"} <= paths  # the page, in both languages
    assert {"/nb/", "/en/"} <= paths  # the home pages list the municipalities
    assert {"/nb/arbeid/", "/en/arbeid/"} <= paths  # the theme pages read its entries
    assert "/sitemap.xml" in paths
    # Rana is in the main menu, shown on every page: every live page goes.
    assert article.url in paths
    assert {host for host, _path in purge_server.requests} == {"testserver"}


def test_an_article_deep_in_the_tree_purges_its_parent_but_not_every_page(
    purge_server, region, committed
):
    home, _english_home, rana = region
    other = publish(ArticlePageFactory(parent=home, slug="annen"))
    article = publish(ArticlePageFactory(parent=rana, slug="skoler"))
    purge_server.clear()

    with committed():
        publish(article)

    paths = purge_server.paths()
    assert {"/nb/rana/skoler/", "/nb/rana/", "/nb/", "/en/", "/sitemap.xml"} <= paths
    assert other.url not in paths


def test_nothing_is_purged_before_the_transaction_commits(purge_server, region, committed):
    _home, _english_home, rana = region
    purge_server.clear()

    with committed():
        with transaction.atomic():
            publish(rana)
        assert purge_server.requests == []  # the outer transaction is still open
    assert "/nb/rana/" in purge_server.paths()


def test_nothing_is_purged_when_the_publish_is_rolled_back(purge_server, region, committed):
    _home, _english_home, rana = region
    purge_server.clear()

    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        publish(rana)
        raise RuntimeError("the editor's request failed after publishing")
    assert purge_server.requests == []


def test_unpublishing_and_deleting_purge_the_old_address(purge_server, region, committed):
    home, _english_home, _rana = region
    article = publish(ArticlePageFactory(parent=home, slug="gammel"))
    purge_server.clear()
    with committed():
        article.unpublish()
    assert "/nb/gammel/" in purge_server.paths()

    publish(article)
    purge_server.clear()
    with committed():
        Page.objects.get(pk=article.pk).delete()
    assert "/nb/gammel/" in purge_server.paths()


def test_moving_purges_the_old_and_the_new_address(purge_server, region, committed):
    home, _english_home, rana = region
    article = publish(ArticlePageFactory(parent=home, slug="flytter"))
    purge_server.clear()

    with committed():
        Page.objects.get(pk=article.pk).move(rana, pos="last-child")

    assert {"/nb/flytter/", "/nb/rana/flytter/"} <= purge_server.paths()


def test_without_a_purge_url_nothing_is_sent(settings, region):
    settings.WAGTAILFRONTENDCACHE = None
    from region_pages import cdn

    assert not cdn.purging()
