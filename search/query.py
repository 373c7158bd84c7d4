"""Running a search: matching, ranking, facets, snippets, promotions and suggestions.

On both databases the query's words are grouped into units with their synonyms
(`search.synonyms`), and every unit must match. A search serves at most the best
`SEARCH_RESULT_CAP` (1,000) matches: when more match, the answer says so (`capped`), and its
count and facet counts are counted among the matches it serves, so they are lower bounds
("1,000+"). Facets, filters and pages are taken from those matches, so that a facet's
count is the number of results its filter shows. Answers are cached for
`SEARCH_CACHE_SECONDS` (60) under the normalised query, the filters, the page and the
index version (`search.versions`), which every index write and every change to a synonym
or a promotion bumps.

PostgreSQL: full-text search with the language's configuration (stemming, accent folding)
from the language's GIN indexes, in two bounded steps of one statement: up to the cap of
rows whose title or keywords match (`rank_vector`), then up to the cap of rows that match
anywhere (`search_vector`). They are ranked with `ts_rank` on `rank_vector`: title words
before keywords before the text alone, equal ranks in the order of their titles. Reading a
bounded number of rows is what keeps a search for a common word fast; snippets come from
`ts_headline`, suggestions from prefix queries on `rank_vector`.

SQLite: every query word (or a synonym) must begin a word of the folded text; no stemming,
so "skole" finds "skoler" but not the other way round. Ranked by where the first word
occurs (title words come first).
"""

import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from region_pages.models import MunicipalityPage

from . import synonyms, versions
from .indexing import config_for, uses_postgres
from .models import ResultKind, SearchDocument
from .text import MIN_PREFIX_LENGTH, fold, terms

PAGE_SIZE = 10
MAX_PAGE = 1000
SNIPPET_WORDS = 30
# Suggestions are chosen among this many prefix matches of titles and keywords.
SUGGESTION_CANDIDATES = 200
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


def postgres_query(units: list[synonyms.Unit], config: str, prefix_last: bool = False):
    """One tsquery: every unit (its words, or one of its synonyms) must match; the last
    word as a prefix for suggestions."""
    parts = []
    for position, unit in enumerate(units):
        if prefix_last and position == len(units) - 1 and len(unit.words) == 1:
            # The word holds letters and digits only, so it cannot break out of the quotes.
            options = [SearchQuery(f"'{unit.words[0]}':*", search_type="raw", config=config)]
        else:
            options = [SearchQuery(" ".join(unit.words), search_type="plain", config=config)]
        options += [
            SearchQuery(alternative, search_type="plain", config=config)
            for alternative in unit.alternatives
        ]
        parts.append(reduce(or_, options))
    return reduce(and_, parts)


def _sql(expression) -> tuple[str, list]:
    """The SQL of an expression, for the statements written out below."""
    query = SearchDocument.objects.all().query
    sql, params = query.get_compiler(connection=connection).compile(
        expression.resolve_expression(query)
    )
    return sql, list(params)


def _sqlite_condition(units: list[synonyms.Unit]) -> Q:
    def every_word(words) -> Q:
        return reduce(and_, (Q(folded_text__contains=f" {word}") for word in words))

    parts = []
    for unit in units:
        options = [every_word(fold(word) for word in unit.words)]
        options += [every_word(terms(fold(alternative))) for alternative in unit.alternatives]
        parts.append(reduce(or_, options))
    return reduce(and_, parts)


# Two bounded reads of the language's GIN indexes. A CTE that is MATERIALIZED is planned
# for all its rows, so PostgreSQL takes the bitmap scan of the index; the LIMIT outside it
# then stops reading the table after that many rows. (With the LIMIT inside, the planner
# hopes to meet enough matches early in a sequential scan of the whole table.) When more
# than the cap of rows match in their title or keywords, those are the answer and the
# second read is skipped (LIMIT 0 never starts it).
_CANDIDATES_SQL = """
WITH title_matches AS MATERIALIZED (
    SELECT id, kind, municipality_number, title, ts_rank(rank_vector, {q}) AS rank
    FROM {table} WHERE language = %s AND rank_vector @@ {q}
), matches AS MATERIALIZED (
    SELECT id, kind, municipality_number, title, ts_rank(rank_vector, {q}) AS rank
    FROM {table} WHERE language = %s AND search_vector @@ {q}
), strong AS MATERIALIZED (
    SELECT * FROM title_matches LIMIT %s
)
SELECT *, FALSE FROM strong
UNION ALL
(SELECT *, TRUE FROM matches LIMIT (SELECT CASE WHEN count(*) > %s THEN 0 ELSE %s END FROM strong))
"""

_SUGGESTIONS_SQL = """
WITH matches AS MATERIALIZED (
    SELECT id, title, ts_rank(rank_vector, {q}) AS rank
    FROM {table} WHERE language = %s AND rank_vector @@ {q}
)
SELECT id FROM (SELECT * FROM matches LIMIT %s) AS candidates
ORDER BY rank DESC, title, id LIMIT %s
"""

