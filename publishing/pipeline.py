"""The publishing pipeline: what follows when pages change, in an order written here.

Every change that alters what the site or the partner API shows runs the same steps: a
publish, an unpublish, a move, a delete, a privacy change, the open data pipeline's
refresh of the pages that show register facts, an edit of an image that live pages
show (its file, focal point or title: the renditions' addresses change), and an edit of a
contact that live pages show (the region's newcomer contact is in every page's footer). `receivers`
turns each signal into a `Change` and calls `run` once.

In the change's transaction, in this order (each step reads what the one before wrote):

1. content version: one bump, that every cache key and validator derives from, so the
   menu, the imported data's cache, the search answers and the API's ETags all move on.
   First, so that the steps after it never read a value cached before the change (a
   refresh rebuilds entries from register facts that the sources cache holds);
2. read model: the municipality pages' entries (`region_pages.entries`);
3. change feed: the events partners sync from, announcing the entries as they now are;
4. search index: the pages' rows and their entries' rows;
5. translation records: a person publishing a translation has reviewed it.

A failure in any of them raises and rolls the change back: the site never shows a page
that its feed, index or read model does not know. Where the caller has no transaction (a
publish from a command or the scheduler), the steps still run in one of their own, so
the version never moves on before what it stands for is committed.

After the commit (`transaction.on_commit(robust=True)`):

6. CDN purge of every address that showed the pages. A purge that fails is logged and the
   change stands; the CDN's own expiry (`CDN_CACHE_MAX_AGE`) bounds how long the old copy
   lives.
"""

import enum
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Revision

from wagtail_localize.models import Translation

from observability import metrics
from region_pages import cdn, changes, entries, versions
from region_pages.models import HomePage, MunicipalityPage, ThemePage
from search import indexing
from search.models import SearchDocument
from translations import coverage
from translations.models import Review


class Kind(enum.StrEnum):
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    MOVE = "move"
    PRIVACY = "privacy"
    DELETE = "delete"
    REFRESH = "refresh"  # register facts that pages show changed (open data pipeline)
    IMAGE = "image"  # an image that pages show was edited or deleted
    CONTACT = "contact"  # a contact that pages show was edited or deleted


@dataclass(frozen=True)
class Change:
    kind: Kind
    # The page published, unpublished, moved, deleted, or whose view restriction changed;
    # for a refresh, the pages showing the changed facts.
    pages: tuple[Page, ...]
    revision: Revision | None = None
    # A move: the addresses the subtree had before; a delete: those the page had.
    old_urls: frozenset[str] = field(default_factory=frozenset)

    @property
    def page(self) -> Page:
        return self.pages[0]


def run(change: Change) -> None:
    """All the steps for `change`, in order, in the caller's transaction."""
    # One transaction for the steps also where the caller has none (a command, the
    # scheduler, a script run in autocommit): otherwise the version would be committed,
    # and shared, before the feed and the read model it stands for, and a reader in
    # between would keep an answer without them under the new version.
    with transaction.atomic(), versions.read_once():
        for step in IN_TRANSACTION:
            with metrics.timed(metrics.PUBLISH_STEP, step=step.__name__, kind=str(change.kind)):
                step(change)
    with metrics.timed(metrics.PUBLISH_STEP, step=purge_cdn.__name__, kind=str(change.kind)):
        purge_cdn(change)


# ---- in the transaction ----------------------------------------------------------------


def _live_municipalities_under(page: Page):
    return MunicipalityPage.objects.descendant_of(page, inclusive=True).live()


def update_read_model(change: Change) -> None:
    match change.kind:
        case Kind.PUBLISH if isinstance(change.page, MunicipalityPage):
            entries.sync_page(change.page)
        case Kind.UNPUBLISH if isinstance(change.page, MunicipalityPage):
            entries.remove_page(change.page.pk)
        case Kind.MOVE | Kind.PRIVACY:
            for municipality in _live_municipalities_under(change.page):
                entries.sync_page(municipality)
        case Kind.REFRESH:
            for page in change.pages:
                entries.sync_page(page)
        case Kind.IMAGE:
            # The entries carry their pictures' rendition addresses.
            for page in change.pages:
                if isinstance(page, MunicipalityPage):
                    entries.sync_page(page)
        # A delete removes the page's entries through the foreign key's cascade.


