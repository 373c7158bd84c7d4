"""Publishing changes what the pages show next to the imported data (the work page's
address, an editor's population): forget the cached values."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def forget_on_publish(sender, **kwargs):
    cache.bump()


@receiver(post_delete)
def forget_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        cache.bump()
