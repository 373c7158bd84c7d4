"""`/api/v1/vacancies`: the job vacancies in the four municipalities, for partners; and
`/api/v1/daylight`: sunrise, sunset and daylight through the year at their centres; and
`/api/v1/commute`: travel times by public transport between the towns and villages.

Registered on the partner API (`api.router`) and following its conventions:
strict query parameters, problem details, `lang` for labels, pagination envelopes. Every
vacancy links to the original ad; changes appear in `/api/v1/changes` as `vacancy`
resources. `source` says where the list comes from, its licence, when it was last
updated, whether it is stale (no good sync within the configured age) and whether it is
sample data.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from ninja import Path, Query, Router
from pydantic import Field

from region_pages import regions
from region_pages.api.params import (
    DEFAULT_LIMIT,
    IsoDate,
    Limit,
    Offset,
    RegionKeys,
    page_links,
    strict_query,
)
from region_pages.api.problems import not_found
from region_pages.api.schemas import Lang, Output, Problem
from region_pages.api.sparse import Fields, sparse
from region_pages.municipalities import BY_NUMBER, PLACE_BY_KEY, PLACES

from . import daylight
from .models import CommuteLink, DaylightDay, SourceState, Vacancy, VacancySector
from .pages import work_page_url
from .region import DISPLAY_NAMES, MUNICIPALITIES, in_region
from .registry import source_class

router = Router(tags=["vacancies"])

MunicipalityNumber = Literal[tuple(MUNICIPALITIES)]
SectorCode = Literal[tuple(VacancySector.values)]
ID_PATTERN = r"^[a-z-]{1,40}:[A-Za-z0-9-]{1,64}$"


class SourceInfo(Output):
    name: str = Field(examples=["nav"])
    publisher: str = Field(examples=["NAV (arbeidsplassen.no)"])
    licence: str
    licence_url: str
    last_updated: datetime | None = Field(description="The last successful sync.")
    stale: bool = Field(
        description="True when no sync has succeeded within the configured age: the list "
        "may be out of date."
    )
    sample: bool = Field(description="True when the data is sample data, not the live feed.")


class VacancyOut(Output):
    id: str = Field(description="`source:id at the source`.", examples=["nav:0b8f3a52-…"])
    title: str = Field(examples=["Sykepleier til medisinsk avdeling"])
    employer: str | None
    employer_org_number: str | None
    municipality_number: str = Field(examples=["1833"])
    municipality_name: str = Field(examples=["Rana"])
    location: str | None = Field(examples=["Mo i Rana"])
    sector: SectorCode
    sector_label: str
    occupation: str | None
    engagement_type: str | None
    extent: str | None
    application_due: str | None = Field(
        description="The deadline as the ad states it, for example a date or “Snarest”."
    )
    deadline: date | None = Field(description="The deadline, when the ad gives a date.")
    published_at: datetime | None
    expires_at: datetime | None
    url: str = Field(description="The original ad: apply there.")
    api_url: str
    source: str
    lang: Lang = Field(
        description="The language of this answer's labels (the ad's own text is NAV's, in "
        "Norwegian)."
    )
    translation_key: str = Field(
        description="The same in every language: the vacancy's `id`, as in the change feed."
    )
    html_url: str | None = Field(
        description="The region's work page in this language, listing the vacancies of the "
        "vacancy's municipality, at this vacancy; null when the region has no work page.",
        examples=["https://ranaregionen.no/en/jobs/?kommune=1833#vacancy-nav-0b8f3a52"],
    )
    first_published_at: datetime = Field(description="When the vacancy came to the site.")
    last_published_at: datetime = Field(
        description="When the ad last changed at its source, as the site took it (else when "
        "it came to the site)."
    )


class VacancyList(Output):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[VacancyOut]
    sources: list[SourceInfo]


def source_info(name: str, states: dict[str, SourceState]) -> dict:
    source = source_class(name)
    state = states.get(name)
    return {
        "name": name,
        "publisher": source.publisher,
        "licence": str(source.licence.name),
        "licence_url": source.licence.url,
        "last_updated": state.last_success_at if state else None,
        "stale": state.is_stale if state else True,
        "sample": bool(state and state.sample),
    }


def listed_at(vacancy: Vacancy, lang: str) -> str | None:
    """Where the site lists `vacancy` in `lang`: its region's work page, filtered to the
    vacancy's municipality, at the vacancy (`sources/includes/vacancy.html`)."""
    # A municipality in no region is the default region's (as `in_region` reads it).
    region = regions.for_number(vacancy.municipality_number) or regions.for_site_id(None)
    homes = region.homes if region else ()
    home = next((path for code, _pk, path in homes if code == lang), None)
    page = work_page_url(home) if home else ""
    if not page:
        return None
    return f"{page}?kommune={vacancy.municipality_number}#{vacancy.anchor}"


