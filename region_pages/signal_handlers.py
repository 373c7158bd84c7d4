"""Signals that keep the read model of entries and the change feed in step with publishing.

They run in the caller's transaction: in the admin every request is atomic
(`ATOMIC_REQUESTS`), so a publish, its entries and its change events are committed
together. Deleting a page removes its entries through the foreign key's cascade. The feed
is recorded after the entries, because it announces the entries as they now are.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
)

from cms.context_processors import clear_navigation_cache

from . import changes, entries
from .models import MunicipalityPage


@receiver(page_published, sender=MunicipalityPage)
def entries_on_publish(sender, instance, **kwargs):
    entries.sync_page(instance)


@receiver(page_unpublished, sender=MunicipalityPage)
def entries_on_unpublish(sender, instance, **kwargs):
    entries.remove_page(instance.pk)


def _resync_subtree(page: Page) -> None:
    for municipality in MunicipalityPage.objects.descendant_of(page, inclusive=True).live():
        entries.sync_page(municipality)


@receiver(post_page_move)
def entries_on_move(sender, instance, **kwargs):
    _resync_subtree(instance)
    changes.reconcile_subtree(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def entries_on_privacy_change(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # None when the restriction goes with its deleted page
        _resync_subtree(page)
        changes.reconcile_subtree(page)


@receiver(copy_for_translation_done)
def publish_live_translation_aliases(sender, source_obj, target_obj, **kwargs):
    """A page translated with its parents gets its missing parents as aliases of their
    source: pages that are live at once, without a publish. For everything that follows
    publishing (entries, change feed, search index, CDN, navigation) they are published,
    so the signal that every part listens to is sent for them."""
    if isinstance(target_obj, Page) and target_obj.alias_of_id and target_obj.live:
        page = target_obj.specific
        page_published.send(sender=page.specific_class, instance=page, revision=None)


@receiver(page_published)
def feed_on_publish(sender, instance, **kwargs):
    changes.reconcile([instance.pk])


@receiver(page_unpublished)
def feed_on_unpublish(sender, instance, **kwargs):
    # Just before deleting a live page, Wagtail unpublishes it without saving: the page
    # is still live in the database, and the deletion is recorded as such.
    if not Page.objects.filter(pk=instance.pk, live=True).exists():
        changes.reconcile([instance.pk])


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def navigation_on_tree_change(sender, **kwargs):
    clear_navigation_cache()


@receiver(post_delete)
def navigation_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        clear_navigation_cache()
        # A page of a subclass is deleted as two rows (the subclass's, then Page's), with
        # a signal for each: record the deletion once.
        if type(instance) is instance.specific_class:
            others = Page.objects.filter(translation_key=instance.translation_key)
            changes.reconcile(
                others.exclude(pk=instance.pk).values_list("pk", flat=True),
                deleted=[instance.pk],
            )
