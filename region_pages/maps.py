"""The items of a page as markers on a map: a name, a place and where to read more.

The map is an enhancement drawn by the browser (Leaflet, `cms/static/js/map.js`); the
list of the same items on the page stays the content. Only items with coordinates are
marked. The background is `MAP_TILE_URL` (Kartverket's open topographic map in
production); when it cannot be loaded the map says so and keeps its markers.
"""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Marker:
    name: str
    latitude: float
    longitude: float
    url: str
    detail: str = ""


def entry_markers(entries, *, same_page: bool = False) -> list[dict]:
    """Markers for read-model entries; their links go to the block on its page (or to the
    block's anchor alone when the map is on that page)."""
    markers = []
    for entry in entries:
        if entry.latitude is None or entry.longitude is None:
            continue
        url = f"#{entry.anchor}" if same_page else f"{entry.page.url}#{entry.anchor}"
        markers.append(
            asdict(
                Marker(entry.name, entry.latitude, entry.longitude, url, str(entry.category_label))
            )
        )
    return markers


def event_markers(events) -> list[dict]:
    return [
        asdict(Marker(event.title, event.latitude, event.longitude, event.url, event.place_name))
        for event in events
        if event.latitude is not None and event.longitude is not None
    ]