def represent(request, vacancy: Vacancy, lang: str) -> dict:
    with translation.override(lang):
        sector_label = str(VacancySector(vacancy.sector).label)
    path = reverse("api-v1:vacancy_detail", args=[vacancy.public_id]) + f"?lang={lang}"
    html_url = listed_at(vacancy, lang)
    return {
        "lang": lang,
        "translation_key": vacancy.public_id,
        "html_url": request.build_absolute_uri(html_url) if html_url else None,
        "first_published_at": vacancy.first_seen_at,
        "last_published_at": max(
            vacancy.first_seen_at, vacancy.source_updated_at or vacancy.first_seen_at
        ),
        "id": vacancy.public_id,
        "title": vacancy.title,
        "employer": vacancy.employer or None,
        "employer_org_number": vacancy.employer_org_number or None,
        "municipality_number": vacancy.municipality_number,
        "municipality_name": DISPLAY_NAMES.get(vacancy.municipality_number, ""),
        "location": vacancy.location or None,
        "sector": vacancy.sector,
        "sector_label": sector_label,
        "occupation": vacancy.occupation or None,
        "engagement_type": vacancy.engagement_type or None,
        "extent": vacancy.extent or None,
        "application_due": vacancy.application_due or None,
        "deadline": vacancy.deadline,
        "published_at": vacancy.published_at,
        "expires_at": vacancy.expires_at,
        "url": vacancy.url,
        "api_url": request.build_absolute_uri(path),
        "source": vacancy.source,
    }


@router.get(
    "/vacancies",
    response={200: VacancyList, 304: None, 400: Problem, 404: Problem},
    url_name="vacancy_list",
    operation_id="listVacancies",
    summary="Job vacancies",
    description="Job vacancies whose work place is in Rana, Hemnes, Lurøy or Nesna, newest "
    "first, from NAV's job feed. Inactive and expired ads are removed at each sync. Filters "
    "combine (AND). Apply through each vacancy's `url`.",
)
@strict_query(
    "lang", "municipality", "sector", "deadline_before", "fields", "limit", "offset", "region"
)
@sparse(VacancyList)
def list_vacancies(
    request,
    lang: Lang = "nb",
    municipality: Annotated[
        MunicipalityNumber | None,
        Query(description=f"A kommunenummer: {', '.join(MUNICIPALITIES)}."),
    ] = None,
    sector: Annotated[SectorCode | None, Query(description="public, private or unknown.")] = None,
    deadline_before: Annotated[
        IsoDate | None,
        Query(description="Only vacancies with a dated deadline on or before this day."),
    ] = None,
    fields: Fields(VacancyList) = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    region: RegionKeys = None,
):
    vacancies = in_region(
        request, Vacancy.objects.order_by("-published_at", "source", "external_id")
    )
    if municipality:
        vacancies = vacancies.filter(municipality_number=municipality)
    if sector:
        vacancies = vacancies.filter(sector=sector)
    if deadline_before:
        vacancies = vacancies.filter(deadline__lte=deadline_before)
    count = vacancies.count()
    states = {state.source: state for state in SourceState.objects.filter(source="nav")}
    return {
        **page_links(request, count, limit, offset),
        "items": [represent(request, v, lang) for v in vacancies[offset : offset + limit]],
        "sources": [source_info("nav", states)],
    }


