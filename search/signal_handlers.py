"""Changing a synonym or a search promotion changes what a search answers: the content
version moves on, as with every publish, and with it the cached synonym groups, answers
and lookups.

The index follows publishing as a step of the publishing pipeline (`publishing.pipeline`).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.contrib.search_promotions.models import SearchPromotion

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
