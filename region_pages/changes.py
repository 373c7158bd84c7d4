"""Recording the change feed (`ChangeEvent`) that partners sync from.

`reconcile` looks at a few pages (and their language versions) as they are now and writes
one event per resource whose public state a partner must learn about: `published` for
every visible page and entry among them (new or changed: the partner fetches it again),
and a tombstone (`unpublished` or `deleted`) for each resource the feed had announced and
that is no longer visible. It runs in the transaction of the change that caused it, after
the read model of entries has been brought in step.

Visible means what the API serves: a live page without a view restriction on it or
above it, and the entries the read model holds for such pages.

A visible resource is announced only when what the API answers for it changed since it
was last announced: `Announced.digest` keeps a SHA-256 of that answer. So a publish
announces the page published and those of its entries that changed; its version in the
other language, the pages linking to it and its unchanged entries are looked at and left
out when their answers are the same. A mirror that follows the feed still equals the
API, with fewer requests.
"""

import hashlib
import json
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from wagtail.models import Page, ReferenceIndex

from . import regions
from .models import (
    Announced,
    ArrivalGuidePage,
    ArticlePage,
    ChangeAction,
    ChangeEvent,
    Entry,
    EventCalendarPage,
    EventPage,
    HomePage,
    MunicipalityPage,
    ResourceType,
    ThemePage,
)

# The page types the API serves (Wagtail's own placeholder pages are not content).
API_PAGE_TYPES = (
    HomePage,
    MunicipalityPage,
    ThemePage,
    ArticlePage,
    ArrivalGuidePage,
    EventCalendarPage,
    EventPage,
)
logger = logging.getLogger(__name__)

# Any constant: the key of the advisory lock that orders writers on PostgreSQL.
FEED_LOCK_KEY = 7_046_311


