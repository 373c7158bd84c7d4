"""Site search: results in the reader's language only."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.utils import translation

from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        locale = Locale.objects.get(language_code=translation.get_language())
        results = Page.objects.live().public().filter(locale=locale).specific().search(query)
    paginator = Paginator(results, PAGE_SIZE)
    try:
        page_of_results = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger):
        page_of_results = paginator.page(1)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "results": page_of_results},
    )
