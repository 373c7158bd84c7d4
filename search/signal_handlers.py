"""Signals that keep the search index in step with publishing, in the same transaction.

Connected from `SearchConfig.ready`, after `region_pages` has connected its own handlers,
so that a municipality page's entries are already rewritten when its rows are indexed.
Deleting a page or an entry removes its rows through the foreign keys' cascade. Changing a
synonym or a search promotion bumps the index version, like every index write does.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import indexing, synonyms, versions
from .models import SearchDocument, Synonym


@receiver(page_published)
@receiver(page_unpublished)
def index_on_publish(sender, instance, **kwargs):
    indexing.index_pages([instance.pk])


@receiver(post_page_move)
def index_on_move(sender, instance, **kwargs):
    indexing.index_subtree(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def index_on_privacy_change(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # None when the restriction goes with its deleted page
        indexing.index_subtree(page)


@receiver(post_delete, sender=Page)
def unindex_on_delete(sender, instance, **kwargs):
    # Wagtail unpublishes a live page just before deleting it (pre_delete), and that
    # indexes it once more after the deletion's cascade was collected: without this, the
    # new rows would point at a deleted page and the transaction would fail to commit.
    if SearchDocument.objects.filter(page_id=instance.pk).delete()[0]:
        versions.bump()


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonyms_changed(sender, **kwargs):
    synonyms.clear_cache()
    # Again after the commit: a search in between may have cached the old groups.
    transaction.on_commit(synonyms.clear_cache)
    versions.bump()


@receiver(post_save, sender=SearchPromotion)
@receiver(post_delete, sender=SearchPromotion)
def promotions_changed(sender, **kwargs):
    versions.bump()
