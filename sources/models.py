"""What the sources bring in, and the log of every run.

- `SyncRun`: one run of one source (start, end, counts, errors), shown in the admin.
- `SourceState`: per source, the last good run, the HTTP validators and the feed cursor,
  and whether the data came from recorded sample payloads.
- `Vacancy`, `PopulationFigure`, `RegisterUnit`, `Workplace`: the imported data. These
  tables belong to the pipeline; editors never write them, so an import cannot overwrite
  an editor's words. Where imported facts reach a page field (population), `FactProvenance`
  records what the pipeline wrote so that an editor's own value is never replaced.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    UNCHANGED = "unchanged", _("Nothing new")
    FAILED = "failed", _("Failed")


class SyncRun(models.Model):
    source = models.CharField(max_length=40, db_index=True, verbose_name=_("source"))
    started_at = models.DateTimeField(default=timezone.now, verbose_name=_("started"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished"))
    status = models.CharField(
        max_length=12,
        choices=RunStatus.choices,
        default=RunStatus.RUNNING,
        verbose_name=_("status"),
    )
    dry_run = models.BooleanField(default=False, verbose_name=_("dry run"))
    sample = models.BooleanField(
        default=False,
        verbose_name=_("sample data"),
        help_text=_("The run read the recorded sample payloads, not the live service."),
    )
    fetched = models.PositiveIntegerField(default=0, verbose_name=_("records read"))
    added = models.PositiveIntegerField(default=0, verbose_name=_("added"))
    updated = models.PositiveIntegerField(default=0, verbose_name=_("updated"))
    removed = models.PositiveIntegerField(default=0, verbose_name=_("removed"))
    unchanged = models.PositiveIntegerField(default=0, verbose_name=_("unchanged"))
    skipped = models.PositiveIntegerField(default=0, verbose_name=_("skipped"))
    # Each error: {"code": ..., "nb": message, "en": message}.
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None

    @property
    def error_messages(self) -> list[str]:
        """The errors in the active language (Norwegian when in doubt)."""
        language = "en" if (translation.get_language() or "").startswith("en") else "nb"
        return [error.get(language) or error.get("nb", "") for error in self.errors]

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


class SourceState(models.Model):
    source = models.CharField(max_length=40, unique=True, verbose_name=_("source"))
    last_success_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last success"))
    last_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last attempt"))
    last_failed = models.BooleanField(default=False, verbose_name=_("last run failed"))
    sample = models.BooleanField(default=False, verbose_name=_("sample data"))
    # ETag and Last-Modified per URL, for conditional requests.
    validators = models.JSONField(default=dict, blank=True)
    # Where an incremental source continues (NAV: the last page of the feed).
    cursor = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("source state")
        verbose_name_plural = _("source states")

    def __str__(self):
        return self.source

    @property
    def is_stale(self) -> bool:
        """No good run within SOURCES_STALE_AFTER_HOURS: the data shown may be out of date."""
        if self.last_success_at is None:
            return True
        age = timedelta(hours=settings.SOURCES_STALE_AFTER_HOURS)
        return timezone.now() - self.last_success_at > age


# ---- vacancies ----------------------------------------------------------------------------


class VacancySector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    UNKNOWN = "unknown", _("Not stated")


class Vacancy(models.Model):
    source = models.CharField(max_length=40, verbose_name=_("source"))
    external_id = models.CharField(max_length=64, verbose_name=_("id at the source"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    employer = models.CharField(max_length=300, blank=True, verbose_name=_("employer"))
    employer_org_number = models.CharField(max_length=9, blank=True)
    municipality_number = models.CharField(max_length=4, verbose_name=_("municipality number"))
    location = models.CharField(max_length=200, blank=True, verbose_name=_("place"))
    sector = models.CharField(
        max_length=10, choices=VacancySector.choices, default=VacancySector.UNKNOWN
    )
    occupation = models.CharField(max_length=200, blank=True, verbose_name=_("occupation"))
    engagement_type = models.CharField(max_length=100, blank=True)
    extent = models.CharField(max_length=100, blank=True)
    # The deadline as the ad states it ("Snarest" is common); `deadline` when it is a date.
    application_due = models.CharField(max_length=100, blank=True)
    deadline = models.DateField(null=True, blank=True, verbose_name=_("deadline"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires"))
    url = models.URLField(max_length=500, verbose_name=_("original ad"))
    source_updated_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-published_at", "title"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="vacancy_unique_ad"),
        ]
        indexes = [models.Index(fields=["municipality_number", "-published_at"])]

    def __str__(self):
        return self.title

    @property
    def public_id(self) -> str:
        return f"{self.source}:{self.external_id}"

    @property
    def anchor(self) -> str:
        """The id of its item in a page's list of vacancies."""
        return "vacancy-" + slugify(f"{self.source}-{self.external_id}")

    # What NAV's ads write for "no fixed deadline", lower-cased.
    AS_SOON_AS_POSSIBLE = frozenset({"snarest", "snarest mulig", "så snart som mulig"})

    @property
    def due_is_as_soon_as_possible(self) -> bool:
        return self.application_due.strip().lower() in self.AS_SOON_AS_POSSIBLE


# ---- population ---------------------------------------------------------------------------


class PopulationFigure(models.Model):
    """The population of a municipality on 1 January of a year (SSB table 07459)."""

    municipality_number = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["municipality_number", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_number", "year"], name="population_unique_year"
            ),
        ]

    def __str__(self):
        return f"{self.municipality_number} {self.year}: {self.population}"


