"""Keep the pipeline's records in step with wagtail-localize and with publishing."""

from django.conf import settings
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from django.utils import timezone

from wagtail.signals import page_published

from wagtail_localize.models import Translation, TranslationLog

from . import coverage
from .models import Review


@receiver(post_save, sender=TranslationLog)
def coverage_on_translation_saved(sender, instance, created, **kwargs):
    if created:
        coverage.record(instance)


@receiver(page_published)
def review_on_publish(sender, instance, revision=None, **kwargs):
    """A person publishing a translation has reviewed its machine-translated segments.

    Revisions the pipeline writes itself (bulk machine translation, demo content) have no
    user, so publishing them reviews nothing.
    """
    if revision is None or revision.user_id is None:
        return
    if instance.locale.language_code == settings.LANGUAGE_CODE:
        return
    translation = Translation.objects.filter(
        source__object_id=instance.translation_key,
        target_locale_id=instance.locale_id,
        enabled=True,
    ).first()
    if translation is not None:
        Review.objects.update_or_create(
            translation=translation,
            defaults={"reviewed_by_id": revision.user_id, "reviewed_at": timezone.now()},
        )


@receiver(page_published)
def coverage_on_publish(sender, instance, revision=None, **kwargs):
    """A translation published without wagtail-localize keeps the marks of what is still
    Norwegian (`coverage.record_hand_edit`)."""
    if instance.locale.language_code == settings.LANGUAGE_CODE:
        return
    coverage.record_hand_edit(instance, revision)


@receiver(post_migrate)
def schema_versions_after_migrate(sender, app_config=None, **kwargs):
    # Once per migrate run: post_migrate is sent for every app, ours among them.
    if app_config is None or app_config.name != "translations":
        return
    from .schema import refresh_schema_versions

    refresh_schema_versions()
