"""Which page an address serves, kept under the content version.

Wagtail finds a page by walking the tree: the request's site, the active locale, the
site's root in that language, then one child a path segment, each made specific (four to
six queries for a municipality page). Which page an address serves changes only with the
content: a publish, a move, an unpublish, a new site or a renamed slug each move the
content version on. So the walk is made once per version, host, language and path, and
what it found (the site, the page itself and how many segments led to it) is kept with
`versions.remember`; a later request takes a copy of that page (no query) and asks it to
route the rest of the path, as Wagtail's walk does at its end (a routable page answers
its own sub-paths; a plain page only its own address).

An address that serves no page is not kept (a made-up path would fill the cache): it is
walked each time, as before.
"""

import copy

from django.http import Http404
from django.utils import translation

from wagtail import views as wagtail_views
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from . import versions

# Where Wagtail keeps a request's route and site (`Page.route_for_request`,
# `Site.find_for_request`), so that every later caller in the request reads them there.
ROUTE_ATTRIBUTE = "_wagtail_route_for_request"
SITE_ATTRIBUTE = "_wagtail_site"
SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")


def serve(request, path: str):
    """Wagtail's page view, with the route found as above (its hooks, such as the view
    restrictions' check, run as they do there)."""
    route_for_request(request, path)
    return wagtail_views.serve(request, path)


def route_for_request(request, path: str):
    """Wagtail's `Page.route_for_request`: (page, args, kwargs), or None for no page."""
    if hasattr(request, ROUTE_ATTRIBUTE):
        return getattr(request, ROUTE_ATTRIBUTE)
    name = f"{request._get_raw_host()}|{request.get_port()}|{translation.get_language()}|{path}"
    try:
        site, kept, walked = versions.remember("route", name, lambda: _walk(request, path))
    except Http404:
        setattr(request, ROUTE_ATTRIBUTE, None)
        return None
    if hasattr(request, ROUTE_ATTRIBUTE):  # walked just now
        return getattr(request, ROUTE_ATTRIBUTE)
    setattr(request, SITE_ATTRIBUTE, Site(**dict(zip(SITE_FIELDS, site, strict=True))))
    # The kept page is shared by the process's requests: each gets its own copy (its own
    # attributes and related objects; Django's model copies its state).
    page = copy.copy(kept)
    try:
        found = page.route(request, _segments(path)[walked:])
    except Http404:
        found = None
    setattr(request, ROUTE_ATTRIBUTE, found)
    return found


def _walk(request, path: str) -> tuple:
    """Wagtail's own walk; what it found, as kept: the site's fields, the page without its
    StreamFields (they are read when a part of the page is rendered, which is then kept
    too), and how many segments led to the page."""
    found = Page.route_for_request(request, path)
    if found is None:
        raise Http404
    site = Site.find_for_request(request)
    page = found[0]
    return (
        tuple(getattr(site, field) for field in SITE_FIELDS),
        _without_streamfields(page),
        page.depth - site.root_page.depth,
    )


def _without_streamfields(page):
    """A copy of the walked page as a query with `defer_streamfields()` would load it (a
    StreamField missing from the instance is read when asked for), without its parent:
    no second query, and a small value to keep."""
    kept = copy.copy(page)
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            kept.__dict__.pop(field.attname, None)
    kept.__dict__.pop("_cached_parent_obj", None)
    return kept


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]
