"""SQLite (development and the tests' first pass): every query word (or a synonym) must
begin a word of the folded text; no stemming, so "skole" finds "skoler" but not the other
way round. Ranked by where the first word occurs (title words come first); snippets are
cut in Python."""

import re
from functools import reduce
from operator import and_, or_

from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex

from ..models import SearchDocument
from ..synonyms import Unit
from ..text import fold, folded_words, terms
from .base import SNIPPET_WORDS, START, STOP, marked

_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def _condition(units: list[Unit]) -> Q:
    def every_word(words) -> Q:
        return reduce(and_, (Q(folded_text__contains=f" {word}") for word in words))

    parts = []
    for unit in units:
        options = [every_word(fold(word) for word in unit.words)]
        options += [every_word(terms(fold(alternative))) for alternative in unit.alternatives]
        parts.append(reduce(or_, options))
    return reduce(and_, parts)


def _ranked(language: str, first_word: str, units: list[Unit], sites: list[int] | None):
    first = f" {fold(first_word)}"
    in_region = Q() if sites is None else Q(site_id__in=sites)
    return (
        SearchDocument.objects.filter(in_region, language=language)
        .filter(_condition(units))
        .annotate(rank=-StrIndex(F("folded_text"), Value(first)))
        .order_by("-rank", "title", "pk")
    )


class SqliteBackend:
    def store(self, documents):
        for doc in documents:
            doc.folded_text = folded_words(
                f"{doc.title} {doc.keywords} {doc.body} {doc.strong_heads} {doc.body_heads}"
            )
        SearchDocument.objects.bulk_create(documents, batch_size=1000)

    def candidates(self, language, units, cap, sites=None):
        rows = list(
            _ranked(language, units[0].words[0], units, sites).values_list(
                "pk", "kind", "municipality_number", "title", "rank"
            )[: cap + 1]
        )
        return rows[:cap], len(rows) > cap

    def with_snippets(self, rows, fields, language, units):
        return rows.only(*fields, "body")

    def snippet(self, document, words):
        """A window of the body around the first match, matched words marked."""
        folded_terms = [fold(w) for w in words]
        tokens = [_PUNCTUATION.match(token).groups() for token in document.body.split()]
        hits = {
            i
            for i, (_before, word, _after) in enumerate(tokens)
            if word and any(fold(word).startswith(t) for t in folded_terms)
        }
        start = max(0, min(hits, default=0) - 5)
        window = tokens[start : start + SNIPPET_WORDS]
        text = " ".join(
            f"{before}{START}{word}{STOP}{after}" if start + i in hits else before + word + after
            for i, (before, word, after) in enumerate(window)
        )
        if start > 0:
            text = "… " + text
        if start + SNIPPET_WORDS < len(tokens):
            text += " …"
        return marked(text)

    def suggestion_ids(self, language, words, units, limit, sites=None):
        # Words are matched by their start: the last word is a prefix already.
        return list(_ranked(language, words[0], units, sites).values_list("pk", flat=True)[:limit])
