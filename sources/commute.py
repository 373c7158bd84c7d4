"""Travel by public transport between the region's towns and villages, as the pages and
the API show it: from `CommuteLink` (Entur's journey planner)."""

from django.utils.translation import gettext_lazy as _

from region_pages.municipalities import PLACE_BY_KEY, PLACES

from .daylight import duration
from .models import CommuteLink

MODE_LABELS = {
    "bus": _("bus"),
    "coach": _("express bus"),
    "rail": _("train"),
    "water": _("boat"),
    "air": _("plane"),
    "tram": _("tram"),
    "metro": _("metro"),
}


def modes_text(modes: list[str]) -> str:
    return ", ".join(str(MODE_LABELS.get(mode, mode)) for mode in modes)


def cell(link: CommuteLink | None) -> dict | None:
    if link is None:
        return None
    return {
        "origin": PLACE_BY_KEY[link.origin].name,
        "destination": PLACE_BY_KEY[link.destination].name,
        "departures": link.departures,
        "typical": duration(link.typical_minutes) if link.typical_minutes is not None else "",
        "fastest": duration(link.fastest_minutes) if link.fastest_minutes is not None else "",
        "changes": link.fewest_changes,
        "by": modes_text(link.modes),
    }


def matrix(links: list[CommuteLink]) -> dict:
    """Rows of places, a cell for each other place (None on the diagonal or when unknown)."""
    by_pair = {(link.origin, link.destination): link for link in links}
    places = list(PLACES)
    return {
        "places": [place.name for place in places],
        "rows": [
            {
                "place": origin.name,
                "cells": [
                    cell(by_pair.get((origin.key, destination.key)))
                    if origin.key != destination.key
                    else None
                    for destination in places
                ],
            }
            for origin in places
        ],
        "day": max((link.day for link in links), default=None),
    }


def from_municipality(links: list[CommuteLink], number: str) -> list[dict]:
    """The journeys from the municipality's own places to every other place."""
    order = {place.key: position for position, place in enumerate(PLACES)}
    mine = [
        link
        for link in links
        if link.origin in PLACE_BY_KEY
        and PLACE_BY_KEY[link.origin].municipality_number == number
        and link.destination in PLACE_BY_KEY
    ]
    mine.sort(key=lambda link: (order[link.origin], order[link.destination]))
    return [cell(link) for link in mine]
