"""MET Norway's sunrise API (version 3): sunrise, sunset and daylight through the year at
each municipality's administrative centre.

One request per place and day (`/sun?lat=…&lon=…&date=…&offset=…`), each answered with a
GeoJSON feature: the solar day (noon ± 12 hours) as `when.interval`, the sunrise before
and the sunset after noon (either may be null: the sun does not rise or does not set
within that day), and the sun's height at noon. The times of a place's sun do not change,
so a day once stored is never fetched again: the first run of a year asks for every day of
it (365 requests a place), later runs ask for nothing. MET's terms ask for a User-Agent
that names the application and a way to reach its owner; the client's does.

`SOURCES_DAYLIGHT_EVERY_DAYS` thins the days out (every 7th day, say, and the two
solstices); the offline demo uses that.
"""

from datetime import date, datetime, timedelta
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from region_pages.municipalities import BY_NUMBER, MUNICIPALITIES

from .. import pages
from ..base import CC_BY_4, Context, Counts, Fetched, Source, shaped
from ..errors import PayloadError, RecordProblem
from ..http import short_url
from ..models import DAY_MINUTES, DaylightDay

# Sunrise and sunset are when the sun's centre is this far below the horizon (MET's
# definition: its apparent radius plus the refraction at the horizon).
HORIZON = -0.8333
# How far the answer's point may lie from the place asked for, in degrees.
PLACE_TOLERANCE = 0.05
SOLSTICES = ((6, 21), (12, 21))


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Geometry(_Shape):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=3)


class When(_Shape):
    interval: list[AwareDatetime] = Field(min_length=2, max_length=2)


class Crossing(_Shape):
    """A sunrise or a sunset: `time` is null when there is none within the solar day."""

    time: AwareDatetime | None = None


class Culmination(_Shape):
    time: AwareDatetime
    disc_centre_elevation: float = Field(ge=-90, le=90)


class SunProperties(_Shape):
    body: Literal["Sun"]
    sunrise: Crossing | None = None
    sunset: Crossing | None = None
    solarnoon: Culmination


class SunFeature(_Shape):
    type: Literal["Feature"]
    geometry: Geometry
    when: When
    properties: SunProperties


def daylight_minutes(feature: SunFeature) -> int:
    """Minutes of daylight within the feature's solar day: from sunrise (or the start of the
    day, when the sun was up already) to sunset (or the end of the day, when it stays up);
    a whole day or none when there is neither, by the sun's height at noon."""
    start, end = feature.when.interval
    rise = feature.properties.sunrise.time if feature.properties.sunrise else None
    set_ = feature.properties.sunset.time if feature.properties.sunset else None
    if rise is None and set_ is None:
        up = feature.properties.solarnoon.disc_centre_elevation > HORIZON
        return DAY_MINUTES if up else 0
    seconds = ((set_ or end) - (rise or start)).total_seconds()
    return max(0, min(DAY_MINUTES, round(seconds / 60)))


