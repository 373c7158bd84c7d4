"""Events as an iCalendar feed (RFC 5545), for readers' calendar apps.

The icalendar library writes the format (line folding, escaping, UTC times); this module
says what goes into it. One feed for the region and one per municipality, in the language
of the calendar page.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.utils import timezone

from icalendar import Calendar, Event

# Calendar apps poll: an hour between fetches is plenty for a regional calendar.
REFRESH_INTERVAL = timedelta(hours=1)


def _event(request, page) -> Event:
    event = Event()
    url = page.get_full_url(request)
    # Stable across publishes and the same in both languages (one event): the page's
    # translation key, at the site's host.
    event.add("uid", f"{page.translation_key}@{urlsplit(url).hostname}")
    event.add("dtstamp", page.last_published_at or timezone.now())
    event.add("dtstart", page.starts_at)
    event.add("dtend", page.ends_at)
    event.add("summary", page.title)
    if page.intro:
        event.add("description", page.intro)
    event.add("location", f"{page.place_name}, {page.municipality_name}")
    if page.latitude is not None:
        event.add("geo", (page.latitude, page.longitude))
    event.add("url", url)
    event.add("categories", [page.category_label])
    if page.organiser:
        event.add("organizer", page.organiser)
    return event


def calendar_response(request, calendar_page, events, number=None) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Ranaregionen//Events//NB")
    calendar.add("version", "2.0")
    name = calendar_page.title
    if number is not None:
        name = f"{name}: {next((e.municipality_name for e in events), number)}"
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    for page in events:
        calendar.add_component(_event(request, page))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response
