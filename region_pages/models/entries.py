"""The read model: typed entries published from municipality pages.

Each industry, leisure activity and school block of a live municipality page is one row,
kept in step by the publishing pipeline (`publishing.pipeline`) and rebuilt by
`manage.py rebuild_entries`. Theme pages and the partner API query this table instead of
parsing StreamField JSON.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.images import get_image_model

from ..blocks.choices import LeisureCategory, SchoolLevel, Season, Sector


class EntryKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    LEISURE = "leisure", _("Leisure activity")
    SCHOOL = "school", _("School or kindergarten")


CATEGORY_CHOICES = {
    EntryKind.INDUSTRY: Sector,
    EntryKind.LEISURE: LeisureCategory,
    EntryKind.SCHOOL: SchoolLevel,
}


class EntryQuerySet(models.QuerySet):
    def in_season(self, season: str):
        return self.filter(**{f"in_{season}": True})

    def for_listing(self):
        # The page's title and address, never its body: a listing would parse every
        # municipality page's whole StreamField once per entry.
        return self.select_related("page").defer("page__body").order_by("page__title", "position")


class Entry(models.Model):
    # ---- where it comes from --------------------------------------------------------
    page = models.ForeignKey(
        "region_pages.MunicipalityPage", on_delete=models.CASCADE, related_name="entries"
    )
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.PROTECT, related_name="+")
    translation_key = models.UUIDField(
        help_text="The page's translation key: joins the language versions."
    )
    block_id = models.CharField(max_length=64, help_text="The StreamField block's stable id.")
    position = models.PositiveIntegerField()

    # ---- what it is -----------------------------------------------------------------
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    municipality_number = models.CharField(max_length=4)
    name = models.CharField(max_length=255)
    # The block's main classification: sector, activity category or school level.
    category = models.CharField(max_length=40)
    in_winter = models.BooleanField(default=False)
    in_spring = models.BooleanField(default=False)
    in_summer = models.BooleanField(default=False)
    in_autumn = models.BooleanField(default=False)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    # ---- the typed fields, as the block serves them -----------------------------------
    data = models.JSONField()
    published_at = models.DateTimeField(null=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["page", "block_id"], name="entry_unique_block"),
        ]
        indexes = [
            models.Index(fields=["locale", "kind", "municipality_number"]),
            models.Index(fields=["locale", "kind", "category"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def seasons(self) -> list[str]:
        return [code for code in Season.values if getattr(self, f"in_{code}")]

    @property
    def category_label(self) -> str:
        """The category's label in the active language (from gettext, not content)."""
        try:
            return str(CATEGORY_CHOICES[self.kind](self.category).label)
        except (KeyError, ValueError):
            return self.category

    @property
    def picture_id(self) -> int | None:
        """The id of the block's picture, if it has one."""
        return (self.data.get("picture") or {}).get("id")

    @property
    def anchor(self) -> str:
        return f"block-{self.block_id}"

    def comparable(self) -> tuple:
        """The values that matter when comparing a stored row with a rebuilt one."""
        return (
            self.locale_id,
            str(self.translation_key),
            self.position,
            self.kind,
            self.municipality_number,
            self.name,
            self.category,
            tuple(self.seasons),
            self.latitude,
            self.longitude,
            self.data,
        )


def attach_pictures(entries: list[Entry]) -> list[Entry]:
    """Set `entry.picture` (the image, its renditions loaded, or None) on every entry: two
    queries however many entries, none when no entry has a picture."""
    wanted = {entry.picture_id for entry in entries if entry.picture_id}
    images = (
        get_image_model().objects.prefetch_related("renditions").in_bulk(wanted) if wanted else {}
    )
    for entry in entries:
        entry.picture = images.get(entry.picture_id)
    return entries
