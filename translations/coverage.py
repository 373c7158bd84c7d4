"""Which parts of a published translation are still in the source language.

wagtail-localize fills a segment that has no translation with the source text (its
"fallback"), so an English page can hold Norwegian paragraphs. When it saves a
translation it writes a `TranslationLog` naming the new revision; at that moment the
segments without a usable translation are known, and are recorded against the revision
(`Coverage`). The public page reads the record of its live revision and marks those parts.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation

from wagtail_localize.models import StringSegment, TranslationLog

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
class Gaps:
    """The untranslated parts of a page as the templates ask for them."""

    source_language: str = ""
    fields: set[str] = field(default_factory=set)
    blocks: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.fields or self.blocks)

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    @classmethod
    def from_paths(cls, source_language: str, paths: list[str]) -> "Gaps":
        gaps = cls(source_language=source_language)
        for path in paths:
            parts = path.split(".")
            gaps.fields.add(parts[0])
            if len(parts) > 1:
                gaps.blocks.add(parts[1])
        return gaps


NO_GAPS = Gaps()


def gaps_for(page) -> Gaps:
    """The untranslated parts of `page` as published: one query, none for source pages."""
    revision_id = getattr(page, "live_revision_id", None)
    if revision_id is None or translation.get_language() == settings.LANGUAGE_CODE:
        return NO_GAPS
    row = (
        Coverage.objects.filter(revision_id=revision_id)
        .values_list("source_language", "missing_paths")
        .first()
    )
    if row is None or not row[1]:
        return NO_GAPS
    return Gaps.from_paths(*row)


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