def offset_on(day: date) -> str:
    """The region's UTC offset at noon on `day` ("+01:00" in winter, "+02:00" in summer)."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_default_timezone())
    minutes = int(noon.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def wanted_days(year: int, every: int) -> list[date]:
    """The days of `year` to know: every day, or every `every`-th day and the solstices."""
    first = date(year, 1, 1)
    days = {
        first + timedelta(days=n)
        for n in range(0, (date(year + 1, 1, 1) - first).days, max(1, every))
    }
    days.update(date(year, month, day) for month, day in SOLSTICES)
    return sorted(days)


class MetSunrise(Source):
    name = "met"
    label = _("Daylight (MET Norway's sunrise API)")
    publisher = "Meteorologisk institutt (MET Norway)"
    licence = CC_BY_4
    credit = _("Sunrise and sunset from MET Norway (the Norwegian Meteorological Institute).")
    sample_note = _(
        "Sample data: computed on this server in MET Norway's format, not fetched from MET Norway."
    )

    def url(self) -> str:
        return f"{settings.MET_SUNRISE_URL.rstrip('/')}/sun"

    def fetch(self, ctx: Context) -> Fetched:
        year = timezone.localdate(ctx.now).year
        days = wanted_days(year, settings.SOURCES_DAYLIGHT_EVERY_DAYS)
        stored = set(
            DaylightDay.objects.filter(date__year=year).values_list("municipality_number", "date")
        )
        missing = [
            (municipality, day)
            for municipality in MUNICIPALITIES
            for day in days
            if (municipality.number, day) not in stored
        ]
        if not missing:
            # Known already: the sun keeps its times. Nothing to ask MET for.
            return Fetched(not_modified=True)
        documents = []
        for done, (municipality, day) in enumerate(missing, start=1):
            response = ctx.client.get(
                self.url(),
                params={
                    "lat": f"{municipality.latitude:.4f}",
                    "lon": f"{municipality.longitude:.4f}",
                    "date": day.isoformat(),
                    "offset": offset_on(day),
                },
            )
            documents.append((municipality.number, day, short_url(response.url), response.json()))
            ctx.report(str(_("Daylight")), done, len(missing))
        return Fetched(documents=documents)

    def parse(self, fetched: Fetched, ctx: Context) -> list[dict]:
        records = []
        for number, day, url, document in fetched.documents:
            feature = shaped(SunFeature, document, url)
            start, end = feature.when.interval
            if not timedelta(hours=23) <= end - start <= timedelta(hours=25):
                raise PayloadError(
                    _("The answer from %(url)s gives a day that is not about 24 hours long."),
                    url=url,
                )
            props = feature.properties
            records.append(
                {
                    "municipality_number": number,
                    "date": day,
                    "sunrise": props.sunrise.time if props.sunrise else None,
                    "sunset": props.sunset.time if props.sunset else None,
                    "daylight_minutes": daylight_minutes(feature),
                    "noon_elevation": props.solarnoon.disc_centre_elevation,
                    # For validate: where and when the answer says it is.
                    "_point": feature.geometry.coordinates[:2],
                    "_interval": (start, end),
                    "_noon": props.solarnoon.time,
                }
            )
        return records

    def validate(self, records, ctx):
        valid, problems = [], []
        tolerance = timedelta(minutes=1)
        for record in records:
            key = f"{record['municipality_number']}/{record['date']}"
            place = BY_NUMBER[record["municipality_number"]]
            lon, lat = record.pop("_point")
            start, end = record.pop("_interval")
            noon = record.pop("_noon")
            if (
                abs(lat - place.latitude) > PLACE_TOLERANCE
                or abs(lon - place.longitude) > PLACE_TOLERANCE
            ):
                problems.append(RecordProblem(key, _("The answer is for another place.")))
            elif timezone.localtime(noon).date() != record["date"]:
                problems.append(RecordProblem(key, _("The answer is for another day.")))
            elif any(
                moment is not None and not start - tolerance <= moment <= end + tolerance
                for moment in (record["sunrise"], record["sunset"])
            ):
                problems.append(
                    RecordProblem(key, _("A sunrise or sunset lies outside the day it is for."))
                )
            elif record["sunrise"] and record["sunset"] and record["sunset"] <= record["sunrise"]:
                problems.append(RecordProblem(key, _("The sun sets before it rises.")))
            else:
                valid.append(record)
        return valid, problems

    def upsert(self, records, ctx) -> Counts:
        counts = Counts(fetched=len(records))
        fields = ["sunrise", "sunset", "daylight_minutes", "noon_elevation"]
        stored = {
            (row.municipality_number, row.date): row
            for row in DaylightDay.objects.filter(date__in={record["date"] for record in records})
        }
        to_create, to_update = [], []
        for record in records:
            row = stored.get((record["municipality_number"], record["date"]))
            if row is None:
                to_create.append(DaylightDay(**record, synced_at=ctx.now))
            elif any(getattr(row, name) != record[name] for name in fields):
                for name in fields:
                    setattr(row, name, record[name])
                row.synced_at = ctx.now
                to_update.append(row)
            else:
                counts.unchanged += 1
        DaylightDay.objects.bulk_create(to_create, batch_size=500)
        DaylightDay.objects.bulk_update(to_update, [*fields, "synced_at"], batch_size=500)
        counts.added, counts.updated = len(to_create), len(to_update)
        # Keep this year and the last: older days are of no use to a reader.
        year = timezone.localdate(ctx.now).year
        counts.removed, _kinds = DaylightDay.objects.filter(date__lt=date(year - 1, 1, 1)).delete()
        ctx.changed_municipalities.update(record["municipality_number"] for record in records)
        return counts

    def refresh_pages(self, ctx) -> int:
        # The municipality pages read the days when they are rendered: purge them.
        return pages.purge_municipalities(ctx.changed_municipalities)
