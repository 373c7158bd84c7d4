"""Site search: results in the reader's language only, and suggestions for the search box."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.models import Page

from region_pages import regions, versions
from region_pages.models import MunicipalityPage, ThemePage

from . import hits
from . import query as engine
from .text import MAX_QUERY_LENGTH, clean_query, terms


def _page_number(value: str) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _link(base: str, **params) -> str:
    return f"{base}?{urlencode({k: v for k, v in params.items() if v})}"


def _filters(results: engine.Results, base: str) -> dict:
    """Links for the kind and municipality filters, each keeping the other filter."""
    common = {"q": results.query}
    kinds = [
        {
            "label": _("All kinds"),
            "count": sum(f.count for f in results.kinds),
            "url": _link(base, **common, municipality=results.municipality),
            "current": not results.kind,
        }
    ] + [
        {
            "label": facet.label,
            "count": facet.count,
            "url": _link(base, **common, kind=facet.value, municipality=results.municipality),
            "current": facet.value == results.kind,
        }
        for facet in results.kinds
    ]
    municipalities = [
        {
            "label": _("All municipalities"),
            "count": sum(f.count for f in results.municipalities),
            "url": _link(base, **common, kind=results.kind),
            "current": not results.municipality,
        }
    ] + [
        {
            "label": facet.label,
            "count": facet.count,
            "url": _link(base, **common, kind=results.kind, municipality=facet.value),
            "current": facet.value == results.municipality,
        }
        for facet in results.municipalities
    ]
    return {"kinds": kinds, "municipalities": municipalities}


def _pagination(results: engine.Results, base: str) -> dict:
    """Page links around the current page: the first, the last and two either side."""
    shown = sorted(
        {1, results.num_pages}
        | {n for n in range(results.page - 2, results.page + 3) if 1 <= n <= results.num_pages}
    )

    def url(number):
        return _link(
            base,
            q=results.query,
            kind=results.kind,
            municipality=results.municipality,
            page=number if number > 1 else "",
        )

    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append({"gap": True})
        links.append({"number": number, "current": number == results.page, "url": url(number)})
        previous = number
    return {
        "pages": links,
        "previous": url(results.page - 1) if results.has_previous else "",
        "next": url(results.page + 1) if results.has_next else "",
    }


def _suggested_pages(request, language: str) -> list[dict]:
    """Where to go when nothing was found: the region's municipalities and themes (kept
    under the content version for the host and language)."""
    region = regions.for_request(request)

    def build():
        pages = (
            Page.objects.live()
            .public()
            .type(MunicipalityPage, ThemePage)
            .filter(locale__language_code=language)
        )
        if region is not None:
            pages = pages.filter(region.pages())
        chosen = pages.only("title", "url_path").order_by("path")
        return [{"title": page.title, "url": page.get_url(request)} for page in chosen]

    return versions.remember("search-suggested", f"{request.get_host()}:{language}", build)


def _other_language(query_string: str, language: str) -> dict | None:
    """The same search in the other language, offered when nothing was found."""
    for code, _name in settings.LANGUAGES:
        if code != language:
            with translation.override(code):
                return {
                    "code": code,
                    "url": _link(reverse("search"), q=query_string),
                    "label": _("Search the pages in English")
                    if code == "en"
                    else _("Search the pages in Norwegian"),
                }
    return None


@require_GET
def search(request):
    language = translation.get_language()
    raw = request.GET.get("q", "")
    query_string = clean_query(raw)
    base = reverse("search")
    context = {"search_query": query_string, "error": "", "results": None}

    if len(query_string) > MAX_QUERY_LENGTH:
        context["search_query"] = query_string[:MAX_QUERY_LENGTH]
        context["error"] = _(
            "Your search is too long. Use at most %(max)d characters, for example a few key words."
        ) % {"max": MAX_QUERY_LENGTH}
    elif query_string:
        results = engine.search(
            query_string,
            language,
            kind=request.GET.get("kind", ""),
            municipality=request.GET.get("municipality", ""),
            page=_page_number(request.GET.get("page")),
            request=request,
        )
        context["results"] = results
        context["filters"] = _filters(results, base)
        context["pagination"] = _pagination(results, base) if results.num_pages > 1 else None
        if results.page == 1 and terms(query_string):
            missed = not results.total and not (results.kind or results.municipality)
            hits.mark(request, hits.Search(query_string, language, missed))
        if not results.total:
            context["suggested_pages"] = _suggested_pages(request, language)
            context["other_language"] = _other_language(query_string, language)
    return TemplateResponse(request, "search/search.html", context)


@require_GET
def to_search_page(request):
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(reverse("search") + (f"?{query}" if query else ""))


@require_GET
def suggest(request):
    """Titles that match what has been typed so far, as JSON for the search box."""
    query_string = clean_query(request.GET.get("q", ""))[:MAX_QUERY_LENGTH]
    suggestions = engine.suggest(query_string, translation.get_language(), request=request)
    response = JsonResponse(
        {
            "suggestions": [
                {"title": s.title, "url": s.url, "kind": s.kind_label} for s in suggestions
            ]
        }
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
