"""Machine translation of a page: sync its source, fill the untranslated segments, save a draft.

The draft waits for a person: the segments are marked as machine translations, the status
matrix reports the page as machine-translated, and publishing it from the translation
editor records the review (`translations.Review`). A segment that already has a
translation, made by a person or by an earlier machine run, is never replaced.

Everything happens in one transaction: when DeepL fails, nothing is saved, the page and
its translation are as they were, and `DeepLError` says what happened.
"""

import json
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue

from .deepl import DeepLError


def translator_or_error():
    translator = get_machine_translator()
    if translator is None:
        raise DeepLError(
            _(
                "Machine translation is not set up on this site. Ask an administrator to "
                "configure DeepL (DEEPL_AUTH_KEY)."
            )
        )
    return translator


def fill_segments(translation: Translation, translator, user=None) -> int:
    """Machine-translate the segments of `translation` that have no translation yet."""
    segments = defaultdict(list)
    for segment in translation.source.stringsegment_set.select_related("context", "string"):
        exists = StringTranslation.objects.filter(
            translation_of_id=segment.string_id,
            locale_id=translation.target_locale_id,
            context_id=segment.context_id,
        ).exists()
        if exists:
            continue
        value = StringSegmentValue(segment.context.path, segment.string.as_value())
        if segment.attrs:
            value.attrs = json.loads(segment.attrs)
        segments[value.string].append((segment.string_id, segment.context_id))
    if not segments:
        return 0
    translated = translator.translate(
        translation.source.locale, translation.target_locale, list(segments)
    )
    count = 0
    for string, places in segments.items():
        result = translated.get(string)
        if result is None or result.data is None:
            continue
        for string_id, context_id in places:
            StringTranslation.objects.get_or_create(
                translation_of_id=string_id,
                locale_id=translation.target_locale_id,
                context_id=context_id,
                defaults={
                    "data": result.data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MACHINE,
                    "tool_name": translator.display_name,
                    "last_translated_by": user,
                    "has_error": False,
                    "field_error": "",
                },
            )
            count += 1
    return count


@transaction.atomic
def machine_translate_page(page: Page, language: str, user=None) -> int:
    """Translate `page` into `language` by machine and save the result as a draft.

    Returns the number of segments translated. Raises `DeepLError` (and saves nothing)
    when machine translation is not configured, cannot do this language, or fails.
    """
    translator = translator_or_error()
    page = page.specific
    locale = Locale.objects.get(language_code=language)
    if not translator.can_translate(page.locale, locale):
        raise DeepLError(
            _("The machine translator cannot translate into this language (%(language)s).")
            % {"language": language}
        )
    # Sync first, so that text added to the Norwegian page since is translated too.
    source, _created = TranslationSource.update_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    if not translation.enabled:
        raise DeepLError(
            _(
                "This page's translation is edited by hand (its synchronisation is stopped), "
                "so machine translation leaves it alone. Restart the synchronised "
                "translation first."
            )
        )
    count = fill_segments(translation, translator, user=user)
    # A draft for review. wagtail-localize's own publish happens on commit from a page
    # object that is stale by then, so the pipeline never publishes through it.
    translation.save_target(user=None, publish=False)
    return count
