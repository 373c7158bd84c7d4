"""Norwegian compound words: "skole" finds "barneskoler" and "grunnskole".

Norwegian writes compounds as one word, so a reader who searches for "skole" would not find
"Ytteren barneskole": the stemmer sees one lexeme, `barneskol`. Splitting every word into
its parts would make "hage" find "barnehage" (a garden is not a kindergarten), so only the
head words listed below are split off, and only when at least three letters stand before
them. The head, in its base form ("barneskolene" → "skole"), is indexed beside the text
with the lowest weight; the query is never split.

Words are matched folded (lower case, ø → o, å → a, æ → ae), as the index folds them. On
SQLite the heads join the folded text, so there too "skole" finds "barneskolene".
"""

import re

from .text import fold

# Head words worth finding inside a compound: what readers search for on this site.
HEADS = (
    "barnehage",
    "bibliotek",
    "bolig",
    "fiske",
    "hall",
    "hytte",
    "industri",
    "jobb",
    "kirke",
    "klubb",
    "loype",
    "museum",
    "park",
    "senter",
    "skole",
    "stilling",
    "sykehus",
    "tur",
)
# Words that end in a head word without being compounds of it (their own word endings are
# allowed too): "kultur" is no trip, "forestilling" no job.
NOT_COMPOUNDS = (
    "agentur",
    "arkitektur",
    "dressur",
    "fremstilling",
    "framstilling",
    "forestilling",
    "innstilling",
    "kandidatur",
    "karikatur",
    "kultur",
    "litteratur",
    "natur",
    "oppstilling",
    "sammenstilling",
    "signatur",
    "struktur",
    "temperatur",
    "utstilling",
)
# The endings a head word takes (indefinite and definite, singular and plural, genitive):
# skole, skolen, skoler, skolene, skolens; a head that ends in -e drops it before -a
# (løype, løypa).
ENDINGS = ("", "e", "en", "er", "ene", "et", "s", "es", "ens", "ers", "enes", "ets")
E_ENDINGS = ("e", "en", "er", "ene", "es", "ens", "ers", "enes", "a", "as")
# Letters that must stand before the head: "retur" is not a trip ("re" + "tur").
MIN_MODIFIER = 3


def _forms(head: str) -> str:
    if head.endswith("e"):
        stem, endings = head[:-1], E_ENDINGS
    else:
        stem, endings = head, ENDINGS
    return stem + "(?:" + "|".join(sorted(endings, key=len, reverse=True)) + ")"


# Which head a matched form belongs to: its stem, longest first.
_STEMS = sorted(
    (((h[:-1] if h.endswith("e") else h), h) for h in HEADS),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
# A whole word: some letters, then a head word in one of its forms (longest heads first).
# One pass over the text in C; the few candidates it finds are checked in Python.
_COMPOUND = re.compile(
    r"\b(\w*?)(" + "|".join(_forms(h) for h in sorted(HEADS, key=len, reverse=True)) + r")\b"
)


def heads(text: str) -> str:
    """The heads of the compound words in `text`, folded and in their base form, separated
    by spaces: "Barneskolene på Ytteren" gives "skole". Stemming makes the base form match
    every form of the head on PostgreSQL."""
    found = []
    for modifier, form in _COMPOUND.findall(fold(text)):
        if len(modifier) < MIN_MODIFIER:
            continue
        stem, head = next((stem, head) for stem, head in _STEMS if form.startswith(stem))
        if (modifier + stem).endswith(NOT_COMPOUNDS):
            continue
        found.append(head)
    return " ".join(found)
