"""Events across the region, as the calendar page lists them: upcoming by default."""

from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _

from ninja import Path, Query, Router

from .. import versions
from ..blocks.choices import EventCategory
from ..images import image_representation
from ..models import EventPage
from .http import clock_salt
from .kept import kept_answer
from .params import DEFAULT_LIMIT, Limit, Offset, RegionKeys, page_links, strict_query
from .problems import not_found
from .represent import Reader
from .schemas import Event, EventList, Lang, Problem
from .sparse import Fields, sparse

router = Router(tags=["events"])

MONTH_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"
NUMBER_PATTERN = r"^[0-9]{4}$"


def _event(reader: Reader, page: EventPage, translations: dict) -> dict:
    summary = reader.page_summary(page, page, translations)
    coordinates = (
        {"latitude": page.latitude, "longitude": page.longitude}
        if page.latitude is not None
        else None
    )
    return {
        **summary,
        "api_url": reader.page_api_url(page, "api-v1:event_detail"),
        "starts_at": page.starts_at,
        "ends_at": page.ends_at,
        "municipality": page.municipality_number,
        "place": {"name": page.place_name, "coordinates": coordinates},
        "category": page.category,
        "category_label": page.category_label,
        "price": page.price or None,
        "organiser": page.organiser or None,
        "url": page.organiser_url or None,
        "image": image_representation(page.hero_image, page.hero_alt_text),
    }


@router.get(
    "/events",
    response={200: EventList, 304: None, 400: Problem, 404: Problem},
    url_name="event_list",
    operation_id="listEvents",
    summary="Events",
    description="Events in the region in one language, soonest first; only those that have "
    "not ended unless `include_past` is true. Filters combine (AND), as on the calendar page.",
)
@strict_query(
    "lang",
    "municipality",
    "month",
    "category",
    "include_past",
    "fields",
    "limit",
    "offset",
    "region",
)
@sparse(EventList)
def list_events(
    request,
    lang: Lang = "nb",
    municipality: Annotated[
        str | None, Query(pattern=NUMBER_PATTERN, description="A kommunenummer: 1833.")
    ] = None,
    month: Annotated[
        str | None,
        Query(pattern=MONTH_PATTERN, description="Events starting in this month: 2027-02."),
    ] = None,
    category: Annotated[EventCategory | None, Query(description="An event category.")] = None,
    include_past: Annotated[
        bool, Query(description="Also events that have ended (they stay published).")
    ] = False,
    fields: Fields(EventList) = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    region: RegionKeys = None,
):
    reader = Reader(request, lang)

    def build():
        rows = reader.visible(EventPage.objects.filter(locale__language_code=lang))
        if not include_past:
            rows = rows.filter(ends_at__gte=timezone.now())
        if municipality:
            rows = rows.filter(municipality_number=municipality)
        if month:
            year, number = (int(part) for part in month.split("-"))
            rows = rows.filter(starts_at__year=year, starts_at__month=number)
        if category:
            rows = rows.filter(category=category)
        count = rows.count()
        page = list(
            rows.select_related("locale", "hero_image").order_by("starts_at", "pk")[
                offset : offset + limit
            ]
        )
        translations = reader.page_translations(page)
        return {
            **page_links(request, count, limit, offset),
            "items": [_event(reader, event, translations) for event in page],
        }

    # Which events have not ended changes only when one ends: the salt of the list's
    # validator names the next end, so the list is kept under the content version and it.
    salt = getattr(request, "api_clock_salt", None)
    if salt is None:
        salt = clock_salt(request)
    return versions.remember("event-list", reader.asked(request.get_full_path(), salt), build)


@router.get(
    "/events/{event_id}",
    response={200: Event, 304: None, 400: Problem, 404: Problem},
    url_name="event_detail",
    operation_id="getEvent",
    summary="One event",
    description="An event by its id, also after it has ended.",
)
@strict_query("region")
def get_event(
    request, event_id: Annotated[int, Path(ge=1, le=2**31 - 1)], region: RegionKeys = None
):
    reader = Reader(request)

    def build():
        page = (
            reader.visible(EventPage.objects.filter(pk=event_id))
            .select_related("locale", "hero_image")
            .first()
        )
        if page is None:
            raise not_found(_("There is no event with the id %(id)s.") % {"id": event_id})
        return _event(reader, page, reader.page_translations([page]))

    # Kept under the content version; an event that is not there raises and is not kept.
    return kept_answer("event-detail", reader.asked(event_id), Event, build)
