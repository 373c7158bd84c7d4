"""Keeping the search index in step with the published pages and the read model.

`index_pages` is the one way rows get into `SearchDocument`: the publish signals call it
for one page in the publish transaction, moves and privacy changes for a subtree, and
`manage.py rebuild_search_index` (and the benchmark) for every page. It never scans more
than the pages it is given.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from wagtail.models import Locale, Page

from region_pages.blocks import EntryBlockMixin
from region_pages.models import BasePage, Entry, MunicipalityPage

from .models import ResultKind, SearchDocument
from .text import folded_words, plain_text, stream_text

# The text search configuration for each language (created by migration 0002).
CONFIGS = {"nb": "search_nb", "en": "search_en"}
FALLBACK_CONFIG = "simple"
BATCH_SIZE = 2000


def config_for(language_code: str) -> str:
    return CONFIGS.get(language_code, FALLBACK_CONFIG)


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


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

    def containing(self, page: Page) -> MunicipalityPage | None:
        for end in range(len(page.path), 0, -Page.steplen):
            found = self.by_path.get(page.path[:end])
            if found is not None:
                return found
        return None


def _document(**fields) -> SearchDocument:
    doc = SearchDocument(**fields)
    if not uses_postgres():  # PostgreSQL matches on search_vector instead
        doc.folded_text = folded_words(f"{doc.title} {doc.keywords} {doc.body}")
    return doc


def page_document(page: BasePage, municipalities: _Municipalities) -> SearchDocument:
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
    return _document(
        page_id=page.pk,
        locale_id=page.locale_id,
        kind=ResultKind.PAGE,
        municipality_number=municipality.municipality_number if municipality else "",
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


def entry_document(entry: Entry, municipality: MunicipalityPage) -> SearchDocument:
    data = entry.data or {}
    keywords = [municipality.title, municipality.administrative_centre, *_entry_keywords(data)]
    body = " ".join(str(data.get(key) or "") for key in ("description", "address"))
    return _document(
        page_id=entry.page_id,
        entry_id=entry.pk,
        locale_id=entry.locale_id,
        kind=entry.kind,
        municipality_number=entry.municipality_number,
        title=entry.name[:255],
        body=plain_text(body),
        keywords=plain_text(" ".join(k for k in keywords if k)),
    )


def _update_vectors(ids: list[int]) -> None:
    """Compute the search vectors of the given rows with their language's configuration."""
    if not ids or not uses_postgres():
        return
    for locale_id, language_code in Locale.objects.values_list("pk", "language_code"):
        config = config_for(language_code)
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("keywords", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
        )
        for start in range(0, len(ids), BATCH_SIZE * 5):
            SearchDocument.objects.filter(
                pk__in=ids[start : start + BATCH_SIZE * 5], locale_id=locale_id
            ).update(search_vector=vector)


@transaction.atomic
def index_pages(page_ids: Iterable[int] | None = None) -> int:
    """(Re)index the given pages, or every page when `page_ids` is None.

    Each live, public page becomes one row; a municipality page also brings one row per
    entry of the read model. Pages that are drafts, unpublished or private lose their rows.
    Returns the number of rows written.
    """
    pages = Page.objects.all()
    stale = SearchDocument.objects.all()
    if page_ids is not None:
        page_ids = list(page_ids)
        pages = pages.filter(pk__in=page_ids)
        stale = stale.filter(page_id__in=page_ids)
    stale.delete()

    municipalities = _Municipalities()
    documents = []
    indexed_municipalities = []
    for page in pages.live().public().filter(depth__gt=1).specific().iterator(chunk_size=2000):
        if not isinstance(page, BasePage):
            continue
        documents.append(page_document(page, municipalities))
        if isinstance(page, MunicipalityPage):
            indexed_municipalities.append(page.pk)

    entries = Entry.objects.all()
    if page_ids is not None:
        entries = entries.filter(page_id__in=indexed_municipalities)
    for entry in entries.iterator(chunk_size=5000):
        municipality = municipalities.by_pk.get(entry.page_id)
        if municipality is not None:
            documents.append(entry_document(entry, municipality))

    created = SearchDocument.objects.bulk_create(documents, batch_size=BATCH_SIZE)
    _update_vectors([doc.pk for doc in created])
    return len(created)


def index_subtree(page: Page) -> int:
    root = Page.objects.get(pk=page.pk)
    return index_pages(
        Page.objects.descendant_of(root, inclusive=True).values_list("pk", flat=True)
    )
