"""What the pipeline records beside wagtail-localize's own tables."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Review(models.Model):
    """A person published the translation: its machine segments up to then are reviewed."""

    translation = models.OneToOneField(
        "wagtail_localize.Translation",
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("translation"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(verbose_name=_("reviewed at"))

    class Meta:
        verbose_name = _("translation review")
        verbose_name_plural = _("translation reviews")

    def __str__(self):
        return f"{self.translation_id} @ {self.reviewed_at:%Y-%m-%d %H:%M}"


class Coverage(models.Model):
    """The segments of a saved translation (one page revision) still in the source language.

    The public page marks those parts `lang="nb"` with a short notice; a revision the
    pipeline did not write (an English page edited by hand) has no row and counts as
    wholly translated.
    """

    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+"
    )
    source_language = models.CharField(max_length=100)
    # wagtail-localize context paths, such as "intro" or "body.<block id>.description".
    missing_paths = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("translation coverage")
        verbose_name_plural = _("translation coverage")

    def __str__(self):
        return f"{self.revision_id}: {len(self.missing_paths)} untranslated"


class MachineTranslationJob(models.Model):
    """A bulk machine translation, run as a background task; the admin shows its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    language = models.CharField(max_length=100, verbose_name=_("language"))
    page_ids = models.JSONField(default=list)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.QUEUED, verbose_name=_("state")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("pages"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("translated"))
    failed = models.PositiveIntegerField(default=0, verbose_name=_("failed"))
    # One entry per page that could not be translated: {"page_id", "title", "error"}.
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("machine translation job")
        verbose_name_plural = _("machine translation jobs")

    def __str__(self):
        return f"{self.language}: {self.done + self.failed}/{self.total}"

    @property
    def progress_percent(self) -> int:
        if not self.total:
            return 100
        return round(100 * (self.done + self.failed) / self.total)
