"""The plain-language checks of pages' revisions, made once per revision and kept
(`Readability`); made again when the coordinator's list of words to avoid changes."""

import hashlib
import json
from collections.abc import Iterable, Iterator

from wagtail.models import Locale, Revision

from . import plain_language
from .models import AvoidedWord, Readability


def revision_parts(content: dict) -> list[str]:
    """The texts a reader meets on a page as a revision saved it, in order: title,
    introduction, summary and the texts in its blocks (rich text's HTML kept: paragraphs end
    sentences). Read from the revision's JSON, without building the page: a text is a string
    with a space in it (names, sentences, paragraphs), not a code, an address or a choice."""
    parts = [content.get(name) for name in ("title", "intro", "search_description")]
    body = content.get("body")
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            body = None
    parts.extend(_texts(body))
    return [part for part in parts if isinstance(part, str) and part.strip()]


def _texts(node) -> Iterator[str]:
    if isinstance(node, str):
        if " " in node.strip():
            yield node
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("type", "id"):
                yield from _texts(value)


def words_to_avoid() -> tuple[dict[str, dict[str, str]], str]:
    """The list by language (phrase → advice), and its digest."""
    rows = list(
        AvoidedWord.objects.order_by("language_code", "phrase").values_list(
            "language_code", "phrase", "advice"
        )
    )
    by_language: dict[str, dict[str, str]] = {}
    for code, phrase, advice in rows:
        by_language.setdefault(code, {})[phrase] = advice
    return by_language, hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def for_revisions(revision_ids: Iterable[int | None]) -> dict[int, Readability]:
    """The findings of each revision, checked now where none are kept or the list of words
    to avoid has changed since: two queries when every one is kept, five when some are
    checked now, however many."""
    ids = sorted({pk for pk in revision_ids if pk})
    if not ids:
        return {}
    avoid, digest = words_to_avoid()
    kept = {
        found.revision_id: found
        for found in Readability.objects.filter(revision_id__in=ids, checked_with=digest)
    }
    missing = [pk for pk in ids if pk not in kept]
    if missing:
        locales = {locale.pk: locale.language_code for locale in Locale.objects.all()}
        checked = []
        for pk, content in Revision.objects.filter(pk__in=missing).values_list("pk", "content"):
            language = locales.get(content.get("locale"), "")
            report = plain_language.check(revision_parts(content), language, avoid.get(language))
            checked.append(
                Readability(
                    revision_id=pk,
                    language_code=language,
                    lix=report.lix,
                    report=report.as_dict(),
                    checked_with=digest,
                )
            )
        Readability.objects.bulk_create(
            checked,
            update_conflicts=True,
            unique_fields=["revision"],
            update_fields=["language_code", "lix", "report", "checked_with"],
        )
        kept.update((found.revision_id, found) for found in checked)
    return kept


def of_page(page) -> Readability | None:
    """The findings of the page's newest revision (what the editor last saved)."""
    return for_revisions([page.latest_revision_id]).get(page.latest_revision_id)