class FactProvenance(models.Model):
    """What a source last wrote into a page's field. A page value that differs from it
    was written by an editor, and the source leaves it alone."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    source = models.CharField(max_length=40)
    value = models.JSONField()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fact provenance")
        verbose_name_plural = _("fact provenances")
        constraints = [
            models.UniqueConstraint(fields=["page", "field"], name="provenance_unique_field"),
        ]

    def __str__(self):
        return f"{self.page_id}.{self.field} from {self.source}"


# ---- registers ----------------------------------------------------------------------------


class UnitKind(models.TextChoices):
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")


class RegisterUnit(models.Model):
    """A school (Nasjonalt skoleregister) or kindergarten (Barnehageregisteret)."""

    org_number = models.CharField(
        max_length=9, primary_key=True, verbose_name=_("organisation number")
    )
    kind = models.CharField(max_length=14, choices=UnitKind.choices, verbose_name=_("kind"))
    name = models.CharField(max_length=300, verbose_name=_("name"))
    municipality_number = models.CharField(max_length=4, verbose_name=_("municipality number"))
    # School years (1-13) for a school, age in years for a kindergarten.
    level_from = models.PositiveSmallIntegerField(null=True, blank=True)
    level_to = models.PositiveSmallIntegerField(null=True, blank=True)
    is_primary = models.BooleanField(default=False)
    is_upper_secondary = models.BooleanField(default=False)
    is_private = models.BooleanField(default=False)
    pupils = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("pupils or children")
    )
    employees = models.PositiveIntegerField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True, verbose_name=_("address"))
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    website = models.URLField(max_length=500, blank=True, verbose_name=_("website"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    register_changed_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now, verbose_name=_("first seen"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed"))
    synced_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("register unit")
        verbose_name_plural = _("register units")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality_number", "kind"])]

    def __str__(self):
        return f"{self.name} ({self.org_number})"

    @property
    def source_name(self) -> str:
        """The source that brings this unit in (see `sources.registry`)."""
        return "nbr" if self.kind == UnitKind.KINDERGARTEN else "nsr"


class Workplace(models.Model):
    """A workplace (underenhet) in Enhetsregisteret."""

    org_number = models.CharField(
        max_length=9, primary_key=True, verbose_name=_("organisation number")
    )
    name = models.CharField(max_length=300, verbose_name=_("name"))
    municipality_number = models.CharField(max_length=4, verbose_name=_("municipality number"))
    industry_code = models.CharField(max_length=10, blank=True, verbose_name=_("industry code"))
    industry_label = models.CharField(max_length=300, blank=True)
    # Our sector vocabulary (region_pages.blocks.choices.Sector), from the industry code.
    sector = models.CharField(max_length=20, blank=True, verbose_name=_("sector"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("address"))
    # Left out by the register below five employees.
    employees = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("employees"))
    parent_org_number = models.CharField(max_length=9, blank=True)
    website = models.CharField(max_length=500, blank=True, verbose_name=_("website"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    first_seen_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality_number", "sector"])]

    def __str__(self):
        return f"{self.name} ({self.org_number})"

    source_name = "brreg"


# ---- daylight -----------------------------------------------------------------------------

DAY_MINUTES = 24 * 60


class DaylightDay(models.Model):
    """Sunrise, sunset and daylight on one day at a municipality's administrative centre,
    from MET Norway's sunrise API. A day on which the sun does not rise has no sunrise and
    no sunset and 0 minutes; one on which it does not set (midnight sun), 1440."""

    municipality_number = models.CharField(max_length=4, verbose_name=_("municipality number"))
    date = models.DateField(verbose_name=_("date"))
    # The sunrise before and the sunset after the day's solar noon, when there are any
    # within the solar day (noon ± 12 hours).
    sunrise = models.DateTimeField(null=True, blank=True, verbose_name=_("sunrise"))
    sunset = models.DateTimeField(null=True, blank=True, verbose_name=_("sunset"))
    daylight_minutes = models.PositiveSmallIntegerField(verbose_name=_("daylight (minutes)"))
    # The sun's height at noon in degrees: negative when it stays below the horizon.
    noon_elevation = models.FloatField(verbose_name=_("height of the sun at noon"))
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("day of daylight")
        verbose_name_plural = _("days of daylight")
        ordering = ["municipality_number", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_number", "date"], name="daylight_one_row_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(daylight_minutes__lte=DAY_MINUTES), name="daylight_at_most_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.municipality_number} {self.date}: {self.daylight_minutes} min"

    source_name = "met"

    @property
    def midnight_sun(self) -> bool:
        return self.daylight_minutes >= DAY_MINUTES

    @property
    def polar_night(self) -> bool:
        return self.daylight_minutes == 0


# ---- commute times ----------------------------------------------------------------------------


class CommuteLink(models.Model):
    """Travel by public transport from one place to another on a typical weekday, from
    Entur's journey planner: how many departures, and how long a journey usually takes.
    Places are `region_pages.municipalities.PLACES`, by key."""

    origin = models.CharField(max_length=40, verbose_name=_("from"))
    destination = models.CharField(max_length=40, verbose_name=_("to"))
    # The weekday whose timetable was searched.
    day = models.DateField(verbose_name=_("day searched"))
    departures = models.PositiveSmallIntegerField(verbose_name=_("departures"))
    # The median and the shortest journey, door to door; empty when there is none.
    typical_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("typical journey (minutes)")
    )
    fastest_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("fastest journey (minutes)")
    )
    fewest_changes = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("fewest changes")
    )
    # Entur's transport modes used: bus, coach, water (ferry, express boat), rail, air.
    modes = models.JSONField(default=list, blank=True, verbose_name=_("by"))
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("public transport link")
        verbose_name_plural = _("public transport links")
        ordering = ["origin", "destination"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="commute_one_link"),
        ]

    def __str__(self):
        return f"{self.origin} → {self.destination}: {self.departures} departures"

    source_name = "entur"
