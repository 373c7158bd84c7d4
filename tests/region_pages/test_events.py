"""Events: pages below the region's calendar, filtered by municipality, month and
category; the next ones on each municipality page; iCalendar feeds; schema.org `Event`;
`/api/v1/events`; the change feed. An event that has ended drops out of the listings by
itself and stays reachable."""

import json
import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import pytest
from icalendar import Calendar

from region_pages.models import EventCalendarPage, EventPage
from search import query
from tests.conftest import publish, shared_for_the_module, translate
from tests.regions import municipality

NOW = timezone.now().replace(microsecond=0)


def event(calendar, slug, title, number="1833", days=7, category="music", **fields):
    start = NOW + timedelta(days=days)
    page = EventPage(
        title=title,
        slug=slug,
        intro=f"Om {title}.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        municipality_number=number,
        place_name="Moheia",
        category=category,
        price="Gratis",
        **fields,
    )
    calendar.add_child(instance=page)
    return publish(page)


def build_calendar(home):
    """A calendar with a concert in Rana next week, a hike in Hemnes in six weeks (another
    month, whatever the day) and a
    market in Rana that has ended; Rana and the calendar in English too."""
    rana = municipality(home, "rana")
    page = EventCalendarPage(title="Hva skjer", slug="hva-skjer", show_in_menus=True)
    home.add_child(instance=page)
    publish(page)
    events = {
        "concert": event(page, "konsert", "Konsert", latitude=66.31, longitude=14.14),
        "hike": event(page, "tur", "Fjelltur", number="1832", days=45, category="outdoors"),
        "market": event(page, "marked", "Marked", days=-3, category="market"),
    }
    translate(home)
    translate(rana)
    english = translate(page, texts={"hva-skjer": "whats-on"})
    for key in ("concert", "market"):
        events[f"en_{key}"] = translate(events[key])
    return {"home": home, "nb": page, "en": english, **events}


# Every test here reads the same calendar: built once for the module.
_region_of_the_module, calendar, home = shared_for_the_module(build_calendar, name="calendar")


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def listed(html: str) -> list[str]:
    return re.findall(r'<li class="event card[^>]*>.*?<a href="[^"]*">(.*?)</a>', html, re.S)


def test_the_calendar_lists_what_is_coming_soonest_first(client, calendar):
    assert listed(html_of(client, "/nb/hva-skjer/")) == ["Konsert", "Fjelltur"]


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        ("kommune=1832", ["Fjelltur"]),
        ("kategori=music", ["Konsert"]),
        (f"maned={(NOW + timedelta(days=45)):%Y-%m}", ["Fjelltur"]),
        ("kommune=9999&maned=nonsense&kategori=x", ["Konsert", "Fjelltur"]),  # ignored
    ],
)
def test_the_calendar_filters_by_municipality_month_and_category(
    client, calendar, query_string, expected
):
    assert listed(html_of(client, f"/nb/hva-skjer/?{query_string}")) == expected


def test_an_event_that_has_ended_is_left_out_but_stays_reachable(client, calendar):
    assert "Marked" not in listed(html_of(client, "/nb/hva-skjer/"))
    page = html_of(client, "/nb/hva-skjer/marked/")
    assert "Arrangementet er over." in page
    assert "Marked" not in html_of(client, "/nb/rana/").split('id="events-heading"')[-1][:2000]


def test_each_municipality_page_shows_its_next_events(client, calendar):
    rana = html_of(client, "/en/rana/")
    section = re.search(r'aria-labelledby="events-heading".*?</section>', rana, re.S).group(0)
    assert listed(section) == ["EN: Konsert"]
    assert 'href="/en/whats-on/?kommune=1833#events-count"' in section


