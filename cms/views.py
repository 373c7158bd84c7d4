"""The project's own small views: language choice, robots, health, error pages, the privacy
statement and the sitemap for people."""

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wagtail.models import Page, Site

from . import health


@require_GET
@vary_on_headers("Accept-Language")
@cache_control(public=True, max_age=300)
def choose_language(request):
    """Send the reader to /nb/ or /en/ by Accept-Language: Norwegian when the browser
    states no preference, English when it asks only for languages the site does not have
    (a German or Polish newcomer reads English sooner than Norwegian).

    The cookie is ignored on purpose: public pages set none, so a CDN can cache this.
    """
    return HttpResponseRedirect(f"/{_best_language(request.headers.get('Accept-Language', ''))}/")


def _best_language(header: str) -> str:
    supported = [code for code, _name in settings.LANGUAGES]
    asked = [code for code, _quality in parse_accept_lang_header(header) if code != "*"]
    for code in asked:
        primary = code.lower().split("-")[0]
        if primary in supported:
            return primary
        # Norwegian readers often send "no", or "nn" where Nynorsk is not offered: both
        # are best served in Bokmål.
        if primary in {"no", "nn"} and "nb" in supported:
            return "nb"
    if asked and "en" in supported:
        return "en"
    return settings.LANGUAGE_CODE


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# Neither probe may open the request's transaction (ATOMIC_REQUESTS): /healthz must
# answer while the database is down, and /readyz probes it on a connection of its own.
@transaction.non_atomic_requests
@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests
@require_GET
@never_cache
def readyz(request):
    """Whether the database, cache and media storage answer; 503 naming the parts that do not.

    Parts that answer late but are not (yet) failing are named under "slow" with a 200:
    a busy instance still serves, and a load balancer should keep it.
    """
    verdict = health.check_parts()
    return JsonResponse(
        {
            "status": "fail" if verdict.failing else "ok",
            "failing": verdict.failing,
            "slow": verdict.slow,
        },
        status=503 if verdict.failing else 200,
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the error may come from one of them.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"LANGUAGE_CODE": translation.get_language()}), status=500)


@require_GET
def privacy(request):
    """The privacy statement: what the site collects and what it does not. It describes
    the software itself, so it is written here (translated in the catalogues), not in the
    CMS."""
    return render(request, "privacy.html", {"log_days": settings.ACCESS_LOG_RETENTION_DAYS})


@require_GET
def site_map(request):
    """The sitemap for people: every live, public page of this language, as a tree."""
    site = Site.find_for_request(request)
    home = site.root_page.localized if site else None
    tree = []
    if home is not None:
        pages = (
            Page.objects.descendant_of(home, inclusive=True)
            .live()
            .public()
            .order_by("path")
            .only("title", "path", "depth", "url_path", "locale_id")
        )
        branches = {}
        for page in pages:
            node = {"page": page, "children": []}
            parent = branches.get(page.path[: -Page.steplen])
            (parent["children"] if parent else tree).append(node)
            branches[page.path] = node
    return render(request, "site_map.html", {"tree": tree})