# (pk, kind, municipality_number, title, rank): what a search needs of each match.
Candidate = tuple[int, str, str, str, float]


def _best_first(candidate: Candidate):
    return (-candidate[4], candidate[3], candidate[0])


def candidates_statement(language: str, units: list[synonyms.Unit], cap: int):
    """PostgreSQL: the statement that reads the candidates (also for EXPLAIN)."""
    q, params = _sql(postgres_query(units, config_for(language)))
    # Table and columns are our own names; the words are parameters.
    sql = _CANDIDATES_SQL.format(q=q, table=SearchDocument._meta.db_table)
    return sql, [*params, language, *params] * 2 + [cap + 1, cap, cap + 1]


def _candidates(language: str, units: list[synonyms.Unit]) -> tuple[list[Candidate], bool]:
    """The best matches, best first, at most the cap; and whether more rows match."""
    cap = result_cap()
    if uses_postgres():
        with connection.cursor() as cursor:
            cursor.execute(*candidates_statement(language, units, cap))
            rows = cursor.fetchall()
        found: dict[int, Candidate] = {}
        title_matches = matches = 0
        for pk, kind, number, title, rank, anywhere in rows:
            matches += anywhere
            title_matches += not anywhere
            found.setdefault(pk, (pk, kind, number, title, rank))
        # Every row of the first read matches anywhere too: with no more than the cap of
        # matches, the second read holds them all.
        capped = title_matches > cap or matches > cap
        return sorted(found.values(), key=_best_first)[:cap], capped
    first = f" {fold(units[0].words[0])}"
    rows = list(
        SearchDocument.objects.filter(language=language)
        .filter(_sqlite_condition(units))
        .annotate(rank=-StrIndex(F("folded_text"), Value(first)))
        .order_by("-rank", "title", "pk")
        .values_list("pk", "kind", "municipality_number", "title", "rank")[: cap + 1]
    )
    return rows[:cap], len(rows) > cap


def _cache_key(name: str, request, *parts) -> str:
    """The key of a cached answer, or "" when caching is off. The active language is part
    of it (labels are translated), and the host (links are relative to the request's site)."""
    if cache_seconds() <= 0:
        return ""
    host = request.get_host() if request is not None else ""
    raw = repr((versions.token(request), result_cap(), translation.get_language(), host, *parts))
    return f"search:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


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


# ---- the search ------------------------------------------------------------------------


# Small lookups that change only with the index version, cached under it (they are never
# stale, so they are kept even where the cache of answers is switched off).
LOOKUP_SECONDS = 300


def _versioned(name: str, request, compute):
    key = f"search:{name}:{versions.token(request)}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, LOOKUP_SECONDS)
    return found


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
    rows = SearchDocument.objects.filter(pk__in=ids).select_related("page", "entry")
    if uses_postgres():
        config = config_for(language)
        rows = rows.only(*_DOCUMENT_FIELDS).annotate(
            headline=SearchHeadline(
                "body",
                postgres_query(units, config),
                config=config,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=SNIPPET_WORDS,
                min_words=12,
                short_word=2,
            )
        )
    else:
        rows = rows.only(*_DOCUMENT_FIELDS, "body")
    by_pk = {row.pk: row for row in rows}
    documents = [by_pk[pk] for pk in ids if pk in by_pk]
    for document in documents:
        if uses_postgres():
            document.snippet = _marked(document.headline)
        else:
            document.snippet = _python_snippet(document.body, words)
    return documents


def _promotions(query: str, language: str, request) -> list[Hit]:
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.search.utils import normalise_query_string

    query_string = normalise_query_string(query)
    if query_string not in _promoted_queries(request):
        return []
    promotions = (
        SearchPromotion.objects.filter(query__query_string=query_string)
        .filter(
            Q(page__isnull=True)
            | Q(page__locale__language_code=language, page__live=True, page__depth__gt=1)
        )
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
    candidates, results.capped = _candidates(language, units)

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
    if uses_postgres():
        q, params = _sql(postgres_query(units, config_for(language), prefix_last=True))
        sql = _SUGGESTIONS_SQL.format(q=q, table=SearchDocument._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, language, *params, SUGGESTION_CANDIDATES, limit])
            ids = [row[0] for row in cursor.fetchall()]
    else:  # SQLite matches word starts: the last word is a prefix already
        first = f" {fold(words[0])}"
        ids = list(
            SearchDocument.objects.filter(language=language)
            .filter(_sqlite_condition(units))
            .annotate(rank=-StrIndex(F("folded_text"), Value(first)))
            .order_by("-rank", "title", "pk")
            .values_list("pk", flat=True)[:limit]
        )
    if not ids:
        return []
    documents = SearchDocument.objects.filter(pk__in=ids).select_related("page", "entry")
    by_pk = {d.pk: d for d in documents.only(*_DOCUMENT_FIELDS)}
    labels = dict(ResultKind.choices)
    return [
        Suggestion(title=d.title, url=_url(d, request), kind_label=str(labels.get(d.kind, d.kind)))
        for d in (by_pk[pk] for pk in ids if pk in by_pk)
    ]
