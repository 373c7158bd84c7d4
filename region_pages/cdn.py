"""Purge the CDN when published content changes, once the change is committed.

A page's HTML is cached by the CDN (see ``cms.middleware.SharedCacheMiddleware``). When
a page is published, unpublished, moved or deleted, this purges:

- the page itself in every language;
- the pages that list it: its parent, the region home pages and the theme pages (which
  read the entries of every municipality), in every language;
- the XML sitemap, its index and its pages;
- every live page, when the page is in the main menu (a child of a home page), because
  every page shows that menu.

The publishing pipeline (`publishing.pipeline`) calls it for every change. The purge
requests are sent after the transaction commits, never before: a CDN that
re-fetched a page while the publish was still open would cache the old version again.
Wagtail's own frontend-cache handlers purge immediately, so the app is not installed;
its backends and batching are used from here.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site

from . import regions
from .models import HomePage, ThemePage
from .sitemap import sitemap_pages

logger = logging.getLogger(__name__)


class TimeoutHTTPBackend(HTTPBackend):
    """Wagtail's HTTP (Varnish) purge backend, with a timeout.

    Wagtail's backend waits for the cache forever; a cache that hangs must not hang
    the editor's publish.
    """

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 5))
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]
            ),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        try:
            # The scheme and host come from the FRONTEND_CACHE_PURGE_URL setting.
            with urlopen(request, timeout=self.timeout):  # noqa: S310
                pass
        except HTTPError as error:
            logger.error("Could not purge %s: HTTP %s %s", url, error.code, error.reason)
        except (URLError, OSError) as error:
            logger.error("Could not purge %s: %s", url, error)


def affected_urls(page: Page) -> set[str]:
    """Every URL whose cached HTML may show `page`, in every language."""
    page = page.specific_deferred
    batch = PurgeBatch()
    versions = list(Page.objects.filter(translation_key=page.translation_key))
    versions = versions or [page]
    if any(version.get_parent() and _is_home(version.get_parent()) for version in versions):
        batch.add_pages(Page.objects.live().filter(depth__gt=1).specific(defer=True))
    batch.add_pages(versions)
    for version in versions:
        parent = version.get_parent()
        if parent is not None and parent.depth > 1:
            batch.add_page(parent)
    batch.add_pages(HomePage.objects.live())
    batch.add_pages(ThemePage.objects.live())
    for site in Site.objects.all():
        region = regions.for_site_id(site.pk)
        for path in [
            reverse("sitemap"),
            *(reverse("sitemap_page", args=[n]) for n in sitemap_pages(region)),
        ]:
            batch.add_url(f"{site.root_url}{path}")
    return batch.urls


def _is_home(page: Page) -> bool:
    return page.specific_class is HomePage


def purging() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_after_commit(page: Page, also: set[str] = frozenset()) -> None:
    if not purging():
        return
    urls = affected_urls(page) | set(also)
    transaction.on_commit(lambda: PurgeBatch(urls).purge(), robust=True)


def purge_urls_after_commit(urls) -> None:
    """Purge `urls` after the commit (a deleted page's, gathered before it went)."""
    if purging() and urls:
        urls = set(urls)
        transaction.on_commit(lambda: PurgeBatch(urls).purge(), robust=True)


def purge_pages_after_commit(pages) -> None:
    """Purge `pages` in every language, in one batch after the commit.

    For changes that reach what pages show without a publish (the open data pipeline's
    syncs): the tree, the menu and the sitemap are as they were, so only the pages
    themselves are purged. The caller names every page that shows the change.
    """
    if not purging() or not pages:
        return
    keys = {page.translation_key for page in pages}
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().filter(translation_key__in=keys).specific(defer=True))
    urls = batch.urls
    transaction.on_commit(lambda: PurgeBatch(urls).purge(), robust=True)
