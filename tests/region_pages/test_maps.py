"""The maps' markers in the HTML: the places with coordinates of a municipality, a theme
and the calendar, and the background allowed by the Content Security Policy. (What the
browser draws is tested in tests/browser/test_maps.py.)"""

import json
import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

import pytest

from cms.settings.base import tile_origins
from region_pages.models import EventCalendarPage, EventPage, Theme
from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def rana(home):
    page = factories.MunicipalityPageFactory(
        parent=home,
        title="Rana",
        slug="rana",
        municipality_number="1833",
        body=[
            factories.leisure(name="Svartisen </script><b>", latitude=66.6, longitude=13.9),
            factories.leisure(name="Uten kart", latitude=None, longitude=None),
            factories.school(
                name="Ytteren skole", coordinates={"latitude": 66.3, "longitude": 14.1}
            ),
        ],
    )
    return publish(page)


def markers_in(html: str, map_id: str = "map") -> list[dict]:
    found = re.search(
        rf'<script id="{map_id}-markers" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, f"no markers for {map_id}"
    return json.loads(found.group(1))


def test_a_municipality_page_marks_its_places_with_coordinates(client, rana):
    html = client.get(rana.url).content.decode()
    marker, school = markers_in(html, "municipality-map")  # in the page's order
    assert school["name"] == "Ytteren skole"
    assert marker["name"] == "Svartisen </script><b>"  # escaped in the page, whole in the data
    assert "Svartisen </script>" not in html
    assert (marker["latitude"], marker["longitude"]) == (66.6, 13.9)
    assert marker["url"].startswith("#block-")
    assert 'aria-controls="municipality-map-figure"' in html
    assert "Vis på kart" in html


def test_a_theme_page_marks_the_places_it_lists_with_links_to_them(client, home, rana):
    leisure = publish(factories.ThemePageFactory(parent=home, theme=Theme.LEISURE, slug="fritid"))
    html = client.get(leisure.url).content.decode()
    [marker] = markers_in(html)  # the leisure activity with coordinates, not the school
    assert marker["url"].startswith(f"{rana.url}#block-")
    # Filtered to a municipality whose places have no coordinates: no map at all.
    hemnes = factories.MunicipalityPageFactory(
        parent=home,
        title="Hemnes",
        slug="hemnes",
        municipality_number="1832",
        body=[factories.leisure(name="Uten kart", latitude=None, longitude=None)],
    )
    publish(hemnes)
    other = client.get(leisure.url + "?kommune=1832").content.decode()
    assert "data-map-block" not in other


def test_the_calendar_marks_its_events_with_a_place(client, home):
    calendar = EventCalendarPage(title="Hva skjer", slug="hva-skjer")
    home.add_child(instance=calendar)
    publish(calendar)
    start = timezone.now() + timedelta(days=3)
    for title, latitude in (("Konsert", 66.31), ("Foredrag", None)):
        event = EventPage(
            title=title,
            slug=title.lower(),
            intro=f"Om {title}.",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            municipality_number="1833",
            place_name="Moheia",
            latitude=latitude,
            longitude=14.14 if latitude else None,
            category="music",
        )
        calendar.add_child(instance=event)
        publish(event)
    html = client.get(calendar.url).content.decode()
    [marker] = markers_in(html)
    assert (marker["name"], marker["detail"]) == ("Konsert", "Moheia")


def test_the_map_scripts_come_from_the_site_and_its_background_is_allowed(client, rana):
    response = client.get(rana.url)
    html = response.content.decode()
    assert 'data-leaflet-js="/static/leaflet/leaflet.js"' in html
    img_src = re.search(r"img-src ([^;]*)", response["Content-Security-Policy"]).group(1)
    for origin in tile_origins(settings.MAP_TILE_URL):
        assert origin in img_src.split()


@pytest.mark.parametrize(
    ("url", "origins"),
    [
        (
            "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png",
            ["https://cache.kartverket.no"],
        ),
        ("http://127.0.0.1:8000/tiles/{z}/{x}/{y}.png", ["http://127.0.0.1:8000"]),
        ("", []),
    ],
)
def test_the_tiles_origin_is_read_from_the_setting(url, origins):
    assert tile_origins(url) == origins
