"""Running a search: matching, ranking, facets, snippets, promotions and suggestions.

On both databases the query's words are grouped into units with their synonyms
(`search.synonyms`), and every unit must match. A search serves at most the best
`SEARCH_RESULT_CAP` (1,000) matches: when more match, the answer says so (`capped`), and its
count and facet counts are counted among the matches it serves, so they are lower bounds
("1,000+"). Facets, filters and pages are taken from those matches, so that a facet's
count is the number of results its filter shows. Answers are cached for
`SEARCH_CACHE_SECONDS` (60) under the normalised query, the filters, the page and the
content version (`region_pages.versions`), which every index write and every change to a synonym
or a promotion bumps.

The engines (PostgreSQL full-text search, the SQLite matcher) are in `search.backends`.
"""

import hashlib
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from region_pages import regions, versions
from region_pages.models import MunicipalityPage

from . import synonyms
from .backends import get_backend
from .backends.base import Candidate, marked
from .models import ResultKind, SearchDocument
from .text import MIN_PREFIX_LENGTH, fold, terms

PAGE_SIZE = 10
MAX_PAGE = 1000


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    kind_label: str
    municipality_number: str = ""
    municipality_name: str = ""
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))
    promoted: bool = False


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Results:
    query: str
    language: str
    kind: str = ""
    municipality: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    promotions: list[Hit] = field(default_factory=list)
    kinds: list[Facet] = field(default_factory=list)
    municipalities: list[Facet] = field(default_factory=list)
    # More rows match than are served: `total` and the facet counts are lower bounds.
    capped: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.page_size, self.total)


def result_cap() -> int:
    return getattr(settings, "SEARCH_RESULT_CAP", 1000)


def cache_seconds() -> int:
    return getattr(settings, "SEARCH_CACHE_SECONDS", 60)


# ---- matching --------------------------------------------------------------------------


# Where the partner API leaves the regions a search was asked for (`?region=`); a search
# without it reads its host's region.
REGIONS_ATTRIBUTE = "search_regions"


def _chosen(request) -> list:
    """The regions the search reads: those the API was asked for, else the host's."""
    if request is None:
        return []
    chosen = getattr(request, REGIONS_ATTRIBUTE, None)
    if chosen is None:
        region = regions.for_request(request)
        chosen = [region] if region else []
    return chosen


def _sites(request) -> list[int] | None:
    """The search index's partitions the request reads: the sites of its regions (None:
    every region, for a search without a request or in an install without regions)."""
    chosen = _chosen(request)
    return [region.site_id for region in chosen] if chosen else None


def _candidates(language: str, units: list[synonyms.Unit], request) -> tuple[list[Candidate], bool]:
    """The best matches, best first, at most the cap; and whether more rows match."""
    return get_backend().candidates(language, units, result_cap(), _sites(request))


def _cache_key(name: str, request, *parts) -> str:
    """The key of a cached answer, or "" when caching is off. The active language is part
    of it (labels are translated), and the host (links are relative to the request's site)."""
    if cache_seconds() <= 0:
        return ""
    host = request.get_host() if request is not None else ""
    named = [region.key for region in _chosen(request)]
    raw = repr((versions.token(), result_cap(), translation.get_language(), host, named, *parts))
    return f"search:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


# ---- the search ------------------------------------------------------------------------


# Small lookups that change only with the index version, cached under it (they are never
# stale, so they are kept even where the cache of answers is switched off).
LOOKUP_SECONDS = 300


def _versioned(name: str, request, compute):
    return versions.remember("search", name, compute, LOOKUP_SECONDS)


def _municipality_names(language: str, request) -> dict[str, str]:
    return _versioned(
        f"municipalities:{language}",
        request,
        lambda: dict(
            MunicipalityPage.objects.live()
            .filter(locale__language_code=language)
            .values_list("municipality_number", "title")
        ),
    )


