"""Keep manual work when a stopped translation is synchronised again.

The common way of working (wagtail-localize issue #876): translate by machine, stop the
synchronisation, improve the English page by hand. Restarting the synchronisation used to
rebuild the page from the old translation memory and drop the manual improvements.

Before the restart, the English page's current text (its latest revision) is read back
into the translation memory as manual translations, segment by segment, wherever a field
or block still has the same shape as in Norwegian. Parts that cannot be matched (a block
added only in English, a text split into more paragraphs) are reported, and the page's
revisions keep them for restoring.
"""

from collections import defaultdict

from django.db import transaction

from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments


@transaction.atomic
def capture_manual_edits(translation: Translation, page, user=None) -> list[str]:
    """Store the English page's text as translations; return the paths that did not fit."""
    current = page.get_latest_revision_as_object() if page.latest_revision_id else page.specific
    english = defaultdict(list)
    for segment in extract_segments(current):
        if isinstance(segment, StringSegmentValue):
            english[segment.path].append(segment)
    source = defaultdict(list)
    for segment in (
        StringSegment.objects.filter(source_id=translation.source_id)
        .select_related("string", "context")
        .order_by("order")
    ):
        source[segment.context.path].append(segment)

    unmatched = sorted(path for path in english if path not in source)
    for path, segments in source.items():
        found = english.get(path, [])
        if len(found) != len(segments):
            if found:
                unmatched.append(path)
            continue
        for segment, value in zip(segments, found, strict=True):
            text = value.string.data
            if text == segment.string.data:
                continue  # still the Norwegian text: nothing was translated here
            StringTranslation.objects.update_or_create(
                translation_of_id=segment.string_id,
                locale_id=translation.target_locale_id,
                context_id=segment.context_id,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "tool_name": "",
                    "last_translated_by": user,
                    "has_error": False,
                    "field_error": "",
                },
            )
    return sorted(set(unmatched))
