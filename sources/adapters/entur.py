"""Entur's journey planner (GraphQL, version 3): travel by public transport between the
region's towns and villages on a typical weekday.

For each ordered pair of places (`region_pages.municipalities.PLACES`) one `trip` query
asks for every journey that leaves during the day searched: bus, coach, train, ferry and
express boat, walking at either end. From the answer: how many departures there are, the
typical (median) and the fastest journey, and the fewest changes. The day searched is the
next Tuesday at least two days ahead, outside the Christmas holidays, so that the figures
describe an ordinary working day. Entur asks every client to name itself in the
`ET-Client-Name` header ("company-application"): `ENTUR_CLIENT_NAME`.
"""

import statistics
from datetime import date, datetime, time, timedelta
from itertools import permutations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from region_pages.municipalities import PLACE_BY_KEY, PLACES

from .. import pages
from ..base import NLOD, Context, Counts, Fetched, Source, shaped
from ..errors import PayloadError, RecordProblem
from ..models import CommuteLink

QUERY = """
query Commute($from: Location!, $to: Location!, $dateTime: DateTime!, $window: Int!) {
  trip(from: $from, to: $to, dateTime: $dateTime, searchWindow: $window, numTripPatterns: 60,
       modes: {accessMode: foot, egressMode: foot, transportModes: [
         {transportMode: bus}, {transportMode: coach}, {transportMode: rail},
         {transportMode: water}]}) {
    tripPatterns {
      aimedStartTime
      aimedEndTime
      duration
      legs { mode line { publicCode } }
    }
  }
}
"""
# The journeys that leave between 05:00 and midnight.
FIRST_DEPARTURE = time(5, 0)
WINDOW_MINUTES = 19 * 60
TRANSIT_MODES = ("bus", "coach", "rail", "water", "tram", "metro", "air")
HOLIDAYS = ((12, 20), (1, 6))
FIGURES = (
    "departures",
    "typical_minutes",
    "fastest_minutes",
    "fewest_changes",
    "modes",
)  # from 20 December to 6 January: not an ordinary week


def day_to_search(today: date) -> date:
    """The next Tuesday at least two days ahead, outside the Christmas holidays."""
    day = today + timedelta(days=2)
    while True:
        day += timedelta(days=(1 - day.weekday()) % 7)  # Tuesday
        in_holidays = (day.month, day.day) >= HOLIDAYS[0] or (day.month, day.day) <= HOLIDAYS[1]
        if not in_holidays:
            return day
        day += timedelta(days=1)


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Line(_Shape):
    publicCode: str | None = Field(default=None, max_length=40)


class Leg(_Shape):
    mode: str = Field(max_length=20)
    line: Line | None = None


class TripPattern(_Shape):
    aimedStartTime: AwareDatetime
    aimedEndTime: AwareDatetime
    duration: int = Field(ge=0, le=7 * 24 * 3600)
    legs: list[Leg] = Field(max_length=30)


class Trip(_Shape):
    tripPatterns: list[TripPattern] = Field(max_length=500)


class TripData(_Shape):
    trip: Trip


class GraphQLError(_Shape):
    message: str = ""


class TripAnswer(_Shape):
    data: TripData | None = None
    errors: list[GraphQLError] = []


