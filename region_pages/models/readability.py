"""The plain-language checks (`region_pages.plain_language`): the coordinator's list of
words to avoid, and the findings kept per revision (`region_pages.readability`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Revision

from .. import plain_language


class AvoidedWord(models.Model):
    """A word or phrase the plain-language check points out, with what to write instead
    (Språkrådet's advice to public bodies to begin with; the coordinator keeps the list)."""

    language_code = models.CharField(
        _("language"), max_length=8, choices=settings.WAGTAIL_CONTENT_LANGUAGES, default="nb"
    )
    phrase = models.CharField(
        _("word or phrase"),
        max_length=80,
        help_text=_("In lower case; it is found as a whole word, in any case."),
    )
    advice = models.CharField(
        _("write instead"), max_length=200, help_text=_("What to write instead, or why.")
    )

    class Meta:
        verbose_name = _("word to avoid")
        verbose_name_plural = _("words to avoid")
        ordering = ["language_code", "phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "phrase"], name="avoided_word_once_per_language"
            )
        ]

    def __str__(self):
        return self.phrase

    def clean(self):
        self.phrase = " ".join((self.phrase or "").split()).lower()
        if not self.phrase:
            raise ValidationError({"phrase": _("Write the word or phrase to avoid.")})


class Readability(models.Model):
    """The plain-language findings of one revision, kept so that listings read them
    instead of checking every page again. `checked_with` is the digest of the list of
    words to avoid it was checked against: when the list changes, it is checked again."""

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, related_name="readability", verbose_name=_("revision")
    )
    language_code = models.CharField(_("language"), max_length=8)
    lix = models.FloatField(_("LIX"), null=True)
    report = models.JSONField(_("findings"))
    checked_with = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("readability")
        verbose_name_plural = _("readability")

    def __str__(self):
        return f"{self.revision_id}: LIX {self.lix}"

    @property
    def findings(self) -> plain_language.Report:
        return plain_language.Report.from_dict(self.report)

    @property
    def level(self) -> str:
        return plain_language.level(self.lix)
