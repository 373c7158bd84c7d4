"""A key's grant is kept in the cache for a minute at most; a change (revoked, another
quota, deleted) takes effect at once."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import ratelimit
from .models import ApiKey


@receiver(post_save, sender=ApiKey)
@receiver(post_delete, sender=ApiKey)
def forget_grant(sender, instance, **kwargs):
    ratelimit.forget(instance.digest)
