"""Running a search: matching, ranking, facets, snippets, promotions and suggestions.

PostgreSQL: full-text search on `SearchDocument.search_vector` with the reader's language
configuration (stemming and accent folding), ranked with `ts_rank`, snippets from
`ts_headline`, prefix queries for suggestions.

SQLite: every query word (or one of its synonyms) must begin a word of the folded text;
no stemming, so "skole" finds "skoler" but not the other way round. Ranked by where the
first word occurs (title words come first).
"""

import math
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, F, Q, Value
from django.db.models.functions import StrIndex
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Locale

from region_pages.models import MunicipalityPage

from . import synonyms
from .indexing import config_for, uses_postgres
from .models import ResultKind, SearchDocument
from .text import MIN_PREFIX_LENGTH, fold, terms

PAGE_SIZE = 10
MAX_PAGE = 1000
SNIPPET_WORDS = 30
# Markers ts_headline puts around matches; control characters never occur in indexed text.
_START, _STOP = "\x02", "\x03"
_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


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


# ---- matching --------------------------------------------------------------------------


def _postgres_query(words: list[str], config: str, prefix_last: bool = False):
    """One tsquery: every word (or a synonym of it) must match; the last as a prefix."""
    parts = []
    for position, word in enumerate(words):
        last = position == len(words) - 1
        if prefix_last and last:
            # `word` holds letters and digits only, so it cannot break out of the quotes.
            options = [SearchQuery(f"'{word}':*", search_type="raw", config=config)]
        else:
            options = [SearchQuery(word, search_type="plain", config=config)]
        options += [
            SearchQuery(alternative, search_type="plain", config=config)
            for alternative in synonyms.alternatives(word)
        ]
        parts.append(reduce(or_, options))
    return reduce(and_, parts)


def _sqlite_condition(words: list[str]) -> Q:
    parts = []
    for word in words:
        options = [Q(folded_text__contains=f" {fold(word)}")]
        for alternative in synonyms.alternatives(word):
            options.append(
                reduce(and_, (Q(folded_text__contains=f" {w}") for w in fold(alternative).split()))
            )
        parts.append(reduce(or_, options))
    return reduce(and_, parts)


def _matching(locale: Locale, words: list[str], prefix_last: bool = False):
    """The rows in `locale` that match, annotated with `rank`, and the tsquery (or None)."""
    documents = SearchDocument.objects.filter(locale=locale)
    if uses_postgres():
        tsquery = _postgres_query(words, config_for(locale.language_code), prefix_last)
        return (
            documents.filter(search_vector=tsquery).annotate(
                rank=SearchRank(F("search_vector"), tsquery)
            ),
            tsquery,
        )
    first = f" {fold(words[0])}"
    return (
        documents.filter(_sqlite_condition(words)).annotate(
            rank=-StrIndex(F("folded_text"), Value(first))
        ),
        None,
    )


# ---- snippets --------------------------------------------------------------------------


def _marked(text: str) -> SafeString:
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own markers become tags


def _python_snippet(body: str, words: list[str]) -> SafeString:
    """A window of the body around the first match, matched words marked (for SQLite)."""
    folded_terms = [fold(w) for w in words]
    tokens = [_PUNCTUATION.match(token).groups() for token in body.split()]
    hits = {
        i
        for i, (_before, word, _after) in enumerate(tokens)
        if word and any(fold(word).startswith(t) for t in folded_terms)
    }
    start = max(0, min(hits, default=0) - 5)
    window = tokens[start : start + SNIPPET_WORDS]
    text = " ".join(
        f"{before}{_START}{word}{_STOP}{after}" if start + i in hits else before + word + after
        for i, (before, word, after) in enumerate(window)
    )
    if start > 0:
        text = "… " + text
    if start + SNIPPET_WORDS < len(tokens):
        text += " …"
    return _marked(text)