def record_in_change_feed(change: Change) -> None:
    page = change.page
    match change.kind:
        case Kind.PUBLISH | Kind.UNPUBLISH:
            # The pages linking to it gain or lose the link's address.
            changes.reconcile({page.pk} | changes.linking_to([page.pk]))
        case Kind.MOVE | Kind.PRIVACY:
            changes.reconcile_subtree(page)
        case Kind.DELETE:
            others = Page.objects.filter(translation_key=page.translation_key)
            # The pages linking to it lose the link's address.
            changes.reconcile(
                {*others.exclude(pk=page.pk).values_list("pk", flat=True)}
                | changes.linking_to([page.pk]),
                deleted=[page.pk],
            )
        case Kind.REFRESH | Kind.IMAGE:
            changes.reconcile([page.pk for page in change.pages])
        case Kind.CONTACT:
            # A contact is part of a municipality's and the region's answers, which the
            # feed announces as their pages': announce them, whatever the pages' answers.
            changes.reconcile([page.pk for page in change.pages], announce_all=True)


def update_search_index(change: Change) -> None:
    match change.kind:
        case Kind.PUBLISH | Kind.UNPUBLISH:
            indexing.index_pages([change.page.pk])
        case Kind.MOVE | Kind.PRIVACY:
            indexing.index_subtree(change.page)
        case Kind.DELETE:
            SearchDocument.objects.filter(page_id=change.page.pk).delete()
        case Kind.REFRESH | Kind.CONTACT:
            indexing.index_pages([page.pk for page in change.pages])


def record_translation_review(change: Change) -> None:
    """A person publishing a translation has reviewed its machine-translated segments; a
    translation published by hand keeps the marks of what is still Norwegian.

    Revisions the pipeline writes itself (bulk machine translation, demo content) have no
    user, so publishing them reviews nothing.
    """
    page, revision = change.page, change.revision
    if change.kind != Kind.PUBLISH or page.locale.language_code == settings.LANGUAGE_CODE:
        return
    if revision is not None and revision.user_id is not None:
        translation = Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        ).first()
        if translation is not None:
            Review.objects.update_or_create(
                translation=translation,
                defaults={"reviewed_by_id": revision.user_id, "reviewed_at": timezone.now()},
            )
    coverage.record_hand_edit(page, revision)


def bump_content_version(change: Change) -> None:
    versions.bump()


IN_TRANSACTION = (
    bump_content_version,
    update_read_model,
    record_in_change_feed,
    update_search_index,
    record_translation_review,
)


# ---- after the commit ------------------------------------------------------------------


def purge_cdn(change: Change) -> None:
    """Queue the purge of every address that showed the pages, for after the commit."""
    match change.kind:
        case Kind.PUBLISH | Kind.UNPUBLISH | Kind.PRIVACY:
            cdn.purge_after_commit(change.page)
        case Kind.MOVE:
            cdn.purge_after_commit(change.page, also=change.old_urls)
            subtree = Page.objects.descendant_of(change.page, inclusive=True)
            _purge_linking_pages(subtree.values_list("pk", flat=True))
        case Kind.DELETE:
            cdn.purge_urls_after_commit(change.old_urls)
            _purge_linking_pages([change.page.pk])
        case Kind.REFRESH:
            # The theme pages list the entries of every municipality.
            cdn.purge_pages_after_commit([*change.pages, *ThemePage.objects.live()])
        case Kind.IMAGE:
            # The front pages' cards show the pages' pictures, the theme pages' the entries'.
            cdn.purge_pages_after_commit(
                [*change.pages, *ThemePage.objects.live(), *HomePage.objects.live()]
            )
        case Kind.CONTACT if any(isinstance(page, HomePage) for page in change.pages):
            # The newcomer contact is in the footer of every page.
            cdn.purge_pages_after_commit(Page.objects.live().specific())
        case Kind.CONTACT:
            cdn.purge_pages_after_commit(change.pages)


def _purge_linking_pages(page_ids) -> None:
    """The pages whose links pointed at moved or deleted pages show other addresses now."""
    if not cdn.purging():
        return
    linking = changes.linking_to(list(page_ids))
    if linking:
        cdn.purge_pages_after_commit(Page.objects.live().filter(pk__in=linking).specific())
