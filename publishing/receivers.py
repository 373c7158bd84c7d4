"""One receiver per signal: each turns what happened into a `pipeline.Change` and runs it.

Nothing else in the project listens to these signals for pages, so the order of what
follows a change is the one written in `pipeline`, whatever the order of INSTALLED_APPS.
"""

import threading

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
)

from region_pages import cdn, changes
from region_pages.models import Contact
from sources.signals import pages_refreshed

from .pipeline import Change, Kind, run

# The addresses a page had, by page id, between the signals before and after a move or a
# delete (Wagtail and Django send them with different instances of the page).
_addresses_before = threading.local()


def _remember_addresses(page: Page) -> None:
    if not cdn.purging():
        return
    if not hasattr(_addresses_before, "urls"):
        _addresses_before.urls = {}
    _addresses_before.urls[page.pk] = frozenset(cdn.affected_urls(page))


def _addresses_of(page: Page) -> frozenset[str]:
    return getattr(_addresses_before, "urls", {}).pop(page.pk, frozenset())


def _once_per_page(instance) -> bool:
    """Django deletes a page of a subclass as two rows (the subclass's, then Page's), with
    a signal for each: act on the one whose class is the page's own."""
    return isinstance(instance, Page) and type(instance) is instance.specific_class


@receiver(page_published, dispatch_uid="publishing_published")
def on_published(sender, instance, revision=None, **kwargs):
    run(Change(Kind.PUBLISH, (instance,), revision=revision))


@receiver(page_unpublished, dispatch_uid="publishing_unpublished")
def on_unpublished(sender, instance, **kwargs):
    # Just before deleting a live page, Wagtail unpublishes it without saving (the
    # database still says live): the deletion's own run follows, and does it all once.
    if Page.objects.filter(pk=instance.pk, live=True).exists():
        return
    run(Change(Kind.UNPUBLISH, (instance,)))


@receiver(pre_page_move, dispatch_uid="publishing_before_move")
def before_move(sender, instance, **kwargs):
    _remember_addresses(instance)


@receiver(post_page_move, dispatch_uid="publishing_moved")
def on_moved(sender, instance, **kwargs):
    run(Change(Kind.MOVE, (instance,), old_urls=_addresses_of(instance)))


@receiver(pre_delete, dispatch_uid="publishing_before_delete")
def before_delete(sender, instance, **kwargs):
    # Wagtail marks a live page unpublished just before deleting it, without saving: the
    # database still says whether readers could see it.
    if _once_per_page(instance) and Page.objects.filter(pk=instance.pk, live=True).exists():
        _remember_addresses(instance)


@receiver(post_delete, dispatch_uid="publishing_deleted")
def on_deleted(sender, instance, **kwargs):
    if _once_per_page(instance):
        run(Change(Kind.DELETE, (instance,), old_urls=_addresses_of(instance)))


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="publishing_restricted")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="publishing_unrestricted")
def on_privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # None when the restriction goes with its deleted page
        run(Change(Kind.PRIVACY, (page,)))


@receiver(copy_for_translation_done, dispatch_uid="publishing_translation_aliases")
def on_translation_copied(sender, source_obj, target_obj, **kwargs):
    """A page translated with its parents gets its missing parents as aliases of their
    source: pages that are live at once, without a publish. For the site they are
    published, so the signal is sent for them (and `on_published` runs the pipeline)."""
    if isinstance(target_obj, Page) and target_obj.alias_of_id and target_obj.live:
        page = target_obj.specific
        page_published.send(sender=page.specific_class, instance=page, revision=None)


@receiver(pages_refreshed, dispatch_uid="publishing_refreshed")
def on_refreshed(sender, pages, **kwargs):
    if pages:
        run(Change(Kind.REFRESH, tuple(pages)))


# ---- images that pages show ----------------------------------------------------------------

# Saves that change nothing a reader sees: Wagtail fills these in lazily.
_BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash"})
_pages_showing_deleted = threading.local()


def _live_pages_showing(image) -> tuple[Page, ...]:
    """The live pages whose content refers to `image` (a top image, a block's picture), in
    every language, from Wagtail's reference index."""
    ids = changes.pages_referring_to(type(image), [image.pk])
    return tuple(Page.objects.filter(pk__in=ids).live().specific())


@receiver(post_save, sender=get_image_model(), dispatch_uid="publishing_image_saved")
def on_image_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= _BOOKKEEPING_FIELDS):
        return
    pages = _live_pages_showing(instance)
    if pages:
        run(Change(Kind.IMAGE, pages))


@receiver(pre_delete, sender=get_image_model(), dispatch_uid="publishing_image_deleting")
def before_image_deleted(sender, instance, **kwargs):
    _pages_showing_deleted.pages = _live_pages_showing(instance)


@receiver(post_delete, sender=get_image_model(), dispatch_uid="publishing_image_deleted")
def on_image_deleted(sender, instance, **kwargs):
    pages = getattr(_pages_showing_deleted, "pages", ())
    _pages_showing_deleted.pages = ()
    if pages:
        # Refetched: the top images' references were set to null with the delete.
        run(Change(Kind.IMAGE, tuple(Page.objects.filter(pk__in=[p.pk for p in pages]).specific())))


# ---- contacts that pages show --------------------------------------------------------------

_pages_showing_deleted_contact = threading.local()


def _live_pages_showing_contact(contact) -> tuple[Page, ...]:
    """The live pages that show `contact` in any language: its translations share its
    phone and e-mail (`Contact.save`), so an edit of one may change them all."""
    versions = Contact.objects.filter(translation_key=contact.translation_key)
    ids = changes.pages_referring_to(Contact, versions.values_list("pk", flat=True))
    return tuple(Page.objects.filter(pk__in=ids).live().specific())


@receiver(post_save, sender=Contact, dispatch_uid="publishing_contact_saved")
def on_contact_saved(sender, instance, **kwargs):
    # Also a new one: a new translation changes what the pages in its language show.
    pages = _live_pages_showing_contact(instance)
    if pages:
        run(Change(Kind.CONTACT, pages))


@receiver(pre_delete, sender=Contact, dispatch_uid="publishing_contact_deleting")
def before_contact_deleted(sender, instance, **kwargs):
    _pages_showing_deleted_contact.pages = _live_pages_showing_contact(instance)


@receiver(post_delete, sender=Contact, dispatch_uid="publishing_contact_deleted")
def on_contact_deleted(sender, instance, **kwargs):
    pages = getattr(_pages_showing_deleted_contact, "pages", ())
    _pages_showing_deleted_contact.pages = ()
    if pages:
        # Refetched: the pages' references were set to null with the delete.
        ids = [page.pk for page in pages]
        run(Change(Kind.CONTACT, tuple(Page.objects.filter(pk__in=ids).specific())))