def _snippets(ids: list[int], tsquery, config: str, words: list[str]) -> dict[int, SafeString]:
    if not ids:
        return {}
    rows = SearchDocument.objects.filter(pk__in=ids)
    if tsquery is None:
        return {pk: _python_snippet(body, words) for pk, body in rows.values_list("pk", "body")}
    rows = rows.annotate(
        headline=SearchHeadline(
            "body",
            tsquery,
            config=config,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=SNIPPET_WORDS,
            min_words=12,
            short_word=2,
        )
    )
    return {pk: _marked(headline) for pk, headline in rows.values_list("pk", "headline")}


# ---- the search ------------------------------------------------------------------------


def _municipality_names(locale: Locale) -> dict[str, str]:
    return dict(
        MunicipalityPage.objects.live()
        .filter(locale=locale)
        .order_by("title")
        .values_list("municipality_number", "title")
    )


def _url(document: SearchDocument, request) -> str:
    url = document.page.get_url(request=request) or ""
    return f"{url}#{document.anchor}" if document.entry_id else url


def _promotions(query: str, locale: Locale, request) -> list[Hit]:
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    promotions = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .filter(Q(page__isnull=True) | Q(page__locale=locale, page__live=True, page__depth__gt=1))
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
                    snippet=_marked(promotion.description),
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
    kind = kind if kind in ResultKind.values else ""
    municipality = municipality if municipality.isdigit() and len(municipality) == 4 else ""
    page = min(max(1, page), MAX_PAGE)
    results = Results(
        query=query,
        language=language,
        kind=kind,
        municipality=municipality,
        page=page,
        page_size=page_size,
    )
    words = terms(query)
    locale = Locale.objects.filter(language_code=language).first()
    if not words or locale is None:
        return results

    matching, tsquery = _matching(locale, words)

    # Facets: counts by kind (within the chosen municipality) and by municipality (within
    # the chosen kind), from one grouped query.
    kind_counts: dict[str, int] = {}
    municipality_counts: dict[str, int] = {}
    for row in matching.values("kind", "municipality_number").annotate(n=Count("pk")).order_by():
        if not municipality or row["municipality_number"] == municipality:
            kind_counts[row["kind"]] = kind_counts.get(row["kind"], 0) + row["n"]
        if row["municipality_number"] and (not kind or row["kind"] == kind):
            number = row["municipality_number"]
            municipality_counts[number] = municipality_counts.get(number, 0) + row["n"]
    results.total = kind_counts.get(kind, 0) if kind else sum(kind_counts.values())
    if offset is None:
        results.page = min(page, results.num_pages)
        offset = (results.page - 1) * page_size
    else:
        results.page = offset // page_size + 1

    names = _municipality_names(locale) if municipality_counts or results.total else {}
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

    if results.total:
        filtered = matching
        if kind:
            filtered = filtered.filter(kind=kind)
        if municipality:
            filtered = filtered.filter(municipality_number=municipality)
        documents = list(
            filtered.select_related("page", "entry")
            .only(
                "title",
                "kind",
                "municipality_number",
                "entry__block_id",
                "page__url_path",
                "page__locale_id",
                "page__depth",
            )
            .order_by("-rank", "title", "pk")[offset : offset + page_size]
        )
        snippets = _snippets([d.pk for d in documents], tsquery, config_for(language), words)
        labels = dict(ResultKind.choices)
        results.hits = [
            Hit(
                title=d.title,
                url=_url(d, request),
                kind=d.kind,
                kind_label=str(labels.get(d.kind, d.kind)),
                municipality_number=d.municipality_number,
                municipality_name=names.get(d.municipality_number, ""),
                snippet=snippets.get(d.pk, mark_safe("")),
            )
            for d in documents
        ]
    if not offset and not (kind or municipality):
        results.promotions = _promotions(query, locale, request)
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
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    matching, _tsquery = _matching(locale, words, prefix_last=True)
    labels = dict(ResultKind.choices)
    documents = (
        matching.select_related("page", "entry")
        .only(
            "title", "kind", "entry__block_id", "page__url_path", "page__locale_id", "page__depth"
        )
        .order_by("-rank", "title", "pk")[:limit]
    )
    return [
        Suggestion(title=d.title, url=_url(d, request), kind_label=str(labels.get(d.kind, d.kind)))
        for d in documents
    ]
