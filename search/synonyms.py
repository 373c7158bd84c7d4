"""Synonyms editors maintain: a word or phrase of the query also searches for the others.

A group is a list of words or phrases that mean the same ("barnehage, kindergarten";
"Mo i Rana, Mo"; "Mo Industripark, MIP"). The query is read from left to right: where its
words spell out a phrase of a group (the longest such phrase first), those words become one
unit that matches either its own words or any other member of the group; every other word
is a unit of its own, with the members of its group. A member also matches with a common
Norwegian or English ending on its last word ("stillinger" for "stilling", "schools" for
"school", "Mo Industriparken" for "Mo Industripark").

The groups are read once and cached under the content version, which saving or deleting a
synonym moves on (`search.signal_handlers`).
"""

from dataclasses import dataclass

from region_pages import versions

from .text import fold, phrase_key

# Long enough to outlive a version's busy time; a new version never reads an old key.
CACHE_SECONDS = 24 * 3600
ENDINGS = ("", "e", "en", "er", "ene", "et", "a", "s", "es")
# With an ending taken off, this much of the word must be left ("ene" is no word).
MIN_STEM = 3


@dataclass(frozen=True)
class Unit:
    """Query words that match together: all of `words`, or any one of `alternatives`."""

    words: tuple[str, ...]
    alternatives: tuple[str, ...] = ()


def _groups() -> tuple[dict[str, list[str]], int]:
    """Each member's key → the other members of its groups; the longest phrase's length."""

    def build():
        from .models import Synonym

        groups: dict[str, list[str]] = {}
        longest = 1
        for synonym in Synonym.objects.all():
            members = synonym.term_list
            for member in members:
                key = phrase_key(member)
                if not key:
                    continue
                longest = max(longest, len(key.split()))
                others = groups.setdefault(key, [])
                others.extend(m for m in members if phrase_key(m) != key and m not in others)
        return (groups, longest)

    return versions.remember("synonyms", "groups", build, CACHE_SECONDS)


def _members(folded: list[str], groups: dict[str, list[str]]) -> list[str]:
    """The other members of the groups the folded words spell, with an ending allowed on
    the last word."""
    *first, last = folded
    typed = " ".join(folded)
    found: list[str] = []
    for ending in ENDINGS:
        if ending and (not last.endswith(ending) or len(last) - len(ending) < MIN_STEM):
            continue
        stem = last[: len(last) - len(ending)] if ending else last
        for member in groups.get(" ".join([*first, stem]), []):
            if phrase_key(member) != typed and member not in found:
                found.append(member)
    return found


def units(words: list[str]) -> list[Unit]:
    """The query's words grouped into units, each with the synonyms it also matches."""
    groups, longest = _groups()
    folded = [fold(word) for word in words]
    found: list[Unit] = []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            members = _members(folded[start : start + size], groups)
            if members or size == 1:
                found.append(Unit(tuple(words[start : start + size]), tuple(members)))
                start += size
                break
    return found


def alternatives(term: str) -> list[str]:
    """The other words to search for along with the single word `term`."""
    return list(units([term])[0].alternatives)
