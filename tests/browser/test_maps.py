"""The maps of a municipality's, a theme's and the calendar's places, in Chromium: shown on
request, drawn with Leaflet, keyboard-usable, accessible with their background or without
it, and never in the way of the list of the same places."""

import base64
import re

import pytest
from playwright.sync_api import expect

from .test_site import AXE_OPTIONS, WIDTHS, _axe, _format_violations

# With the other browser tests, on the one demo site they share.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# A one-pixel PNG: what a tile server answers, as far as the browser can tell.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
MAP_PAGES = {
    "municipality": "/en/rana/",
    "theme": "/en/leisure/",
    "calendar": "/en/whats-on/",
}


def open_map(page, button_name="Show on a map"):
    page.get_by_role("button", name=button_name).click()
    figure = page.locator(".map-figure")
    # Drawn: the markers are on it, and it knows whether its background came.
    expect(figure).to_have_attribute("data-background", re.compile("loaded|missing"))
    return figure


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", MAP_PAGES)
def test_an_open_map_without_its_background_has_no_axe_violations(
    new_context, live_site, artifacts_dir, name, width
):
    page = new_context(locale="en-GB", viewport=WIDTHS[width]).new_page()
    page.goto(live_site + MAP_PAGES[name])
    figure = open_map(page)
    expect(figure).to_have_attribute("data-background", "missing")
    expect(figure.locator("[data-map-notice]")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"map-{name}-{width}.png", full_page=True)
    violations = [
        violation
        for violation in _axe.run(page, options=AXE_OPTIONS).response["violations"]
        if not equivalent_elsewhere(violation)
    ]
    assert not violations, _format_violations(violations)


def equivalent_elsewhere(violation) -> bool:
    """Markers that crowd each other where places lie close: WCAG 2.2's 2.5.8 excepts a
    target whose function a conforming control on the same page also offers, and each
    marker's one link is in the list of places below the map."""
    return violation["id"] == "target-size" and all(
        "leaflet-marker-icon" in node["html"] for node in violation["nodes"]
    )


def test_the_map_is_shown_on_request_and_its_places_are_the_lists(new_context, live_site):
    page = new_context(locale="en-GB").new_page()
    page.goto(f"{live_site}/en/leisure/")
    figure = page.locator(".map-figure")
    expect(figure).to_be_hidden()
    # Leaflet is not loaded until the reader asks for the map.
    assert page.evaluate("typeof window.L") == "undefined"
    open_map(page)
    markers = page.locator(".leaflet-marker-icon")
    names = sorted(markers.evaluate_all("icons => icons.map(icon => icon.textContent)"))
    assert len(names) == int(figure.get_attribute("data-markers")) >= 3
    listed = page.locator(".entry-list h3 a").all_inner_texts()
    assert set(names) <= set(listed)
    # Without a background each place is named on the map itself.
    expect(page.locator(".leaflet-tooltip")).to_have_count(len(names))
    button = page.get_by_role("button", name="Hide the map")
    expect(button).to_have_attribute("aria-expanded", "true")
    button.click()
    expect(figure).to_be_hidden()
    expect(page.get_by_role("button", name="Show on a map")).to_have_attribute(
        "aria-expanded", "false"
    )


def test_a_marker_is_reached_and_opened_by_keyboard(new_context, live_site):
    page = new_context(locale="en-GB").new_page()
    page.goto(f"{live_site}/en/rana/")
    open_map(page)
    first = page.get_by_role("button", name="Cross-country skiing in Mo i Rana")
    first.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("Cross-country skiing in Mo i Rana")
    # On the municipality's own page the popup leads to the block, further down.
    assert link.get_attribute("href").startswith("#block-")


def test_with_its_background_the_map_shows_the_tiles_and_no_notice(new_context, live_site):
    context = new_context(locale="en-GB")
    asked = []

    def serve(route):
        asked.append(route.request.url)
        route.fulfill(status=200, body=TILE, content_type="image/png")

    context.route(re.compile(r".*/map-tiles/\d+/\d+/\d+\.png$"), serve)
    page = context.new_page()
    page.goto(f"{live_site}/en/whats-on/")
    figure = open_map(page)
    expect(figure).to_have_attribute("data-background", "loaded")
    expect(figure.locator("[data-map-notice]")).to_be_hidden()
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Kartverket")
    assert asked


def test_without_javascript_the_list_is_all_there_is(new_context, live_site):
    page = new_context(locale="en-GB", java_script_enabled=False).new_page()
    page.goto(f"{live_site}/en/leisure/")
    expect(page.locator(".map-block button")).to_be_hidden()
    expect(page.locator(".map-figure")).to_be_hidden()
    expect(page.locator(".entry-list").first).to_be_visible()
