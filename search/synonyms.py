"""Synonyms editors maintain: a query word also searches for the other words of its group.

The groups are read once and cached; saving or deleting a synonym clears the cache. A word
matches a group when it is one of the group's words, or one of them with a common Norwegian
or English ending ("stillinger" for "stilling", "schools" for "school").
"""

from django.core.cache import cache

from .text import fold

CACHE_KEY = "search:synonyms:v1"
ENDINGS = ("", "e", "en", "er", "ene", "et", "a", "s", "es")


def _groups() -> dict[str, list[str]]:
    groups = cache.get(CACHE_KEY)
    if groups is None:
        from .models import Synonym

        groups = {}
        for synonym in Synonym.objects.all():
            words = synonym.term_list
            for word in words:
                groups.setdefault(fold(word), []).extend(w for w in words if w != word)
        cache.set(CACHE_KEY, groups, timeout=None)
    return groups


def clear_cache(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def alternatives(term: str) -> list[str]:
    """The other words to search for along with `term` (empty when it has no synonyms)."""
    folded = fold(term)
    groups = _groups()
    found: list[str] = []
    for ending in ENDINGS:
        if ending and not folded.endswith(ending):
            continue
        stem = folded[: len(folded) - len(ending)] if ending else folded
        if len(stem) < 3:
            continue
        for word in groups.get(stem, []):
            if fold(word) != folded and word not in found:
                found.append(word)
    return found
