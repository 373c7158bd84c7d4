"""Which parts of a published translation are still in the source language.

wagtail-localize fills a segment that has no translation with the source text (its
"fallback"), so an English page can hold Norwegian paragraphs. When it saves a
translation it writes a `TranslationLog` naming the new revision; at that moment the
segments without a usable translation are known, and are recorded against the revision
(`Coverage`). The public page reads the record of its live revision and marks those parts,
field by field and, inside a block, part by part.

A revision published without wagtail-localize (the English page edited by hand after its
synchronisation was stopped) gets a record too: the parts the last record had in
Norwegian stay marked where their text is still identical to the Norwegian text.

A text translated as itself (a name such as "Mo Industripark") is not marked: a name is
the same in both languages, and WCAG 3.1.2 leaves proper names out of "language of parts".
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from wagtail.models import Page

from wagtail_localize.models import StringSegment, TranslationLog
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from region_pages import versions

from .models import Coverage


def record(log: TranslationLog) -> Coverage | None:
    """Record the untranslated segments of the revision that `log` names."""
    if log.revision_id is None:
        return None
    missing = sorted(
        set(
            StringSegment.objects.filter(source_id=log.source_id)
            .annotate_translation(log.locale)
            .filter(translation__isnull=True)
            .values_list("context__path", flat=True)
        )
    )
    coverage, _created = Coverage.objects.update_or_create(
        revision_id=log.revision_id,
        defaults={
            "missing_paths": missing,
            "source_language": log.source.locale.language_code,
        },
    )
    return coverage


@dataclass
class BlockGaps:
    """The untranslated parts of one StreamField block, for its template.

    `paths` are relative to the block: "" for a block whose value is one text (a
    paragraph), a child's name ("description"), or a list item's part
    ("employers.<item id>.name").
    """

    source_language: str = ""
    paths: frozenset[str] = frozenset()
    value: Any = None  # the block's value, to find a list's items by position

    def __bool__(self) -> bool:
        return bool(self.paths)

    @property
    def whole(self) -> bool:
        """The block's own text is untranslated: mark the block as a whole."""
        return "" in self.paths

    def __contains__(self, name: str) -> bool:
        return any(path == name or path.startswith(f"{name}.") for path in self.paths)

    def has(self, name: str, index: int | None = None) -> bool:
        """Whether child `name` (or, with `index`, its list item at that position) is
        untranslated."""
        if index is None:
            return name in self
        try:
            item_id = self.value[name].bound_blocks[int(index)].id
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            return False
        return any(path.startswith(f"{name}.{item_id}.") for path in self.paths)


NO_BLOCK_GAPS = BlockGaps()

# The block types whose templates mark their own untranslated parts
# (`{% untranslated_lang untranslated "description" %}`). Any other block with an
# untranslated part is marked as a whole, so that no Norwegian text goes unmarked.
PARTS_MARKED_BY_TEMPLATE = frozenset({"image", "facts", "links", "quote", "leisure"})


@dataclass
class Gaps:
    """The untranslated parts of a page as the templates ask for them."""

    source_language: str = ""
    fields: set[str] = field(default_factory=set)
    blocks: set[str] = field(default_factory=set)
    # block id -> the untranslated paths inside it (see BlockGaps)
    block_paths: dict[str, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields or self.blocks)

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    @classmethod
    def from_paths(cls, source_language: str, paths: list[str]) -> "Gaps":
        gaps = cls(source_language=source_language)
        for path in paths:
            parts = path.split(".", 2)
            gaps.fields.add(parts[0])
            if len(parts) > 1:
                gaps.blocks.add(parts[1])
                gaps.block_paths.setdefault(parts[1], set()).add(parts[2] if len(parts) > 2 else "")
        return gaps

    def of_block(self, block_id: str, value=None, block_type: str | None = None) -> BlockGaps:
        """The untranslated parts of one block; for a `block_type` whose template does not
        mark its parts, the whole block."""
        paths = self.block_paths.get(block_id)
        if not paths:
            return NO_BLOCK_GAPS
        if block_type is not None and block_type not in PARTS_MARKED_BY_TEMPLATE:
            paths = {*paths, ""}
        return BlockGaps(self.source_language, frozenset(paths), value)

    def shown(self, page, *names: str) -> bool:
        """Whether the text shown for `names` (the first that has a value on `page`, as
        `seo_title|default:title` does) is untranslated."""
        for name in names:
            if getattr(page, name, ""):
                return name in self.fields
        return False


