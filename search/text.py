"""Text handling shared by indexing and querying: folding, query cleaning, terms.

Folding mirrors PostgreSQL's `unaccent` as the `search_nb` and `search_en` configurations
use it: lower case, æ → ae, ø → o, å → a, accents removed. SQLite matches on folded text;
PostgreSQL folds inside the text search configuration.
"""

import re
import unicodedata

from django.utils.html import strip_tags

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_TERM_LENGTH = 50
# A synonym may be a phrase of this many words ("Mo i Rana").
MAX_PHRASE_WORDS = 5
# The search box offers suggestions from this many letters on.
MIN_PREFIX_LENGTH = 3

_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ð": "d", "þ": "th", "ł": "l"})
# Letters and digits; hyphens, quotes, operators and every other sign separate terms.
_TERM = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")


def _control_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {
        code: None for code in range(0x10000) if unicodedata.category(chr(code)).startswith("C")
    }
    table.update({ord("\t"): " ", ord("\n"): " ", ord("\r"): " "})
    return table


# Control, format, surrogate, private-use and unassigned characters of the BMP (NUL among
# them); whitespace controls become spaces. `str.translate` applies it in C.
_CONTROL = _control_table()
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def strip_control(text: str) -> str:
    """Drop control, format, surrogate and unassigned characters (NUL among them)."""
    text = text.translate(_CONTROL)
    if _ASTRAL.search(text):
        text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    return text


def clean_query(raw: str) -> str:
    """The query as the reader meant it: no control characters, single spaces."""
    return _SPACES.sub(" ", strip_control(raw or "")).strip()


def fold(text: str) -> str:
    text = text.casefold()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_LETTERS)))


def terms(text: str) -> list[str]:
    """The words of a query: letters and digits only, a bounded number of bounded words."""
    return [term[:MAX_TERM_LENGTH] for term in _TERM.findall(text)[:MAX_TERMS]]


def folded_words(text: str) -> str:
    """Folded text with single spaces around every word, for matching word starts."""
    return " " + " ".join(_TERM.findall(fold(text))) + " "


def phrase_key(text: str) -> str:
    """A word or phrase as synonyms are looked up: folded words, single spaces.
    "Mo-i-Rana" and "MO I RANA" give "mo i rana"."""
    return " ".join(terms(fold(text)))


def split_terms(text: str) -> list[str]:
    """A comma-separated list of words or phrases, cleaned."""
    return [t for t in (clean_query(part) for part in (text or "").split(",")) if t]


def plain_text(value: str) -> str:
    """Readable text from HTML or plain text, with single spaces and no control characters."""
    return clean_query(strip_tags(value or ""))


def stream_text(stream_value, skip=()) -> str:
    """The searchable text of a StreamField value, leaving out blocks of the `skip` types."""
    parts = []
    for child in stream_value:
        if isinstance(child.block, tuple(skip)):
            continue
        parts.extend(child.block.get_searchable_content(child.value))
    return plain_text(" ".join(str(p) for p in parts))
