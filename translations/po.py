"""PO files for translators outside the team: export, and an import that refuses a mismatch.

wagtail-localize's own import skips the entries it does not recognise and imports the
rest, so a file exported before the Norwegian page changed (stale) or for another page
(foreign) half-applies. Here the file must match the page's current source exactly:

- it must carry this translation's id (wagtail-localize writes it on export);
- its entries (text and place) must be exactly the segments of the current source, which
  the export also records as a fingerprint;
- every translated entry must be valid inline markup with the source's links.

Otherwise nothing is imported and `POMismatch` says why and what to do.
"""

import contextlib
import hashlib
import os
import tempfile

from django.db import transaction
from django.utils.translation import gettext_lazy as _

import polib
from wagtail_localize.models import StringSegment, Translation
from wagtail_localize.strings import StringValue, validate_translation_links

FINGERPRINT = "X-Ranaregionen-Source-Fingerprint"
TRANSLATION_ID = "X-WagtailLocalize-TranslationID"


class POMismatch(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _segments(translation: Translation) -> list[tuple[str, str]]:
    return list(
        StringSegment.objects.filter(source_id=translation.source_id)
        .order_by("order")
        .values_list("context__path", "string__data")
    )


def fingerprint(translation: Translation) -> str:
    digest = hashlib.sha256()
    for path, text in sorted(_segments(translation)):
        digest.update(path.encode() + b"\x00" + text.encode() + b"\x01")
    return digest.hexdigest()


def export_po(translation: Translation) -> str:
    po = translation.export_po()
    po.metadata[FINGERPRINT] = fingerprint(translation)
    po.metadata["Language"] = translation.target_locale.language_code
    return str(po)


def parse(data: bytes) -> polib.POFile:
    # polib reads a file name as well as a text, so the upload goes through a file of
    # our own: an upload that names a file on the server is never opened.
    handle = tempfile.NamedTemporaryFile(suffix=".po", delete=False)  # noqa: SIM115
    try:
        with handle:
            handle.write(data)
        return polib.pofile(handle.name)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise POMismatch(
            _("This is not a PO file that can be read. Nothing was imported.")
        ) from error
    finally:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)


def check(translation: Translation, po: polib.POFile) -> None:
    """Raise `POMismatch` unless `po` fits the translation's current source exactly."""
    if po.metadata.get(TRANSLATION_ID) != str(translation.uuid):
        raise POMismatch(
            _(
                "This file was exported for another page or language. Nothing was imported. "
                "Download the PO file of this translation and translate that one."
            )
        )
    expected = set(_segments(translation))
    entries = [entry for entry in po if not entry.obsolete]
    found = {(entry.msgctxt, entry.msgid) for entry in entries}
    stale = po.metadata.get(FINGERPRINT, fingerprint(translation)) != fingerprint(translation)
    if stale or found != expected:
        raise POMismatch(
            _(
                "The Norwegian page has changed since this file was exported, so the file "
                "no longer fits it. Nothing was imported. Download a new PO file and "
                "translate that one (the texts already translated are filled in)."
            )
        )
    for entry in entries:
        if not entry.msgstr:
            continue
        try:
            StringValue.from_translated_html(entry.msgstr)
            validate_translation_links(entry.msgid, entry.msgstr)
        except ValueError as error:
            raise POMismatch(
                _(
                    "The translation of “%(text)s” has broken markup or links (%(error)s). "
                    "Nothing was imported; correct it and upload the file again."
                )
                % {"text": entry.msgid[:80], "error": error}
            ) from error


@transaction.atomic
def import_po(translation: Translation, data: bytes, user=None) -> int:
    """Import the translations in a PO file; return how many entries were translated."""
    po = parse(data)
    check(translation, po)
    translation.import_po(po, user=user, tool_name="PO File")
    return sum(1 for entry in po if entry.msgstr and not entry.obsolete)