NO_GAPS = Gaps()


def gaps_for(page) -> Gaps:
    """The untranslated parts of `page` as published, none for source pages: kept under
    the content version (a revision's record is written in the transaction that publishes
    it), and on the page object for the title, the meta tags and the body."""
    revision_id = getattr(page, "live_revision_id", None)
    if revision_id is None or translation.get_language() == settings.LANGUAGE_CODE:
        return NO_GAPS
    cached = getattr(page, "_translation_gaps", None)
    if cached is not None and cached[0] == revision_id:
        return cached[1]
    gaps = versions.remember("translation-gaps", str(revision_id), lambda: _gaps(revision_id))
    page._translation_gaps = (revision_id, gaps)
    return gaps


def _gaps(revision_id: int) -> Gaps:
    row = (
        Coverage.objects.filter(revision_id=revision_id)
        .values_list("source_language", "missing_paths")
        .first()
    )
    return NO_GAPS if row is None or not row[1] else Gaps.from_paths(*row)


def gaps_for_pages(pages) -> dict[int, Gaps]:
    """The untranslated parts of several published pages, in one query (none in the source
    language); for lists of pages such as the cards on the home page."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return {}
    by_revision = {
        page.live_revision_id: page.pk for page in pages if getattr(page, "live_revision_id", None)
    }
    if not by_revision:
        return {}
    return {
        by_revision[revision_id]: Gaps.from_paths(source_language, paths)
        for revision_id, source_language, paths in Coverage.objects.filter(
            revision_id__in=by_revision
        )
        .exclude(missing_paths=[])
        .values_list("revision_id", "source_language", "missing_paths")
    }


# The entry field (read model) that shows each block part on the theme pages. An industry's
# name is its heading, or the sector's label (from gettext) when it has none.
ENTRY_NAME_PART = {"industry": "heading"}


@dataclass
class EntryGaps:
    """Which texts of a read-model entry are untranslated: its name and description."""

    source_language: str = ""
    name: bool = False
    description: bool = False

    def __bool__(self) -> bool:
        return self.name or self.description


def entry_gaps(gaps_by_page: dict[int, Gaps], entry) -> EntryGaps:
    gaps = gaps_by_page.get(entry.page_id) if gaps_by_page else None
    if gaps is None:
        return EntryGaps()
    parts = gaps.of_block(entry.block_id)
    return EntryGaps(
        source_language=gaps.source_language,
        name=parts.has(ENTRY_NAME_PART.get(entry.kind, "name")),
        description=parts.has("description"),
    )


# ---- pages edited by hand -----------------------------------------------------------


def record_hand_edit(page, revision) -> Coverage | None:
    """Record what of a revision published without wagtail-localize is still Norwegian.

    The parts the page's last record had untranslated stay so where the revision's text
    is still identical to the Norwegian text of that part. Nothing is recorded when every
    such part has been translated since (or when the page never had a record).
    """
    if revision is None or Coverage.objects.filter(revision_id=revision.pk).exists():
        return None
    previous = (
        Coverage.objects.filter(
            revision__object_id=str(page.pk),
            revision__base_content_type=ContentType.objects.get_for_model(Page),
        )
        .exclude(missing_paths=[])
        .order_by("-revision__created_at", "-revision_id")
        .first()
    )
    if previous is None:
        return None
    norwegian: dict[str, set[str]] = {}
    for path, text in StringSegment.objects.filter(
        source__object_id=page.translation_key,
        source__locale__language_code=previous.source_language,
        context__path__in=previous.missing_paths,
    ).values_list("context__path", "string__data"):
        norwegian.setdefault(path, set()).add(text)
    still = sorted(
        {
            segment.path
            for segment in extract_segments(revision.as_object())
            if isinstance(segment, StringSegmentValue)
            and segment.string.data in norwegian.get(segment.path, ())
        }
    )
    if not still:
        return None
    return Coverage.objects.create(
        revision_id=revision.pk,
        missing_paths=still,
        source_language=previous.source_language,
    )
