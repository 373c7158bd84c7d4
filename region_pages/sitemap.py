"""The XML sitemap: `/sitemap.xml` is an index of pages `/sitemap-1.xml`, `/sitemap-2.xml`, …,
each listing at most `SITEMAP_MAX_URLS` live public pages with their hreflang alternates.

A page of the sitemap holds whole translation groups (a page in every language it has),
so that its alternates are listed beside it; with two languages, that is 500 groups a
page. A page costs the same however large the site grows: the groups come in order of
their translation key, a page's slice is found by position in that order. The XML of the
index and of each page is kept under the content version for the address asked on: a
full page of the sitemap takes a few hundred milliseconds to build, once per publish.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Page

from . import regions, versions

# The most URLs one page of the sitemap lists (the protocol allows 50,000; smaller pages
# are quicker to build, to fetch and to read again after a publish).
SITEMAP_MAX_URLS = 1000


def _listed(region):
    """The live, public pages of `region` (of the whole tree in an install without
    regions)."""
    pages = Page.objects.live().public().filter(depth__gt=1)
    return pages.filter(region.pages()) if region else pages


def _groups_per_page() -> int:
    return max(1, SITEMAP_MAX_URLS // len(settings.LANGUAGES))


def sitemap_pages(region) -> range:
    """The numbers of the pages of `region`'s sitemap (there is always a first, if empty)."""
    groups = _listed(region).order_by().values("translation_key").distinct().count()
    return range(1, max(1, -(-groups // _groups_per_page())) + 1)


# Reading needs no transaction (ATOMIC_REQUESTS is for the admin's writes).
@transaction.non_atomic_requests
@require_GET
@cache_control(public=True, max_age=600)
def sitemap_index(request):
    return _kept(request, "sitemap-index", "", lambda: _index(request))


@transaction.non_atomic_requests
@require_GET
@cache_control(public=True, max_age=600)
def sitemap_page(request, number: int):
    if number < 1:
        raise Http404
    return _kept(request, "sitemap-page", str(number), lambda: _page(request, number))


def _kept(request, kind: str, name: str, build) -> HttpResponse:
    """The XML `build()` renders, kept under the content version for the address asked
    on; a page that raises (Http404) is not kept."""
    address = f"{request.scheme}://{request.get_host()}"
    return HttpResponse(
        versions.remember(kind, f"{address}|{name}", build), content_type="application/xml"
    )


def _index(request) -> str:
    per_page = _groups_per_page()
    # One row per translation group: its key and its newest publish, in the pages' order.
    groups = list(
        _listed(regions.for_request(request))
        .values("translation_key")
        .annotate(lastmod=Max("last_published_at"))
        .order_by("translation_key")
        .values_list("lastmod", flat=True)
    )
    sitemaps = [
        {
            "location": request.build_absolute_uri(reverse("sitemap_page", args=[number])),
            "lastmod": max((when for when in chunk if when), default=None),
        }
        for number, chunk in enumerate(
            (groups[start : start + per_page] for start in range(0, len(groups), per_page)),
            start=1,
        )
    ] or [{"location": request.build_absolute_uri(reverse("sitemap_page", args=[1]))}]
    return render_to_string(
        "region_pages/sitemap_index.xml", {"sitemaps": sitemaps}, request=request
    )


def _page(request, number: int) -> str:
    per_page = _groups_per_page()
    start = (number - 1) * per_page
    keys = list(
        _listed(regions.for_request(request))
        .order_by("translation_key")
        .values_list("translation_key", flat=True)
        .distinct()[start : start + per_page]
    )
    if not keys and number != 1:
        raise Http404
    pages = (
        _listed(regions.for_request(request))
        .filter(translation_key__in=keys)
        .select_related("locale")
    )
    by_group = defaultdict(list)
    for page in pages.order_by("translation_key", "locale__language_code"):
        url = page.get_full_url(request)
        if url:
            by_group[page.translation_key].append((page.locale.language_code, url, page))

    urls = []
    for group in by_group.values():
        alternates = [{"lang": lang, "url": url} for lang, url, _page in group]
        default = next((url for lang, url, _p in group if lang == settings.LANGUAGE_CODE), None)
        for _lang, url, page in group:
            urls.append(
                {
                    "location": url,
                    "lastmod": page.last_published_at,
                    "alternates": alternates if len(group) > 1 else [],
                    "x_default": default if len(group) > 1 else None,
                }
            )
    urls.sort(key=lambda item: item["location"])
    return render_to_string("region_pages/sitemap.xml", {"urls": urls}, request=request)
