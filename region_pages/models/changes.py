"""The change feed that partners sync from: an ordered log of what became public or
stopped being public, and the set of resources the log has announced so far.

`ChangeEvent.sequence` is the cursor; `Announced` lets the recorder send a tombstone only
for what a partner can have seen (a draft that is deleted leaves no trace in the feed).
Both are written by `region_pages.changes`, in the transaction of the publish, unpublish,
move, privacy change or delete that caused them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceType(models.TextChoices):
    PAGE = "page", _("Page")
    ENTRY = "entry", _("Entry")
    # Imported by the sources pipeline (sources.feed); its page is the municipality page
    # that lists it, if there is one.
    VACANCY = "vacancy", _("Vacancy")


class ChangeAction(models.TextChoices):
    PUBLISHED = "published", _("Published or changed")
    UNPUBLISHED = "unpublished", _("Unpublished or made private")
    DELETED = "deleted", _("Deleted")


class ChangeEvent(models.Model):
    sequence = models.BigAutoField(primary_key=True)
    resource_type = models.CharField(max_length=10, choices=ResourceType.choices)
    # A page's id, or an entry's block id (the same in every language).
    resource_id = models.CharField(max_length=64)
    language_code = models.CharField(max_length=8)
    # Joins the language versions: the page's translation key, or an entry's block id.
    translation_key = models.CharField(max_length=64)
    action = models.CharField(max_length=12, choices=ChangeAction.choices)
    # The page the resource is or belongs to (a vacancy: the municipality page listing
    # it in that language; null when there is none).
    page_id = models.BigIntegerField(null=True, blank=True)
    # The region's site the resource is in (`region_pages.regions`): each region's feed
    # holds its own events. Null: in no region (the default region's feed holds them).
    site_id = models.BigIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["site_id", "sequence"], name="changeevent_site_sequence")]

    def __str__(self):
        return f"{self.sequence} {self.action} {self.resource_type} {self.resource_id}"


class Announced(models.Model):
    """A resource whose latest event in the feed is `published`."""

    resource_type = models.CharField(max_length=10, choices=ResourceType.choices)
    resource_id = models.CharField(max_length=64)
    language_code = models.CharField(max_length=8)
    translation_key = models.CharField(max_length=64)
    page_id = models.BigIntegerField(db_index=True)
    # The region's site it was announced in (its tombstone goes to the same feed).
    site_id = models.BigIntegerField(null=True, blank=True)
    # When the feed first announced it (since it was last unpublished or deleted).
    first_published_at = models.DateTimeField()
    # SHA-256 of its API representation when it was last announced: a reconcile that
    # finds the same representation announces nothing (`region_pages.changes`).
    digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("announced resource")
        verbose_name_plural = _("announced resources")
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "resource_id", "language_code"],
                name="announced_unique_resource",
            ),
        ]

    def __str__(self):
        return f"{self.resource_type} {self.resource_id} ({self.language_code})"
