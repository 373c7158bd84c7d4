"""Plain-language checks (klarspråk): how readable a page's text is, and what to look at.

Public bodies must write plainly (the language act, § 9). These checks help the officer
and never block a publish:

- LIX (Björnsson's readability index): words per sentence plus the share of long words
  (more than six letters) in per cent. Under 30 very easy, 30 to 40 easy (most newspapers),
  40 to 50 medium, 50 to 60 difficult (official prose), above 60 very difficult.
- Long sentences: more than `LONG_SENTENCE` words.
- Passive voice, by pattern: "blir/ble/blitt" before a participle and a modal verb before
  an s-passive ("kan søkes", "må sendes") in Norwegian; a form of "be" before a participle
  in English. A pattern finds most of them and some that are not: it points, the officer
  decides.
- Words to avoid, with what to write instead: the coordinator's list (`AvoidedWord`,
  seeded from Språkrådet's advice), per language.

A page's text is its title, introduction, summary and the text of its blocks; each
paragraph, heading and list item ends a sentence, as a reader takes it.
"""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

LONG_WORD = 6  # letters; a longer word is a long word in LIX
LONG_SENTENCE = 25  # words
# The most findings of each kind a check keeps (the page shows them, the score counts all).
KEEP = 10

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# A sentence ends at . ! ? or : before a space (not inside "f.eks." or "kl. 10": the next
# word must start with a capital letter or a digit), and at the end of a paragraph.
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[«\"(]?[A-ZÆØÅ])")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|dt|dd|td|th|blockquote|figcaption)>|<br\s*/?>", re.I)

_PASSIVE = {
    "nb": re.compile(
        r"\b(?:bli|blir|ble|blei|blitt)\s+(?:[^\W\d_]+\s+)?"
        r"[^\W\d_]{2,}(?:t|d)\b"
        r"|\b(?:kan|kunne|skal|skulle|må|måtte|bør|burde|vil|ville)\s+(?:ikke\s+|også\s+)?"
        r"[^\W\d_]{3,}es\b",
        re.I,
    ),
    "en": re.compile(
        r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+|not\s+)?"
        r"[^\W\d_]{2,}(?:ed|en)\b",
        re.I,
    ),
}

LEVELS = (
    (30, _("very easy")),
    (40, _("easy")),
    (50, _("medium")),
    (60, _("difficult")),
    (None, _("very difficult")),
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(parts: Iterable[str]) -> list[str]:
    """The sentences of text parts (plain text or HTML): each part, and each paragraph,
    heading or list item in it, ends at least one sentence."""
    found = []
    for part in parts:
        for block in _BLOCK_END.split(part or ""):
            text = " ".join(strip_tags(block).split())
            found.extend(s for s in _SENTENCE_END.split(text) if words(s))
    return found


def lix(word_count: int, sentence_count: int, long_word_count: int) -> float | None:
    if not word_count or not sentence_count:
        return None
    return round(word_count / sentence_count + 100 * long_word_count / word_count, 1)


def level(score: float | None) -> str:
    if score is None:
        return ""
    return str(next(label for limit, label in LEVELS if limit is None or score < limit))


@dataclass
class Report:
    """The checks of one text in one language."""

    words: int = 0
    sentences: int = 0
    long_words: int = 0
    long_sentences: list[str] = field(default_factory=list)
    long_sentence_count: int = 0
    passives: list[str] = field(default_factory=list)
    passive_count: int = 0
    # (word as written, the advice), in the order met
    avoided: list[tuple[str, str]] = field(default_factory=list)

    @property
    def lix(self) -> float | None:
        return lix(self.words, self.sentences, self.long_words)

    @property
    def level(self) -> str:
        return level(self.lix)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        return cls(**{**data, "avoided": [tuple(pair) for pair in data.get("avoided", [])]})


def check(parts: Iterable[str], language: str, avoid: dict[str, str] | None = None) -> Report:
    """Check text parts (plain text or HTML) written in `language`; `avoid` maps words
    or phrases to avoid (lower case) to the advice."""
    report = Report()
    patterns = [
        (re.compile(rf"\b{re.escape(phrase)}\b", re.I), phrase, advice)
        for phrase, advice in (avoid or {}).items()
    ]
    passive = _PASSIVE.get(language.split("-")[0])
    seen = set()
    for sentence in sentences(parts):
        found = words(sentence)
        report.sentences += 1
        report.words += len(found)
        report.long_words += sum(1 for word in found if len(word) > LONG_WORD)
        if len(found) > LONG_SENTENCE:
            report.long_sentence_count += 1
            if len(report.long_sentences) < KEEP:
                report.long_sentences.append(sentence)
        if passive is not None:
            for match in passive.finditer(sentence):
                report.passive_count += 1
                if len(report.passives) < KEEP:
                    report.passives.append(match.group(0))
        for pattern, phrase, advice in patterns:
            match = pattern.search(sentence)
            if match and phrase not in seen and len(report.avoided) < KEEP:
                seen.add(phrase)
                report.avoided.append((match.group(0), advice))
    return report
