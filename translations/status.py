"""The status of every page's translations: missing, machine-translated, out of date, in sync.

One function, `page_statuses`, reads the whole matrix in a fixed number of queries (plus
one per page type among the pages whose Norwegian source was republished since its last
sync, to name the fields that changed). The admin report, the dashboard panel and
`manage.py translation_status` all read it.

A translation is judged against wagtail-localize's records:

- `TranslationSource` is the snapshot of the Norwegian page that was last sent for
  translation ("synced"); when the live Norwegian page differs from it in a translatable
  or synchronised field, the translation is out of date, and the differing fields (and
  the blocks of a StreamField) are named;
- `StringTranslation` holds the translated segments, each marked manual or machine; a
  machine segment counts as reviewed once a person publishes the translation after it
  was made (`translations.Review`);
- `translations.Coverage` records which segments of a saved translation were still
  Norwegian, so that a translation completed in the editor but not yet published is
  reported as such.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from modelcluster.models import get_serializable_data_for_fields
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from .models import Coverage, Review


class Status(models.TextChoices):
    MISSING = "missing", _("Missing")
    OUTDATED = "outdated", _("Out of date")
    INCOMPLETE = "incomplete", _("Partly translated")
    MACHINE = "machine", _("Machine-translated, not reviewed")
    UNPUBLISHED = "unpublished", _("Translated, not published")
    IN_SYNC = "in_sync", _("In sync")


# Worst first: the order the report sorts by and the command lists counts in.
SEVERITY = [
    Status.MISSING,
    Status.OUTDATED,
    Status.INCOMPLETE,
    Status.MACHINE,
    Status.UNPUBLISHED,
    Status.IN_SYNC,
]

REGION = "region"  # the municipality filter's value for pages outside every municipality


@dataclass
class ChangedField:
    """A field of the Norwegian page that changed since the last sync."""

    name: str
    label: str  # lazily translated
    blocks: list[str] = field(default_factory=list)  # block types, for a StreamField
    block_labels: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.block_labels:
            return f"{self.label} ({', '.join(str(label) for label in self.block_labels)})"
        return str(self.label)

    @property
    def code(self) -> str:
        """The field in code: "intro", "body[industry]"; for the command and exports."""
        return f"{self.name}[{','.join(self.blocks)}]" if self.blocks else self.name

    def as_dict(self) -> dict:
        return {"field": self.name, "blocks": self.blocks}


@dataclass
class PageStatus:
    """One cell of the matrix: a Norwegian page and one target language."""

    page_id: int
    title: str
    url_path: str
    municipality: str  # the municipality's name, or "" for the region's own pages
    municipality_number: str
    language: str
    status: str
    changed_fields: list[ChangedField] = field(default_factory=list)
    segments: int = 0
    translated: int = 0
    machine_unreviewed: int = 0
    target_page_id: int | None = None
    target_live: bool = False
    last_synced_at: datetime | None = None
    source_published_at: datetime | None = None
    # The plain-language scores of both versions, as last saved (set by the report).
    plain_language: str = ""

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def changed_fields_display(self) -> str:
        return "; ".join(str(changed) for changed in self.changed_fields)

    @property
    def changed_fields_code(self) -> str:
        return " ".join(changed.code for changed in self.changed_fields)

    def as_dict(self) -> dict:
        return {
            "page_id": self.page_id,
            "title": self.title,
            "url_path": self.url_path,
            "municipality": self.municipality,
            "municipality_number": self.municipality_number,
            "language": self.language,
            "status": self.status,
            "changed_fields": [changed.as_dict() for changed in self.changed_fields],
            "segments": self.segments,
            "translated": self.translated,
            "machine_unreviewed": self.machine_unreviewed,
            "target_page_id": self.target_page_id,
            "target_live": self.target_live,
            "last_synced_at": self.last_synced_at.isoformat() if self.last_synced_at else None,
            "source_published_at": (
                self.source_published_at.isoformat() if self.source_published_at else None
            ),
        }


def source_language() -> str:
    return settings.LANGUAGE_CODE


def target_languages() -> list[str]:
    """Every content language but the source, in the order the settings list them."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != source_language()]


# ---- what changed since the last sync ---------------------------------------------------


