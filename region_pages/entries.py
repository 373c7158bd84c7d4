"""Keeping the read model of entries in step with the published municipality pages.

`sync_page` writes one page's entries from its live content; `rebuild` recomputes the
whole table from the published pages and reports what differed. Only live, public pages
have entries: a draft, an unpublished page or a page behind a view restriction has none.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation

from . import changes, versions
from .blocks import EntryBlockMixin
from .models import Entry, MunicipalityPage


def build_entries(page: MunicipalityPage) -> list[Entry]:
    """The entries a municipality page publishes, unsaved, from its current content."""
    if not page.live or page.get_view_restrictions().exists():
        return []
    entries = []
    # Labels in the data are the page's language, whatever language the caller speaks.
    with translation.override(page.locale.language_code):
        for position, child in enumerate(page.body):
            block = child.block
            if not isinstance(block, EntryBlockMixin):
                continue
            columns = block.entry_columns(child.value)
            seasons = set(columns.pop("seasons", []))
            entries.append(
                Entry(
                    page_id=page.pk,
                    locale_id=page.locale_id,
                    translation_key=page.translation_key,
                    block_id=child.id,
                    position=position,
                    kind=block.entry_kind,
                    municipality_number=page.municipality_number,
                    data=block.get_api_representation(child.value, context={"page": page}),
                    published_at=page.last_published_at,
                    **{f"in_{season}": True for season in seasons},
                    **columns,
                )
            )
    return entries


@transaction.atomic
def sync_page(page: MunicipalityPage) -> None:
    """Bring the stored entries of one page in step with its live content, writing only
    what differs: an entry that comes out as it was is left as it is, with the time it was
    last published (a publish of the page that leaves it alone does not change it, nor
    announce it, `region_pages.changes`); the others are replaced, in two statements."""
    stored = {entry.block_id: entry for entry in Entry.objects.filter(page_id=page.pk)}
    entries = build_entries(page)
    kept = {
        entry.block_id
        for entry in entries
        if entry.block_id in stored and stored[entry.block_id].comparable() == entry.comparable()
    }
    replaced = [stored[block_id].pk for block_id in stored.keys() - kept]
    if replaced:
        Entry.objects.filter(pk__in=replaced).delete()
    Entry.objects.bulk_create([entry for entry in entries if entry.block_id not in kept])


def remove_page(page_id: int) -> None:
    Entry.objects.filter(page_id=page_id).delete()


@dataclass
class RebuildReport:
    added: list[tuple[int, str]] = field(default_factory=list)
    changed: list[tuple[int, str]] = field(default_factory=list)
    removed: list[tuple[int, str]] = field(default_factory=list)
    total: int = 0

    @property
    def in_step(self) -> bool:
        return not (self.added or self.changed or self.removed)


@transaction.atomic
def rebuild(*, dry_run: bool = False, progress=None) -> RebuildReport:
    """Recompute every entry from the live municipality pages and report the differences.

    With `dry_run` the table is left as it is. `progress`, if given, is called with
    (done, total) after each page.
    """
    pages = list(
        MunicipalityPage.objects.live().select_related("locale").order_by("locale_id", "path")
    )
    expected: dict[tuple[int, str], Entry] = {}
    for done, page in enumerate(pages, start=1):
        for entry in build_entries(page):
            expected[(entry.page_id, entry.block_id)] = entry
        if progress:
            progress(done, len(pages))

    stored = {(e.page_id, e.block_id): e for e in Entry.objects.all()}
    report = RebuildReport(total=len(expected))
    report.added = sorted(key for key in expected if key not in stored)
    report.removed = sorted(key for key in stored if key not in expected)
    report.changed = sorted(
        key
        for key in expected
        if key in stored and expected[key].comparable() != stored[key].comparable()
    )

    if not dry_run and not report.in_step:
        Entry.objects.filter(
            pk__in=[stored[key].pk for key in report.removed + report.changed]
        ).delete()
        Entry.objects.bulk_create([expected[key] for key in report.added + report.changed])
        # What the API keeps under the content version is renewed; partners syncing
        # through the change feed learn of the repaired entries too.
        versions.bump()
        changes.reconcile(
            {page_id for page_id, _block in report.added + report.changed + report.removed},
            announce_all=True,
        )
    return report