def _promoted_queries(request) -> set[str]:
    """The searches that have promotions: most searches have none, and need no query."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    return _versioned(
        "promoted",
        request,
        lambda: set(SearchPromotion.objects.values_list("query__query_string", flat=True)),
    )


def _url(document: SearchDocument, request) -> str:
    url = document.page.get_url(request=request) or ""
    return f"{url}#{document.anchor}" if document.entry_id else url


_DOCUMENT_FIELDS = (
    "title",
    "kind",
    "municipality_number",
    "entry__block_id",
    "page__url_path",
    "page__locale_id",
    "page__depth",
)


def _documents(ids: list[int], language: str, units, words: list[str]):
    """The rows with these ids, in this order, each with its `snippet` (one query)."""
    backend = get_backend()
    rows = SearchDocument.objects.filter(pk__in=ids).select_related("page", "entry")
    rows = backend.with_snippets(rows, _DOCUMENT_FIELDS, language, units)
    by_pk = {row.pk: row for row in rows}
    documents = [by_pk[pk] for pk in ids if pk in by_pk]
    for document in documents:
        document.snippet = backend.snippet(document, words)
    return documents


def _promotions(query: str, language: str, request) -> list[Hit]:
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    query_string = normalise_query_string(query)
    if query_string not in _promoted_queries(request):
        return []
    chosen = _chosen(request)
    promoted_page = Q(page__locale__language_code=language, page__live=True, page__depth__gt=1)
    if chosen:
        # A promoted page of another region is not this region's result.
        promoted_page &= regions.pages_in(chosen, "page__")
    promotions = (
        SearchPromotion.objects.filter(query__query_string=query_string)
        .filter(Q(page__isnull=True) | promoted_page)
        .select_related("page")
        .order_by("sort_order")
    )
    hits = []
    for promotion in promotions:
        if promotion.page is not None:
            url = promotion.page.get_url(request=request)
            title = promotion.page.title
        else:
            url, title = promotion.external_link_url, promotion.external_link_text or ""
        if url:
            hits.append(
                Hit(
                    title=title,
                    url=url,
                    kind=ResultKind.PAGE,
                    kind_label=str(ResultKind.PAGE.label),
                    snippet=marked(promotion.description),
                    promoted=True,
                )
            )
    return hits


def search(
    query: str,
    language: str,
    *,
    kind: str = "",
    municipality: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    offset: int | None = None,
    request=None,
) -> Results:
    """Search the `language` rows for `query` (already cleaned and at most 200 characters).

    The HTML page asks for a `page` of `page_size` results (a page past the end gives the
    last page); the API gives an `offset` instead, used as it is.
    """
    from wagtail.search.utils import normalise_query_string

    kind = kind if kind in ResultKind.values else ""
    municipality = municipality if municipality.isdigit() and len(municipality) == 4 else ""
    page = min(max(1, page), MAX_PAGE)
    words = terms(query)
    key = _cache_key(
        "search",
        request,
        language,
        [fold(word) for word in words],
        normalise_query_string(query),  # promotions are found by this
        kind,
        municipality,
        page,
        page_size,
        offset,
    )
    results = cache.get(key) if key else None
    if results is None:
        results = _search(
            query, language, words, kind, municipality, page, page_size, offset, request
        )
        if key:
            cache.set(key, results, cache_seconds())
    results.query = query
    return results


def _search(query, language, words, kind, municipality, page, page_size, offset, request):
    results = Results(
        query=query,
        language=language,
        kind=kind,
        municipality=municipality,
        page=page,
        page_size=page_size,
    )
    if not words:
        return results

    units = synonyms.units(words)
    candidates, results.capped = _candidates(language, units, request)

    # Facets: counts by kind (within the chosen municipality) and by municipality (within
    # the chosen kind), among the matches served.
    kind_counts: dict[str, int] = {}
    municipality_counts: dict[str, int] = {}
    selected = []
    for candidate in candidates:
        _pk, row_kind, number = candidate[:3]
        if not municipality or number == municipality:
            kind_counts[row_kind] = kind_counts.get(row_kind, 0) + 1
            if not kind or row_kind == kind:
                selected.append(candidate)
        if number and (not kind or row_kind == kind):
            municipality_counts[number] = municipality_counts.get(number, 0) + 1
    results.total = len(selected)
    if offset is None:
        results.page = min(page, results.num_pages)
        offset = (results.page - 1) * page_size
    else:
        results.page = offset // page_size + 1

    names = _municipality_names(language, request) if municipality_counts or results.total else {}
    results.kinds = [
        Facet(value, str(label), kind_counts[value])
        for value, label in ResultKind.choices
        if kind_counts.get(value)
    ]
    results.municipalities = sorted(
        (
            Facet(number, names.get(number, number), count)
            for number, count in municipality_counts.items()
        ),
        key=lambda facet: facet.label,
    )

    shown = [candidate[0] for candidate in selected[offset : offset + page_size]]
    if shown:
        labels = dict(ResultKind.choices)
        results.hits = [
            Hit(
                title=d.title,
                url=_url(d, request),
                kind=d.kind,
                kind_label=str(labels.get(d.kind, d.kind)),
                municipality_number=d.municipality_number,
                municipality_name=names.get(d.municipality_number, ""),
                snippet=d.snippet,
            )
            for d in _documents(shown, language, units, words)
        ]
    if not offset and not (kind or municipality):
        results.promotions = _promotions(query, language, request)
    return results


@dataclass
class Suggestion:
    title: str
    url: str
    kind_label: str


def suggest(prefix: str, language: str, *, limit: int = 8, request=None) -> list[Suggestion]:
    """Titles for the search box: the last word is a prefix of at least three letters."""
    words = terms(prefix)
    if not words or len(words[-1]) < MIN_PREFIX_LENGTH:
        return []
    key = _cache_key("suggest", request, language, [fold(word) for word in words], limit)
    suggestions = cache.get(key) if key else None
    if suggestions is None:
        suggestions = _suggest(words, language, limit, request)
        if key:
            cache.set(key, suggestions, cache_seconds())
    return suggestions


def _suggest(words: list[str], language: str, limit: int, request) -> list[Suggestion]:
    units = synonyms.units(words)
    ids = get_backend().suggestion_ids(language, words, units, limit, _sites(request))
    if not ids:
        return []
    documents = SearchDocument.objects.filter(pk__in=ids).select_related("page", "entry")
    by_pk = {d.pk: d for d in documents.only(*_DOCUMENT_FIELDS)}
    labels = dict(ResultKind.choices)
    return [
        Suggestion(title=d.title, url=_url(d, request), kind_label=str(labels.get(d.kind, d.kind)))
        for d in (by_pk[pk] for pk in ids if pk in by_pk)
    ]
