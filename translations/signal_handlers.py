"""Keep the translation records in step with wagtail-localize.

What publishing a translation records (its review, what is still Norwegian) is a step of
the publishing pipeline (`publishing.pipeline`)."""

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from wagtail_localize.models import TranslationLog

from . import coverage


@receiver(post_save, sender=TranslationLog)
def coverage_on_translation_saved(sender, instance, created, **kwargs):
    if created:
        coverage.record(instance)


@receiver(post_migrate)
def schema_versions_after_migrate(sender, app_config=None, **kwargs):
    # Once per migrate run: post_migrate is sent for every app, ours among them.
    if app_config is None or app_config.name != "translations":
        return
    from .schema import refresh_schema_versions

    refresh_schema_versions()