@router.get(
    "/vacancies/{vacancy_id}",
    response={200: VacancyOut, 304: None, 400: Problem, 404: Problem},
    url_name="vacancy_detail",
    operation_id="getVacancy",
    summary="One job vacancy",
)
@strict_query("lang", "region")
def get_vacancy(
    request,
    vacancy_id: Annotated[str, Path(pattern=ID_PATTERN, description="The vacancy's `id`.")],
    lang: Lang = "nb",
    region: RegionKeys = None,
):
    source, _sep, external_id = vacancy_id.partition(":")
    vacancy = in_region(
        request, Vacancy.objects.filter(source=source, external_id=external_id)
    ).first()
    if vacancy is None:
        with translation.override(lang):
            raise not_found(
                translation.gettext(
                    "There is no such vacancy. It may have been filled or withdrawn: vacancies "
                    "are removed when the ad closes."
                )
            )
    return represent(request, vacancy, lang)


# ---- daylight -------------------------------------------------------------------------------


class DaylightDayOut(Output):
    date: date
    sunrise: datetime | None = Field(
        description="The sunrise before the day's solar noon; null when the sun does not "
        "rise within the solar day (noon ± 12 hours): it was up already, or it stays down."
    )
    sunset: datetime | None = Field(
        description="The sunset after solar noon (it may fall after midnight); null when "
        "the sun does not set within the solar day."
    )
    daylight_minutes: int = Field(
        ge=0, le=1440, description="1440 under the midnight sun, 0 in the polar night."
    )
    noon_elevation: float = Field(description="The sun's height at noon, in degrees.")


class Period(Output):
    first: date
    last: date


class DaylightPlace(Output):
    municipality_number: str = Field(examples=["1833"])
    municipality_name: str = Field(examples=["Rana"])
    place: str = Field(description="The administrative centre.", examples=["Mo i Rana"])
    latitude: float = Field(examples=[66.3128])
    longitude: float = Field(examples=[14.1428])
    year: int = Field(examples=[2026])
    shortest_day: DaylightDayOut
    longest_day: DaylightDayOut
    midnight_sun: Period | None = Field(
        description="The longest run of days on which the sun does not set, if any."
    )
    polar_night: Period | None = Field(
        description="The longest run of days on which the sun does not rise, if any."
    )
    days: list[DaylightDayOut] = Field(
        description="Every day of the year that is known, in date order."
    )


class DaylightList(Output):
    items: list[DaylightPlace]
    sources: list[SourceInfo]


def _daylight_place(number: str, days: list[DaylightDay]) -> dict:
    place = BY_NUMBER[number]
    facts = daylight.summary(days)

    def day_out(day: DaylightDay) -> dict:
        return {
            "date": day.date,
            "sunrise": day.sunrise,
            "sunset": day.sunset,
            "daylight_minutes": day.daylight_minutes,
            "noon_elevation": day.noon_elevation,
        }

    return {
        "municipality_number": number,
        "municipality_name": place.name,
        "place": place.centre,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "year": days[0].date.year,
        "shortest_day": day_out(facts["shortest"]),
        "longest_day": day_out(facts["longest"]),
        "midnight_sun": vars(facts["midnight_sun"]) if facts["midnight_sun"] else None,
        "polar_night": vars(facts["polar_night"]) if facts["polar_night"] else None,
        "days": [day_out(day) for day in days],
    }


