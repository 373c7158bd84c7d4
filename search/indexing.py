"""Keeping the search index in step with the published pages and the read model.

`index_pages` is the one way rows get into `SearchDocument`: the publish signals call it
for one page in the publish transaction, moves and privacy changes for a subtree, and
`manage.py rebuild_search_index` (and the benchmark) for every page. It never scans more
than the pages it is given. The caller moves the content version on (`region_pages.versions`):
the publishing pipeline once per change, the rebuild command once per rebuild.

The rows are made here, the same for every engine; the engine stores them
(`search.backends`: PostgreSQL computes its vectors in the INSERT, SQLite folds the words).
Norwegian rows also index the heads of their compound words (`search.compounds`).
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Locale, Page

from region_pages import regions
from region_pages.blocks import EntryBlockMixin
from region_pages.models import BasePage, Entry, EventPage, MunicipalityPage

from .backends import get_backend
from .compounds import heads
from .models import WRITTEN_COLUMNS, ResultKind, SearchDocument
from .text import plain_text, stream_text

# Languages whose compound words are split (see search.compounds).
COMPOUND_LANGUAGES = ("nb",)


class _Municipalities:
    """The live municipality pages, to find the one a page or an entry belongs to."""

    def __init__(self):
        self.by_path = {}
        self.by_pk = {}
        for page in MunicipalityPage.objects.live().only(
            "path", "title", "municipality_number", "administrative_centre"
        ):
            self.by_path[page.path] = page
            self.by_pk[page.pk] = page

        self.regions = regions.all_regions()

    def site_of(self, page: Page) -> int | None:
        """The site of the region `page` is in (the index's partition)."""
        region = next((r for r in self.regions if r.holds(page)), None)
        return region.site_id if region else None

    def containing(self, page: Page) -> MunicipalityPage | None:
        for end in range(len(page.path), 0, -Page.steplen):
            found = self.by_path.get(page.path[:end])
            if found is not None:
                return found
        return None


def _document(language: str, **fields) -> SearchDocument:
    doc = SearchDocument(language=language, **fields)
    strong = f"{doc.title} {doc.keywords}"
    doc.strong_heads = heads(strong) if language in COMPOUND_LANGUAGES else ""
    doc.body_heads = heads(doc.body) if language in COMPOUND_LANGUAGES else ""
    return doc


def _contact_keywords(page: BasePage, language: str) -> list[str]:
    """Who the page names as its contact, and the word "contact" in the page's language:
    a reader searching "contact" or "kontakt" finds the pages that give one."""
    contact = getattr(page, "contact_for_readers", None)
    has_block = any(child.block_type == "contact" for child in getattr(page, "body", None) or ())
    if contact is None and not has_block:
        return []
    with translation.override(language):
        words = [gettext("Contact"), gettext("Phone"), gettext("E-mail")]
    if contact is not None:
        words += [contact.name, contact.role]
    return words


def _event_keywords(page: BasePage, language: str) -> list[str]:
    """An event's kind, place and the word "event" in the page's language: "events",
    "arrangement" or "konsert Mo i Rana" find it."""
    if not isinstance(page, EventPage):
        return []
    with translation.override(language):
        # Both numbers: SQLite's index has no stemmer to join them.
        return [
            gettext("Event"),
            gettext("Events"),
            page.category_label,
            page.place_name,
            page.organiser,
        ]


def page_document(page: BasePage, municipalities: _Municipalities, language: str) -> SearchDocument:
    municipality = municipalities.containing(page)
    skip = (EntryBlockMixin,)  # entries are results of their own
    body = getattr(page, "body", None)
    text = " ".join(
        part
        for part in (
            page.search_description,
            page.intro,
            stream_text(body, skip=skip) if body is not None else "",
        )
        if part
    )
    keywords = []
    if municipality is not None:
        keywords += [municipality.title, municipality.administrative_centre]
    keywords += _contact_keywords(page, language)
    keywords += _event_keywords(page, language)
    return _document(
        language,
        page_id=page.pk,
        locale_id=page.locale_id,
        kind=ResultKind.PAGE,
        municipality_number=municipality.municipality_number if municipality else "",
        site_id=municipalities.site_of(page),
        title=page.title[:255],
        body=plain_text(text),
        keywords=plain_text(" ".join(k for k in keywords if k)),
    )


def _entry_keywords(data: dict) -> list[str]:
    words = [
        data.get(key) or ""
        for key in ("category_label", "level_label", "sector_label", "heading", "place_name")
    ]
    words += [employer.get("name") or "" for employer in data.get("employers") or []]
    words += [figure.get("label") or "" for figure in data.get("figures") or []]
    return words


def entry_document(
    entry: Entry, municipality: MunicipalityPage, language: str, site_id: int | None = None
) -> SearchDocument:
    data = entry.data or {}
    keywords = [municipality.title, municipality.administrative_centre, *_entry_keywords(data)]
    body = " ".join(str(data.get(key) or "") for key in ("description", "address"))
    return _document(
        language,
        page_id=entry.page_id,
        entry_id=entry.pk,
        locale_id=entry.locale_id,
        kind=entry.kind,
        municipality_number=entry.municipality_number,
        site_id=site_id,
        title=entry.name[:255],
        body=plain_text(body),
        keywords=plain_text(" ".join(k for k in keywords if k)),
    )


@transaction.atomic
def index_pages(page_ids: Iterable[int] | None = None) -> int:
    """(Re)index the given pages, or every page when `page_ids` is None.

    Each live, public page becomes one row; a municipality page also brings one row per
    entry of the read model. Pages that are drafts, unpublished or private lose their rows.
    Returns the number of rows written.
    """
    pages = Page.objects.all()
    if page_ids is not None:
        page_ids = list(page_ids)
        pages = pages.filter(pk__in=page_ids)
    else:
        SearchDocument.objects.all().delete()

    municipalities = _Municipalities()
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    documents = []
    indexed_municipalities = []
    for page in pages.live().public().filter(depth__gt=1).specific().iterator(chunk_size=2000):
        if not isinstance(page, BasePage):
            continue
        documents.append(page_document(page, municipalities, languages[page.locale_id]))
        if isinstance(page, MunicipalityPage):
            indexed_municipalities.append(page.pk)

    entries = Entry.objects.all()
    if page_ids is not None:
        entries = entries.filter(page_id__in=indexed_municipalities)
    for entry in entries.iterator(chunk_size=5000):
        municipality = municipalities.by_pk.get(entry.page_id)
        if municipality is not None:
            documents.append(
                entry_document(
                    entry,
                    municipality,
                    languages[entry.locale_id],
                    municipalities.site_of(municipality),
                )
            )

    if page_ids is not None:
        documents = _replacing_what_differs(page_ids, documents)
    get_backend().store(documents)
    return len(documents)


def _replacing_what_differs(page_ids: list[int], documents: list) -> list:
    """The pages' stored rows that are no longer wanted are deleted, and of `documents`
    those to write are returned: a row that would come out as it is stays (a publish that
    changes one block of a page of 400 rewrites one row, not 401, and the vectors of the
    others are not computed again)."""
    stored = {
        tuple(row[1:]): row[0]
        for row in SearchDocument.objects.filter(page_id__in=page_ids).values_list(
            "pk", *WRITTEN_COLUMNS
        )
    }
    new = []
    for doc in documents:
        if stored.pop(tuple(getattr(doc, name) for name in WRITTEN_COLUMNS), None) is None:
            new.append(doc)
    if stored:
        SearchDocument.objects.filter(pk__in=list(stored.values())).delete()
    return new


def index_subtree(page: Page) -> int:
    root = Page.objects.get(pk=page.pk)
    return index_pages(
        Page.objects.descendant_of(root, inclusive=True).values_list("pk", flat=True)
    )