def test_the_ical_feeds_hold_the_events_of_the_region_and_of_one_municipality(client, calendar):
    response = client.get("/en/whats-on/ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    # The ended market is kept for a while, so a calendar app does not lose it at once.
    assert set(events) == {"EN: Konsert", "EN: Marked"}
    concert = events["EN: Konsert"]
    assert concert.decoded("dtstart") == calendar["concert"].starts_at
    assert str(concert["location"]) == "EN: Moheia, Rana"
    assert concert["url"] == "http://testserver/en/whats-on/konsert/"
    assert (concert["geo"].latitude, concert["geo"].longitude) == (66.31, 14.14)
    norwegian = Calendar.from_ical(client.get("/nb/hva-skjer/ical/1832/").content)
    assert [str(e["summary"]) for e in norwegian.walk("VEVENT")] == ["Fjelltur"]
    assert client.get("/nb/hva-skjer/ical/9999/").status_code == 404


def test_an_event_is_a_schema_org_event(client, calendar):
    html = html_of(client, "/nb/hva-skjer/konsert/")
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    item = json.loads(script)["@graph"][0]
    assert item["@type"] == "Event"
    assert item["startDate"] == calendar["concert"].starts_at.isoformat()
    assert item["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 66.31,
        "longitude": 14.14,
    }


def test_the_api_lists_events_with_the_calendars_filters(client, calendar):
    answer = client.get("/api/v1/events?lang=nb").json()
    assert [item["title"] for item in answer["items"]] == ["Konsert", "Fjelltur"]
    concert = answer["items"][0]
    assert concert["type"] == "event"
    assert concert["municipality"] == "1833"
    assert concert["place"] == {
        "name": "Moheia",
        "coordinates": {"latitude": 66.31, "longitude": 14.14},
    }
    assert concert["category_label"] == "Musikk og konserter"
    past = client.get("/api/v1/events?lang=nb&include_past=true&municipality=1833").json()
    assert [item["title"] for item in past["items"]] == ["Marked", "Konsert"]
    detail = client.get(f"/api/v1/events/{calendar['market'].pk}").json()
    assert detail["title"] == "Marked"
    sparse = client.get("/api/v1/events?lang=nb&fields=title,starts_at").json()
    assert sparse["items"] == [
        {key: item[key] for key in ("id", "title", "starts_at")} for item in answer["items"]
    ]


def test_an_events_detail_is_kept_until_a_publish_and_a_missing_one_is_not(
    client, calendar, django_assert_max_num_queries
):
    market = calendar["market"]
    first = client.get(f"/api/v1/events/{market.pk}").json()
    with django_assert_max_num_queries(1):  # the content version
        assert client.get(f"/api/v1/events/{market.pk}").json() == first
    market.title = "Julemarked"
    publish(market)
    assert client.get(f"/api/v1/events/{market.pk}").json()["title"] == "Julemarked"
    for _ in range(2):
        assert client.get("/api/v1/events/999999").status_code == 404


def test_the_list_of_events_is_kept_until_a_publish_or_an_events_end(
    client, calendar, monkeypatch, django_assert_max_num_queries
):
    first = client.get("/api/v1/events?lang=nb").json()
    with django_assert_max_num_queries(2):  # the content version and the next end
        assert client.get("/api/v1/events?lang=nb").json() == first
    hike = calendar["hike"]
    hike.title = "Fjelltur til Okstindan"
    publish(hike)
    titles = [item["title"] for item in client.get("/api/v1/events?lang=nb").json()["items"]]
    assert titles == ["Konsert", "Fjelltur til Okstindan"]
    after_the_concert = calendar["concert"].ends_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_the_concert)
    titles = [item["title"] for item in client.get("/api/v1/events?lang=nb").json()["items"]]
    assert titles == ["Fjelltur til Okstindan"]


@pytest.mark.parametrize(
    "bad", ["month=2027-13", "month=27-01", "month=0000-01", "municipality=rana", "category=x"]
)
def test_bad_filters_are_refused_with_400(client, calendar, bad):
    response = client.get(f"/api/v1/events?{bad}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_published_event_is_announced_in_the_change_feed(client, calendar):
    cursor = client.get("/api/v1/changes/head").json()["cursor"]
    new = event(calendar["nb"], "basar", "Basar", days=3, category="market")
    news = client.get(f"/api/v1/changes?since={cursor}").json()["items"]
    assert (new.pk, "published") in {(item["id"], item["action"]) for item in news}


def test_an_event_must_not_end_before_it_starts_and_needs_both_coordinates(calendar):
    page = calendar["concert"]
    page.ends_at = page.starts_at - timedelta(hours=1)
    page.latitude, page.longitude = 66.31, None
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            page.full_clean()
        errors = refused.value.message_dict
    assert "ends_at" in errors
    assert "longitude" in errors


@pytest.mark.parametrize(("language", "key"), [("nb", "concert"), ("en", "en_concert")])
def test_search_finds_events(calendar, language, key):
    with translation.override(language):
        urls = [hit.url for hit in query.search("konsert", language).hits]
    assert calendar[key].url in urls


@pytest.mark.parametrize(
    ("language", "words", "key"),
    [("en", "events", "en_concert"), ("nb", "arrangement", "concert"), ("nb", "musikk", "concert")],
)
def test_searching_events_finds_them(calendar, language, words, key):
    with translation.override(language):
        urls = [hit.url for hit in query.search(words, language).hits]
    assert calendar[key].url in urls


def test_a_poller_learns_that_an_event_has_ended_without_a_publish(client, calendar, monkeypatch):
    """The list's validator holds the end of its first event: when that event ends, the
    old ETag no longer matches, though nothing was published."""
    first = client.get("/api/v1/events?lang=nb")
    assert "Last-Modified" not in first
    etag = first["ETag"]
    region_etag = client.get("/api/v1/region?lang=nb")["ETag"]
    assert client.get("/api/v1/events?lang=nb", HTTP_IF_NONE_MATCH=etag).status_code == 304

    after_the_concert = calendar["concert"].ends_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_the_concert)
    later = client.get("/api/v1/events?lang=nb", HTTP_IF_NONE_MATCH=etag)
    assert later.status_code == 200
    assert [item["title"] for item in later.json()["items"]] == ["Fjelltur"]
    # Other answers keep their content-version validators.
    assert client.get("/api/v1/region?lang=nb")["ETag"] == region_etag