@router.get(
    "/daylight",
    response={200: DaylightList, 304: None, 400: Problem},
    url_name="daylight",
    operation_id="listDaylight",
    summary="Daylight through the year",
    tags=["daylight"],
    description="Sunrise, sunset and minutes of daylight for every day of the latest year "
    "known, at each municipality's administrative centre, with the shortest and longest day "
    "and the midnight sun and polar night periods. From MET Norway's sunrise API (CC BY 4.0: "
    "credit MET Norway). Times are in Norwegian local time with their offset.",
)
@strict_query("municipality")
def list_daylight(
    request,
    municipality: Annotated[
        MunicipalityNumber | None,
        Query(description=f"A kommunenummer: {', '.join(MUNICIPALITIES)}."),
    ] = None,
):
    numbers = [municipality] if municipality else list(MUNICIPALITIES)
    rows = DaylightDay.objects.filter(
        municipality_number__in=numbers, date__year__gte=timezone.localdate().year - 1
    ).order_by("municipality_number", "date")
    by_number: dict[str, list[DaylightDay]] = {}
    for row in rows:
        by_number.setdefault(row.municipality_number, []).append(row)
    states = {state.source: state for state in SourceState.objects.filter(source="met")}
    items = []
    for number in numbers:
        days = daylight.days_of_latest_year(by_number.get(number, []))
        if days:
            items.append(_daylight_place(number, days))
    return {"items": items, "sources": [source_info("met", states)]}


# ---- commute --------------------------------------------------------------------------------

PlaceKey = Literal[tuple(place.key for place in PLACES)]


class PlaceOut(Output):
    key: str = Field(examples=["mo-i-rana"])
    name: str = Field(examples=["Mo i Rana"])
    municipality_number: str = Field(examples=["1833"])
    latitude: float
    longitude: float


class CommuteOut(Output):
    origin: str = Field(description="The `key` of the place the journeys leave from.")
    destination: str = Field(description="The `key` of the place they go to.")
    day: date = Field(description="The weekday whose timetable was searched.")
    departures: int = Field(
        ge=0, description="Journeys leaving between 05:00 and midnight; 0: no connection."
    )
    typical_minutes: int | None = Field(description="The median journey, door to door.")
    fastest_minutes: int | None
    fewest_changes: int | None
    modes: list[str] = Field(
        description="Entur's transport modes used: bus, coach, rail, water (ferry and "
        "express boat), air; more may be added.",
        examples=[["bus", "water"]],
    )


class CommuteList(Output):
    places: list[PlaceOut]
    items: list[CommuteOut]
    sources: list[SourceInfo]


@router.get(
    "/commute",
    response={200: CommuteList, 304: None, 400: Problem},
    url_name="commute",
    operation_id="listCommute",
    summary="Travel times by public transport",
    tags=["commute"],
    description="How long a journey by public transport usually takes between the region's "
    "towns and villages on an ordinary weekday, and how many departures there are, from "
    "Entur's journey planner (NLOD). Filter by `origin`, `destination` (place keys) or "
    "`municipality` (journeys from or to its places).",
)
@strict_query("origin", "destination", "municipality")
def list_commute(
    request,
    origin: Annotated[PlaceKey | None, Query(description="A place's `key`.")] = None,
    destination: Annotated[PlaceKey | None, Query(description="A place's `key`.")] = None,
    municipality: Annotated[
        MunicipalityNumber | None,
        Query(description=f"A kommunenummer: {', '.join(MUNICIPALITIES)}."),
    ] = None,
):
    links = CommuteLink.objects.order_by("origin", "destination")
    if origin:
        links = links.filter(origin=origin)
    if destination:
        links = links.filter(destination=destination)
    if municipality:
        keys = [place.key for place in PLACES if place.municipality_number == municipality]
        links = links.filter(Q(origin__in=keys) | Q(destination__in=keys))
    states = {state.source: state for state in SourceState.objects.filter(source="entur")}
    return {
        "places": [
            {
                "key": place.key,
                "name": place.name,
                "municipality_number": place.municipality_number,
                "latitude": place.latitude,
                "longitude": place.longitude,
            }
            for place in PLACES
        ],
        "items": [
            {
                "origin": link.origin,
                "destination": link.destination,
                "day": link.day,
                "departures": link.departures,
                "typical_minutes": link.typical_minutes,
                "fastest_minutes": link.fastest_minutes,
                "fewest_changes": link.fewest_changes,
                "modes": link.modes,
            }
            for link in links
            if link.origin in PLACE_BY_KEY and link.destination in PLACE_BY_KEY
        ],
        "sources": [source_info("entur", states)],
    }
