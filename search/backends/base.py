"""What site search asks of an engine. `search.query` does the rest (caching, facets,
pages, promotions, links) the same way for every engine.

An engine for many regions (OpenSearch, Elasticsearch) is one more module that fills
this interface, and a branch in `search.backends.get_backend`.
"""

from typing import Protocol

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..synonyms import Unit

# (pk, kind, municipality_number, title, rank): what a search needs of each match.
Candidate = tuple[int, str, str, str, float]

SNIPPET_WORDS = 30
# Markers put around matched words in a snippet; control characters never occur in
# indexed text.
START, STOP = "\x02", "\x03"


def marked(text: str) -> SafeString:
    """A snippet with its markers as <mark> and everything else escaped."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own markers become tags


class SearchBackend(Protocol):
    def store(self, documents: list) -> None:
        """Write new rows of `SearchDocument` (made by `search.indexing`, not yet saved),
        with whatever the engine matches on."""

    def candidates(
        self, language: str, units: list[Unit], cap: int, sites: list[int] | None = None
    ) -> tuple[list[Candidate], bool]:
        """The best matches in `language` among the rows of the regions of `sites` (their
        sites' ids; every region when None), best first, at most `cap` of them; and
        whether more rows match. Every unit (its words, or one of its synonyms) must
        match."""

    def with_snippets(
        self, rows: QuerySet, fields: tuple[str, ...], language: str, units: list[Unit]
    ) -> QuerySet:
        """`rows` limited to `fields` and what `snippet` reads, in the same query."""

    def snippet(self, document, words: list[str]) -> SafeString:
        """The part of a document's body around its matches, the matched words marked."""

    def suggestion_ids(
        self, language: str, words: list[str], units: list[Unit], limit: int, sites=None
    ) -> list[int]:
        """At most `limit` rows of the regions of `sites` whose title or keywords match,
        the last word as a prefix, best first."""