class EnturJourneys(Source):
    name = "entur"
    label = _("Public transport (Entur's journey planner)")
    publisher = "Entur"
    licence = NLOD
    credit = _("Timetables from Entur's journey planner, for an ordinary weekday.")

    def variables(self, origin, destination, day: date) -> dict:
        start = datetime.combine(day, FIRST_DEPARTURE, tzinfo=timezone.get_default_timezone())
        return {
            "from": {
                "name": origin.name,
                "coordinates": {"latitude": origin.latitude, "longitude": origin.longitude},
            },
            "to": {
                "name": destination.name,
                "coordinates": {
                    "latitude": destination.latitude,
                    "longitude": destination.longitude,
                },
            },
            "dateTime": start.isoformat(),
            "window": WINDOW_MINUTES,
        }

    def fetch(self, ctx: Context) -> Fetched:
        day = day_to_search(timezone.localdate(ctx.now))
        pairs = list(permutations(PLACES, 2))
        documents = []
        headers = {"ET-Client-Name": settings.ENTUR_CLIENT_NAME}
        for done, (origin, destination) in enumerate(pairs, start=1):
            response = ctx.client.post(
                settings.ENTUR_JOURNEY_PLANNER_URL,
                json_body={"query": QUERY, "variables": self.variables(origin, destination, day)},
                headers=headers,
            )
            documents.append((origin.key, destination.key, day, response.json()))
            ctx.report(str(_("Public transport")), done, len(pairs))
        return Fetched(documents=documents)

    def parse(self, fetched: Fetched, ctx: Context) -> list[dict]:
        records = []
        for origin, destination, day, document in fetched.documents:
            where = f"journey-planner {origin} → {destination}"
            answer = shaped(TripAnswer, document, where)
            if answer.errors or answer.data is None:
                raise PayloadError(
                    _("Entur's journey planner answered with an error: %(message)s"),
                    message="; ".join(error.message[:200] for error in answer.errors) or "no data",
                )
            records.append(
                {
                    "origin": origin,
                    "destination": destination,
                    "day": day,
                    "patterns": answer.data.trip.tripPatterns,
                }
            )
        return records

    def validate(self, records, ctx):
        valid, problems = [], []
        for record in records:
            key = f"{record['origin']}→{record['destination']}"
            if record["origin"] not in PLACE_BY_KEY or record["destination"] not in PLACE_BY_KEY:
                problems.append(RecordProblem(key, _("Not one of the region's places.")))
                continue
            journeys = [
                pattern
                for pattern in record.pop("patterns")
                if any(leg.mode in TRANSIT_MODES for leg in pattern.legs)
                and timezone.localtime(pattern.aimedStartTime).date() == record["day"]
                and pattern.aimedEndTime >= pattern.aimedStartTime
            ]
            minutes = sorted(round(pattern.duration / 60) for pattern in journeys)
            starts = {pattern.aimedStartTime for pattern in journeys}
            record.update(
                departures=len(starts),
                typical_minutes=statistics.median_low(minutes) if minutes else None,
                fastest_minutes=minutes[0] if minutes else None,
                fewest_changes=min(
                    (
                        max(0, sum(leg.mode in TRANSIT_MODES for leg in pattern.legs) - 1)
                        for pattern in journeys
                    ),
                    default=None,
                ),
                modes=sorted(
                    {leg.mode for pattern in journeys for leg in pattern.legs} & set(TRANSIT_MODES)
                ),
            )
            valid.append(record)
        return valid, problems

    def upsert(self, records, ctx) -> Counts:
        counts = Counts(fetched=len(records))
        stored = {(row.origin, row.destination): row for row in CommuteLink.objects.all()}
        to_create, to_update = [], []
        for record in records:
            row = stored.pop((record["origin"], record["destination"]), None)
            if row is None:
                to_create.append(CommuteLink(**record, synced_at=ctx.now))
                counts.added += 1
                changed = True
            else:
                changed = any(getattr(row, name) != record[name] for name in FIGURES)
                if not changed and row.day == record["day"]:
                    counts.unchanged += 1
                    continue
                # A later day with the same figures is stored, but is no change to what
                # readers see.
                for name in ("day", *FIGURES):
                    setattr(row, name, record[name])
                row.synced_at = ctx.now
                to_update.append(row)
                counts.updated += changed
                counts.unchanged += not changed
            if changed:
                ctx.changed_keys.update((record["origin"], record["destination"]))
        CommuteLink.objects.bulk_create(to_create)
        CommuteLink.objects.bulk_update(to_update, ["day", *FIGURES, "synced_at"])
        # Pairs of places no longer in the region's list.
        gone = [row.pk for row in stored.values()]
        counts.removed, _kinds = CommuteLink.objects.filter(pk__in=gone).delete()
        ctx.changed_keys.update(
            key for row in stored.values() for key in (row.origin, row.destination)
        )
        return counts

    def refresh_pages(self, ctx) -> int:
        # The municipality pages and the work page read the links when they are rendered.
        numbers = {
            PLACE_BY_KEY[key].municipality_number for key in ctx.changed_keys if key in PLACE_BY_KEY
        }
        return pages.purge_municipalities(numbers)
