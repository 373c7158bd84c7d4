"""Changing a synonym or a search promotion changes what a search answers: the content
version moves on, as with every publish, and with it the cached synonym groups, answers
and lookups.

The index follows publishing as a step of the publishing pipeline (`publishing.pipeline`).
A site's change (a new region, a new home page) moves pages between the index's
partitions: the site's pages are indexed again after the commit.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, Site

from region_pages import versions

from .models import Synonym


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonyms_changed(sender, **kwargs):
    versions.bump()


@receiver(post_save, sender=SearchPromotion)
@receiver(post_delete, sender=SearchPromotion)
def promotions_changed(sender, **kwargs):
    versions.bump()


@receiver(post_save, sender=Site, dispatch_uid="search_site_saved")
def site_changed(sender, instance, **kwargs):
    from .indexing import index_subtree

    def reindex():
        root = Page.objects.filter(pk=instance.root_page_id).first()
        for home in [root, *root.get_translations()] if root else []:
            index_subtree(home)

    transaction.on_commit(reindex)