def _serialise_writers() -> None:
    """Hold a lock until commit, so that sequence numbers are handed out in commit order.

    Without it, a transaction that took number 10 could commit after one that took 11,
    and a partner who had read up to 11 would never see 10. SQLite has one writer at a
    time already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])


# Other writers of the feed (the sources pipeline) take the same lock.
serialise_writers = _serialise_writers


def _with_translations(page_ids: set[int]) -> set[int]:
    """The pages and their versions in other languages (whose links to them change)."""
    keys = Page.objects.filter(pk__in=page_ids).values_list("translation_key", flat=True)
    return page_ids | set(
        Page.objects.filter(translation_key__in=list(keys)).values_list("pk", flat=True)
    )


@transaction.atomic
def reconcile(
    page_ids: Iterable[int], deleted: Iterable[int] = (), *, announce_all: bool = False
) -> int:
    """Write the events for `page_ids` and the entries they hold; return how many.

    `deleted` are pages being deleted in this transaction (their rows may still exist
    while the deletion cascades); they get a `deleted` tombstone whatever their state.
    `announce_all`: announce every visible resource among them, changed or not: the read
    model was repaired (a partner may have read it while it was wrong), or what changed
    is shown beside the pages' own answers (a contact, in `/municipalities` and `/region`).
    """
    deleted = set(deleted)
    candidates = _with_translations(set(page_ids) - deleted) | deleted
    if not candidates:
        return 0
    _serialise_writers()
    now = timezone.now()
    visible = {
        page.pk: page
        for page in Page.objects.filter(pk__in=candidates - deleted)
        .type(*API_PAGE_TYPES)
        .live()
        .public()
        .select_related("locale")
        .only("pk", "path", "translation_key", "locale__language_code")
    }
    sites = {pk: regions.site_for_path(page.path) for pk, page in visible.items()}
    existing = set(Page.objects.filter(pk__in=candidates - deleted).values_list("pk", flat=True))
    current_entries = list(
        Entry.objects.filter(page_id__in=list(visible))
        .select_related("locale")
        .only("block_id", "page_id", "locale__language_code")
        .order_by("page_id", "position")
    )
    announced = {
        _key(a): a
        for a in Announced.objects.filter(
            Q(page_id__in=candidates)
            | Q(
                resource_type=ResourceType.ENTRY,
                resource_id__in={entry.block_id for entry in current_entries},
            )
        )
    }

    published: list[Announced] = []
    for page in sorted(visible.values(), key=lambda p: p.pk):
        published.append(
            Announced(
                resource_type=ResourceType.PAGE,
                resource_id=str(page.pk),
                language_code=page.locale.language_code,
                translation_key=str(page.translation_key),
                page_id=page.pk,
                site_id=sites[page.pk],
                first_published_at=now,
            )
        )
    for entry in current_entries:
        published.append(
            Announced(
                resource_type=ResourceType.ENTRY,
                resource_id=entry.block_id,
                language_code=entry.locale.language_code,
                translation_key=entry.block_id,
                page_id=entry.page_id,
                site_id=sites[entry.page_id],
                first_published_at=now,
            )
        )
    # A page copied with its blocks repeats their ids: one resource per id and language.
    published = list(
        {(a.resource_type, a.resource_id, a.language_code): a for a in published}.values()
    )
    still_visible = {(a.resource_type, a.resource_id, a.language_code) for a in published}
    # Pages being deleted are still there while this runs (their translations list them,
    # links to them still resolve): what is looked at with them is announced whatever its
    # answer looks like now, without a digest, so the next reconcile that looks at it
    # announces it again with its answer as it is then.
    if not deleted:
        digests = _digests(visible, announced, now)
        for item in published:
            item.digest = digests.get(_key(item), "")

    events: list[ChangeEvent] = []
    # A resource that moved to another region leaves the old region's feed: a tombstone
    # there, before it is announced in its new region's.
    for item in published:
        before = announced.get(_key(item))
        if before is not None and before.site_id != item.site_id:
            events.append(_event(before, ChangeAction.UNPUBLISHED, now))
    gone = [
        a for key, a in announced.items() if key not in still_visible and a.page_id in candidates
    ]
    for item in sorted(gone, key=lambda a: (a.resource_type != ResourceType.ENTRY, a.pk)):
        page_gone = item.page_id in deleted or item.page_id not in existing
        if page_gone or (item.resource_type == ResourceType.ENTRY and item.page_id in visible):
            # The page was deleted, or the block was removed from a page that stays.
            action = ChangeAction.DELETED
        else:
            action = ChangeAction.UNPUBLISHED
        events.append(_event(item, action, now))
    changed = [
        item for item in published if announce_all or _changed(item, announced.get(_key(item)))
    ]
    events.extend(_event(item, ChangeAction.PUBLISHED, now) for item in changed)

    if gone:
        Announced.objects.filter(pk__in=[a.pk for a in gone]).delete()
    new = [
        a for a in published if (a.resource_type, a.resource_id, a.language_code) not in announced
    ]
    # What was announced before and changed: its new digest, and the page (and region)
    # it belongs to now (a block cut from one page and pasted into another keeps its id).
    updated = []
    for item in changed:
        before = announced.get(_key(item))
        if before is not None:
            before.digest, before.page_id, before.site_id = item.digest, item.page_id, item.site_id
            updated.append(before)
    Announced.objects.bulk_create(new)
    Announced.objects.bulk_update(updated, ["digest", "page_id", "site_id"], batch_size=500)
    ChangeEvent.objects.bulk_create(events)
    return len(events)


def _key(item: Announced) -> tuple[str, str, str]:
    return (item.resource_type, item.resource_id, item.language_code)


def _changed(item: Announced, before: Announced | None) -> bool:
    """Whether a visible resource must be announced: it is new to the feed, in another
    place, or the API answers otherwise for it than when it was last announced."""
    return (
        before is None
        or (before.page_id, before.site_id) != (item.page_id, item.site_id)
        or not item.digest
        or before.digest != item.digest
    )


def _digest_request() -> HttpRequest:
    """A request on the site's public host, reading every region: what the digests are
    worked out for (any host gives the same answers but for the host in their URLs)."""
    request = HttpRequest()
    public = urlsplit(settings.SITE_BASE_URL)
    request.META = {
        "HTTP_HOST": public.netloc,
        "SERVER_NAME": public.hostname or "localhost",
        "SERVER_PORT": str(public.port or (443 if public.scheme == "https" else 80)),
        "wsgi.url_scheme": public.scheme or "https",
    }
    if public.scheme == "https":
        request.META["HTTPS"] = "on"
    return request


def _digests(visible: dict[int, Page], announced: dict, now) -> dict[tuple, str]:
    """{key of a resource: SHA-256 of the API's answer for it} for the visible pages and
    the entries they hold, read together (a query per block type and chooser)."""
    from .api.represent import Reader  # the API's own representations
    from .blocks.bulk import load_together

    if not visible:
        return {}
    reader = Reader(_digest_request())
    reader.regions = ()  # every region: a page's translations may be in another
    rows = list(reader.whole(Page.objects.filter(pk__in=list(visible))))
    translations = reader.page_translations(rows)
    whole = [(row, reader.specific_row(row)) for row in rows]
    load_together([page.body for _row, page in whole if page is not None])
    found = {}
    for row, page in whole:
        if page is None:
            continue
        try:
            # Its images' renditions are made here if they are missing (as the API's first
            # reader would); a storage that fails, or a rendition another writer made at
            # the same moment, leaves the page announced anyway, never the publish failed.
            with transaction.atomic():
                detail = reader.page_detail(page, translations)
        except Exception:
            logger.warning("Page %s announced without a digest", row.pk, exc_info=True)
            continue
        found[(ResourceType.PAGE, str(row.pk), row.locale.language_code)] = _sha256(detail)
    entries = list(reader.entries().filter(page_id__in=list(visible)))
    # Each entry's other language versions: those on the visible pages are read already
    # (a publish usually makes both languages visible); only the rest are fetched.
    others: dict = {}
    elsewhere = reader.entries().filter(block_id__in={entry.block_id for entry in entries})
    for entry in [*entries, *elsewhere.exclude(page_id__in=list(visible))]:
        others.setdefault(entry.block_id, []).append(entry)
    for entry in entries:
        lang = entry.locale.language_code
        key = (ResourceType.ENTRY, entry.block_id, lang)
        # As the API will answer once this reconcile is written: first published now,
        # when it is new to the feed.
        first = {
            (entry.block_id, lang): announced[key].first_published_at if key in announced else now
        }
        found[key] = _sha256(reader.entry_item(entry, others, first))
    return found


def _sha256(representation: dict) -> str:
    text = json.dumps(representation, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _event(item: Announced, action: str, now) -> ChangeEvent:
    return ChangeEvent(
        resource_type=item.resource_type,
        resource_id=item.resource_id,
        language_code=item.language_code,
        translation_key=item.translation_key,
        action=action,
        page_id=item.page_id,
        site_id=item.site_id,
        occurred_at=now,
    )


def assign_site(site) -> int:
    """Put the feed's events and announced resources of the pages below `site`'s home page
    (in every language) in that site's region's feed: a new site takes over pages that
    were announced before it was made (in the default region's feed). Returns how many
    events moved."""
    root = Page.objects.filter(pk=site.root_page_id).values_list("translation_key", flat=True)
    moved = 0
    for path in Page.objects.filter(translation_key__in=list(root)).values_list("path", flat=True):
        pages = Page.objects.filter(path__startswith=path).values("pk")
        moved += (
            ChangeEvent.objects.filter(page_id__in=pages)
            .exclude(site_id=site.pk)
            .update(site_id=site.pk)
        )
        Announced.objects.filter(page_id__in=pages).exclude(site_id=site.pk).update(site_id=site.pk)
    return moved


def reconcile_subtree(page: Page) -> int:
    """Events for a page and everything below it (after a move or a privacy change), and
    for the pages whose content links into it: their links' addresses changed too."""
    ids = set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return reconcile(ids | linking_to(ids))


def linking_to(page_ids: Iterable[int]) -> set[int]:
    """The pages whose content (rich text, link blocks) refers to any of `page_ids` or to
    their translations: a link leads to the target's version in the reader's language
    (`region_pages.rich_text`), so a translation published, moved or deleted changes the
    address in the pages linking to the original."""
    page_ids = set(page_ids)
    keys = Page.objects.filter(pk__in=page_ids).values("translation_key")
    group = page_ids | set(
        Page.objects.filter(translation_key__in=keys).values_list("pk", flat=True)
    )
    return pages_referring_to(Page, group) - page_ids


def pages_referring_to(model, object_ids: Iterable[int]) -> set[int]:
    """The ids of the pages whose content refers to these objects of `model` (pages,
    images), from Wagtail's reference index."""
    referring = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model),
        to_object_id__in=[str(pk) for pk in object_ids],
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in referring}


def latest() -> tuple[int, object] | None:
    """The newest event's sequence number and time: the version of everything served."""
    return ChangeEvent.objects.order_by("-sequence").values_list("sequence", "occurred_at").first()