def _decode(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _empty(value) -> bool:
    return value in (None, "", [], {})


def _stream_changes(block, before, after) -> list[tuple[str, str]]:
    """The types and labels of the blocks added, removed or changed between two streams."""
    before_by_id = {item.get("id"): item for item in before or [] if isinstance(item, dict)}
    after_by_id = {item.get("id"): item for item in after or [] if isinstance(item, dict)}
    types = []
    for block_id in list(after_by_id) + [key for key in before_by_id if key not in after_by_id]:
        old, new = before_by_id.get(block_id), after_by_id.get(block_id)
        if old != new:
            block_type = (new or old).get("type", "")
            child = getattr(block, "child_blocks", {}).get(block_type)
            label = child.label if child is not None else block_type
            if block_type not in [known for known, _label in types]:
                types.append((block_type, label))
    return types


def changed_fields(instance: Page, snapshot_json: str) -> list[ChangedField]:
    """The translatable and synchronised fields in which `instance` differs from a snapshot.

    A field the snapshot does not know (added to the model since) counts as changed only
    when the page has a value in it.
    """
    snapshot = json.loads(snapshot_json)
    current = get_serializable_data_for_fields(instance)
    changes = []
    for translatable in get_translatable_fields(type(instance)):
        name = translatable.field_name
        try:
            model_field = instance._meta.get_field(name)
        except Exception:  # noqa: S112 - a field the model no longer has is not compared
            continue
        old = _decode(snapshot.get(name))
        new = _decode(current.get(name))
        if name not in snapshot and _empty(new):
            continue
        if old == new or (_empty(old) and _empty(new)):
            continue
        label = getattr(model_field, "verbose_name", name)  # lazy: shown in the reader's language
        blocks = []
        stream_block = getattr(model_field, "stream_block", None)
        if stream_block is not None:
            blocks = _stream_changes(stream_block, old, new)
        changes.append(
            ChangedField(
                name=name,
                label=label,
                blocks=[block_type for block_type, _label in blocks],
                block_labels=[block_label for _type, block_label in blocks],
            )
        )
    return changes


# ---- the matrix -----------------------------------------------------------------------


def _municipalities(locale_id) -> list[tuple[str, str, str]]:
    from region_pages.models import MunicipalityPage

    return list(
        MunicipalityPage.objects.filter(locale_id=locale_id)
        .order_by("path")
        .values_list("path", "title", "municipality_number")
    )


def _municipality_of(path: str, municipalities) -> tuple[str, str]:
    for prefix, title, number in municipalities:
        if path.startswith(prefix):
            return title, number
    return "", ""


def page_statuses(
    languages: list[str] | None = None,
    municipality: str | None = None,
    status: str | None = None,
    page_ids: list[int] | None = None,
) -> list[PageStatus]:
    """The status of every live Norwegian page's translation into each target language.

    `municipality` is a municipality number, or `REGION` for the pages outside every
    municipality; `status` one of `Status`; `page_ids` limits the matrix to those pages.
    """
    try:
        source_locale = Locale.objects.get(language_code=source_language())
    except Locale.DoesNotExist:
        return []
    configured = target_languages()
    wanted = [code for code in languages or configured if code in configured]
    target_locales = {
        locale.pk: locale.language_code
        for locale in Locale.objects.filter(language_code__in=wanted)
        if locale.language_code != source_language()
    }
    # A language configured but without its locale yet: every page is missing in it.
    missing_languages = [code for code in wanted if code not in target_locales.values()]

    pages = Page.objects.filter(locale=source_locale, depth__gt=1).live()
    if page_ids is not None:
        pages = pages.filter(pk__in=page_ids)
    pages = list(
        pages.order_by("path").only(
            "id",
            "title",
            "path",
            "url_path",
            "translation_key",
            "last_published_at",
            "content_type_id",
        )
    )
    municipalities = _municipalities(source_locale.pk)
    placed = {page.pk: _municipality_of(page.path, municipalities) for page in pages}
    if municipality:
        wanted_number = "" if municipality == REGION else municipality
        pages = [page for page in pages if placed[page.pk][1] == wanted_number]
    if not pages:
        return []
    keys = [page.translation_key for page in pages]

    targets = {
        (row["translation_key"], row["locale_id"]): row
        for row in Page.objects.filter(
            translation_key__in=keys, locale_id__in=target_locales
        ).values(
            "id",
            "translation_key",
            "locale_id",
            "live",
            "alias_of_id",
            "has_unpublished_changes",
            "live_revision_id",
            "last_published_at",
        )
    }
    sources = {
        row["object_id"]: row
        for row in TranslationSource.objects.filter(
            object_id__in=keys, locale=source_locale
        ).values("id", "object_id", "last_updated_at")
    }
    translations = {
        (row["source_id"], row["target_locale_id"]): row
        for row in Translation.objects.filter(
            source_id__in=[row["id"] for row in sources.values()],
            target_locale_id__in=target_locales,
        ).values("id", "source_id", "target_locale_id", "enabled")
    }
    reviewed_at = dict(
        Review.objects.filter(
            translation_id__in=[row["id"] for row in translations.values()]
        ).values_list("translation_id", "reviewed_at")
    )
    segments_by_source: dict[int, list[tuple[int, int]]] = {}
    for source_id, string_id, context_id in StringSegment.objects.filter(
        source_id__in=[row["id"] for row in sources.values()]
    ).values_list("source_id", "string_id", "context_id"):
        segments_by_source.setdefault(source_id, []).append((string_id, context_id))
    string_translations = {
        (string_id, context_id, locale_id): (kind, updated)
        for string_id, context_id, locale_id, kind, updated in StringTranslation.objects.filter(
            locale_id__in=target_locales, context__object_id__in=keys, has_error=False
        ).values_list(
            "translation_of_id", "context_id", "locale_id", "translation_type", "updated_at"
        )
    }
    live_gaps = set(
        Coverage.objects.filter(
            revision_id__in=[
                row["live_revision_id"] for row in targets.values() if row["live_revision_id"]
            ]
        )
        .exclude(missing_paths=[])
        .values_list("revision_id", flat=True)
    )

    # Only pages republished since their last sync can differ from the snapshot.
    candidates = [
        page.pk
        for page in pages
        if page.translation_key in sources
        and page.last_published_at
        and page.last_published_at > sources[page.translation_key]["last_updated_at"]
    ]
    changes: dict[int, list[ChangedField]] = {}
    if candidates:
        snapshots = dict(
            TranslationSource.objects.filter(
                object_id__in=[page.translation_key for page in pages if page.pk in candidates],
                locale=source_locale,
            ).values_list("object_id", "content_json")
        )
        for instance in Page.objects.filter(pk__in=candidates).specific():
            changes[instance.pk] = changed_fields(instance, snapshots[instance.translation_key])

    rows = []
    for page in pages:
        municipality_name, municipality_number = placed[page.pk]
        source = sources.get(page.translation_key)
        for locale_id, language in target_locales.items():
            row = PageStatus(
                page_id=page.pk,
                title=page.title,
                url_path=page.url_path,
                municipality=municipality_name,
                municipality_number=municipality_number,
                language=language,
                status=Status.MISSING,
                source_published_at=page.last_published_at,
                last_synced_at=source["last_updated_at"] if source else None,
            )
            _judge(
                row,
                target=targets.get((page.translation_key, locale_id)),
                translation=translations.get((source["id"], locale_id)) if source else None,
                segments=segments_by_source.get(source["id"], []) if source else [],
                string_translations=string_translations,
                locale_id=locale_id,
                reviewed_at=reviewed_at,
                changes=changes.get(page.pk, []),
                live_gaps=live_gaps,
                source_published_at=page.last_published_at,
            )
            rows.append(row)
        for language in missing_languages:
            rows.append(
                PageStatus(
                    page_id=page.pk,
                    title=page.title,
                    url_path=page.url_path,
                    municipality=municipality_name,
                    municipality_number=municipality_number,
                    language=language,
                    status=Status.MISSING,
                    source_published_at=page.last_published_at,
                )
            )
    if status:
        rows = [row for row in rows if row.status == status]
    return rows


def _judge(
    row: PageStatus,
    *,
    target,
    translation,
    segments,
    string_translations,
    locale_id,
    reviewed_at,
    changes,
    live_gaps,
    source_published_at,
) -> None:
    if target is None or target["alias_of_id"]:
        # No page, or an alias: an alias shows the Norwegian text under the other language.
        return
    row.target_page_id = target["id"]
    row.target_live = target["live"]

    if translation is None or not translation["enabled"]:
        # Edited by hand (never synced, or its sync was stopped): all that can be told is
        # whether the Norwegian page was published after it.
        if not target["live"]:
            return
        if changes:
            row.changed_fields = changes
            row.status = Status.OUTDATED
        elif (
            translation is None
            and source_published_at
            and target["last_published_at"]
            and source_published_at > target["last_published_at"]
        ):
            row.status = Status.OUTDATED
        else:
            row.status = Status.IN_SYNC
        return

    review = reviewed_at.get(translation["id"])
    row.segments = len(segments)
    for string_id, context_id in segments:
        found = string_translations.get((string_id, context_id, locale_id))
        if found is None:
            continue
        row.translated += 1
        kind, updated = found
        if kind == StringTranslation.TRANSLATION_TYPE_MACHINE and (
            review is None or updated > review
        ):
            row.machine_unreviewed += 1

    if not target["live"] and row.translated == 0 and row.segments:
        return  # a draft nobody has translated yet
    if changes:
        row.changed_fields = changes
        row.status = Status.OUTDATED
    elif row.translated < row.segments:
        row.status = Status.INCOMPLETE
    elif row.machine_unreviewed:
        row.status = Status.MACHINE
    elif (
        not target["live"]
        or target["has_unpublished_changes"]
        or target["live_revision_id"] in live_gaps
    ):
        row.status = Status.UNPUBLISHED
    else:
        row.status = Status.IN_SYNC


def counts(rows: list[PageStatus]) -> dict[str, int]:
    """How many cells are in each status, worst first (every status listed)."""
    result = {str(status): 0 for status in SEVERITY}
    for row in rows:
        result[row.status] += 1
    return result
