"""The demo site in headless Chromium: accessibility (axe-core), languages and keyboard use.

Each checked page is also saved as a screenshot in test-artifacts/browser/.
"""

import re
import urllib.request
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.sitemaps import sitemap_pages

# One test worker runs every browser test, so that the demo site is built once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["nb", "en"]
MUNICIPALITIES = {"rana": "Rana", "hemnes": "Hemnes", "luroy": "Lurøy", "nesna": "Nesna"}
# Pages below the home page by their slug in each language (English pages have English slugs).
THEMES = [
    {"nb": "arbeid", "en": "jobs"},
    {"nb": "fritid", "en": "leisure"},
    {"nb": "oppvekst", "en": "growing-up"},
]
ARTICLES = [
    {"nb": "flytte-hit", "en": "moving-here"},
    {"nb": "reise", "en": "travel"},
    {"nb": "hva-skjer", "en": "whats-on"},
]
# The demo's events, below the calendar (hva-skjer, whats-on).
EVENTS = [
    {"nb": f"hva-skjer/eksempel-{nb}", "en": f"whats-on/example-{en}"}
    for nb, en in (
        ("konsert-mo-i-rana", "concert-mo-i-rana"),
        ("turdag-hemnes", "hiking-day-hemnes"),
        ("familiedag-luroy", "family-day-luroy"),
        ("foredrag-nesna", "talk-nesna"),
        ("marked-mo-i-rana", "market-mo-i-rana"),
    )
]
# A query with results in each language, so the result list itself is checked.
SEARCH_QUERIES = {"nb": "skole", "en": "school"}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    # Off by default in axe-core: 24 px targets (WCAG 2.2's 2.5.8) are checked too.
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
# A laptop and a phone (375 by 812 CSS pixels, as an iPhone).
WIDTHS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 375, "height": 812}}
# The budget of one page: its HTML, CSS and JavaScript, before images, as served.
PAGE_WEIGHT_LIMIT = 150 * 1024
TAB_LIMIT = 60

# The search page's address is translated: /nb/sok/ and /en/search/; so are the privacy
# statement's and the sitemap's.
SEARCH_PATHS = {"nb": "sok", "en": "search"}
OWN_PAGES = {
    "privacy": {"nb": "personvern", "en": "privacy"},
    "sitemap": {"nb": "nettstedskart", "en": "sitemap"},
}

_axe = Axe()  # reads the bundled axe.min.js once


def _checked_pages() -> list:
    """Every page type in both languages: (language, name, path, expected HTTP status)."""
    cases = []
    for lang in LANGUAGES:
        cases.append((lang, "home", f"/{lang}/", 200))
        cases += [(lang, slug, f"/{lang}/{slug}/", 200) for slug in MUNICIPALITIES]
        cases += [(lang, s[lang], f"/{lang}/{s[lang]}/", 200) for s in THEMES + ARTICLES]
        cases += [(lang, s[lang].split("/")[1], f"/{lang}/{s[lang]}/", 200) for s in EVENTS]
        search_path = SEARCH_PATHS[lang]
        cases.append((lang, "search", f"/{lang}/{search_path}/?q={SEARCH_QUERIES[lang]}", 200))
        cases += [(lang, name, f"/{lang}/{paths[lang]}/", 200) for name, paths in OWN_PAGES.items()]
        cases.append((lang, "404", f"/{lang}/finnes-ikke-does-not-exist/", 404))
    return [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in cases]


CHECKED_PAGES = _checked_pages()


def _format_violations(violations: list[dict]) -> str:
    """Each violation with what a developer needs to find and fix it."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} [{violation['impact']}]: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            # A target is a list of selectors: more than one only inside iframes/shadow DOM.
            target = " >>> ".join(str(selector) for selector in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"        {line}" for line in summary.splitlines())
    return "\n".join(lines)


def _html_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def _is_visibly_focused(locator) -> bool:
    """Whether the element has focus and a focus indicator (an outline or a box shadow)."""
    return locator.evaluate(
        """el => {
            if (el !== document.activeElement) return false;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
            return outline || style.boxShadow !== "none";
        }"""
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("lang", "name", "path", "status"), CHECKED_PAGES)
def test_page_has_no_axe_violations(
    new_context, live_site, artifacts_dir, lang, name, path, status, width
):
    page = new_context(locale="en-GB", viewport=WIDTHS[width]).new_page()
    response = page.goto(live_site + path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"
    if name == "search":
        # Otherwise axe would only see the empty-result message.
        expect(page.locator("main ol.search-results > li.search-result").first).to_be_visible()
    page.screenshot(path=artifacts_dir / f"{lang}-{name}-{width}.png", full_page=True)

    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]

    report = _format_violations(violations)
    if report:
        print(f"axe-core violations on {path}:\n{report}")
    assert not violations, f"axe-core found {len(violations)} violation(s) on {path}:\n{report}"


@pytest.mark.parametrize(("lang", "name", "path", "status"), CHECKED_PAGES)
def test_html_lang_is_the_url_language(page, live_site, lang, name, path, status):
    # Only the markup matters here: no need to wait for images and styles.
    response = page.goto(live_site + path, wait_until="domcontentloaded")
    assert response is not None
    assert response.status == status
    assert _html_lang(page) == lang


@pytest.mark.parametrize(
    "slugs", [{"nb": "rana", "en": "rana"}, THEMES[0]], ids=["municipality", "theme"]
)
def test_language_switcher_leads_to_the_same_page_and_back(page, live_site, slugs):
    page.goto(f"{live_site}/nb/{slugs['nb']}/")

    page.locator('nav.language-switcher a[hreflang="en"]').click()
    page.wait_for_url(f"{live_site}/en/{slugs['en']}/")
    assert _html_lang(page) == "en"

    page.locator('nav.language-switcher a[hreflang="nb"]').click()
    page.wait_for_url(f"{live_site}/nb/{slugs['nb']}/")
    assert _html_lang(page) == "nb"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("slug", "title"), MUNICIPALITIES.items(), ids=MUNICIPALITIES.keys())
def test_keyboard_reaches_municipality_from_home(page, live_site, artifacts_dir, lang, slug, title):
    page.goto(f"{live_site}/{lang}/")
    cards = page.locator("section[aria-labelledby='municipalities-heading'] ul.card-list")
    link = cards.locator(f"a[href='/{lang}/{slug}/']")
    expect(link).to_have_count(1)

    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail(f"{TAB_LIMIT} presses of Tab did not reach the link to {title}")

    assert _is_visibly_focused(link), f"the link to {title} has focus but no focus indicator"
    expect(link).to_be_in_viewport()
    page.screenshot(path=artifacts_dir / f"{lang}-home-focus-{slug}.png")

    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_site}/{lang}/{slug}/")
    expect(page.locator("h1")).to_have_text(title)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, live_site, artifacts_dir, lang):
    page.goto(f"{live_site}/{lang}/rana/")
    skip_link = page.locator("a.skip-link")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    assert _is_visibly_focused(skip_link), "the skip link has focus but no focus indicator"
    expect(skip_link).to_be_in_viewport()  # it is hidden off screen until focused
    page.screenshot(path=artifacts_dir / f"{lang}-skip-link-focus.png")

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [("en-GB,en;q=0.9", "en"), ("nb-NO", "nb")],
)
def test_root_redirects_by_accept_language(new_context, live_site, accept_language, lang):
    # No locale for this context: Chromium's locale emulation would replace the header.
    context = new_context(extra_http_headers={"Accept-Language": accept_language})
    page = context.new_page()

    page.goto(f"{live_site}/")

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_site)}/{lang}/$"))
    assert _html_lang(page) == lang


def test_on_a_phone_the_header_is_short_and_its_parts_open_by_keyboard(
    new_context, live_site, artifacts_dir
):
    page = new_context(locale="en-GB", viewport=WIDTHS["phone"]).new_page()
    page.goto(f"{live_site}/en/rana/")
    header = page.locator("header.site-header")
    menu_button = header.get_by_role("button", name="Menu")
    menu_link = page.locator("nav.site-nav a[href='/en/hemnes/']")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_link).to_be_hidden()
    # The page's own heading is on the first screen, not below the search and the menu.
    assert header.bounding_box()["height"] <= 120
    expect(page.locator("h1")).to_be_in_viewport()
    page.screenshot(path=artifacts_dir / "en-rana-phone-header.png")

    menu_button.focus()
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    expect(page.locator("nav.site-nav a").first).to_be_focused()
    page.screenshot(path=artifacts_dir / "en-rana-phone-menu-open.png")
    page.keyboard.press("Escape")
    expect(menu_link).to_be_hidden()
    expect(menu_button).to_be_focused()

    search_button = header.get_by_role("button", name="Search")
    search_button.click()
    expect(page.locator("#site-search-q")).to_be_focused()
    page.keyboard.type("school")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/search/\?q=school"))


def test_the_header_is_whole_on_a_wide_screen(page, live_site):
    page.goto(f"{live_site}/en/rana/")
    expect(page.locator(".site-header__toggles")).to_be_hidden()
    expect(page.locator("#site-search-q")).to_be_visible()
    expect(page.locator("nav.site-nav a[href='/en/hemnes/']")).to_be_visible()


WEIGHED_PAGES = [
    "/nb/",
    "/en/",
    "/nb/rana/",
    "/en/rana/",
    "/en/jobs/",
    "/en/leisure/",
    "/en/growing-up/",
]


@pytest.mark.parametrize("path", WEIGHED_PAGES)
def test_a_page_is_small_and_asks_no_one_else(page, live_site, path):
    """At most 150 KB of HTML, CSS and JavaScript before images, as the browser received
    them (uncompressed); and every request goes to the site itself (no fonts, scripts or
    trackers from elsewhere)."""
    page.goto(live_site + path, wait_until="load")
    # The browser's own record of what the page loaded, complete once "load" has fired.
    entries = page.evaluate(
        """() => performance.getEntriesByType("navigation")
            .concat(performance.getEntriesByType("resource"))
            .map(e => ({url: e.name, type: e.initiatorType, bytes: e.decodedBodySize}))"""
    )
    weights = {
        entry["url"]: entry["bytes"]
        for entry in entries
        if entry["type"] in ("navigation", "link", "script")
    }
    assert any(url.endswith(".css") for url in weights), f"no stylesheet was loaded: {weights}"
    total = sum(weights.values())
    assert total <= PAGE_WEIGHT_LIMIT, f"{path}: {total} bytes: {weights}"
    assert [e["url"] for e in entries if not e["url"].startswith(live_site)] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_charts_text_is_at_least_12_px_on_screen(new_context, live_site, width):
    page = new_context(locale="en-GB", viewport=WIDTHS[width]).new_page()
    # The size a reader sees: the font size in the SVG's units times the SVG's scale.
    measure = """() => [...document.querySelectorAll("svg.chart text")].map(
            text => text.getScreenCTM().a * parseFloat(getComputedStyle(text).fontSize))"""
    page.goto(f"{live_site}/en/")
    sizes = page.evaluate(measure)
    assert len(sizes) >= 5 * 5  # five population charts, five labels each
    assert min(sizes) >= 12, sizes
    page.goto(f"{live_site}/en/rana/")
    sizes = page.evaluate(measure)
    assert len(sizes) == 5 + 4  # the daylight chart: five hours, four months
    assert min(sizes) >= 12, sizes


def test_every_page_in_the_sitemap_is_among_the_pages_checked_above(live_site):
    """A page added to the demo cannot escape the accessibility checks."""

    def get(path: str) -> bytes:
        with urllib.request.urlopen(f"{live_site}{path}") as response:  # noqa: S310 - loopback
            return response.read()

    listed = {
        urlsplit(loc.text).path
        for page in sitemap_pages(get)
        for loc in page.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    checked = {case.values[2] for case in CHECKED_PAGES if case.values[3] == 200}
    assert len(listed) >= 20
    assert listed <= checked, sorted(listed - checked)


def test_the_arrival_guide_ticks_stay_in_this_browser_in_both_languages(
    new_context, live_site, artifacts_dir
):
    """Ticks are kept in the browser's storage (no cookie, nothing sent) and the same steps
    are ticked in the other language; the page itself is a plain list the server sends."""
    context = new_context(locale="en-GB", viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(f"{live_site}/en/moving-here/")
    steps = page.locator("ol.arrival-steps > li")
    total = steps.count()
    assert total >= 8
    progress = page.locator("[data-arrival-progress]")
    expect(progress).to_have_text(re.compile(rf"You have done 0 of {total} steps"))

    gp = page.get_by_role("checkbox", name=re.compile("Done: Choose a GP"))
    gp.focus()
    page.keyboard.press("Space")
    expect(progress).to_have_text(re.compile(rf"You have done 1 of {total} steps"))
    page.screenshot(path=artifacts_dir / "en-arrival-guide-ticked-phone.png", full_page=True)

    page.reload()
    expect(page.get_by_role("checkbox", name=re.compile("Done: Choose a GP"))).to_be_checked()
    page.goto(f"{live_site}/nb/flytte-hit/")
    expect(page.get_by_role("checkbox", name=re.compile("Gjort: Velg fastlege"))).to_be_checked()
    expect(page.locator("[data-arrival-progress]")).to_have_text(
        re.compile(rf"Du har gjort 1 av {total} steg")
    )
    assert context.cookies() == []


def test_a_family_finds_what_it_needs_from_the_english_front_page_on_a_phone(
    new_context, live_site, artifacts_dir
):
    """The four questions of a family considering a move, each answered within three
    clicks from /en/ on a phone, with the answer on the screen."""
    page = new_context(locale="en-GB", viewport=WIDTHS["phone"]).new_page()

    # Who to call: on the front page itself, no click.
    page.goto(f"{live_site}/en/")
    contact = page.locator("section[aria-labelledby='newcomer-contact-heading']")
    expect(contact.locator("a[href^='tel:+47']")).to_be_visible()
    expect(contact.locator("a[href^='mailto:']")).to_be_visible()

    # Vacancies in all four municipalities: the menu, then Jobs (two clicks).
    page.get_by_role("button", name="Menu").click()
    page.locator("nav.site-nav").get_by_role("link", name=re.compile("Work|Jobs")).click()
    expect(page.locator("#vacancies-heading")).to_be_visible()
    page.screenshot(path=artifacts_dir / "en-family-vacancies-phone.png")

    # Hemnes kindergartens and how to apply: the Hemnes card (one click).
    page.goto(f"{live_site}/en/")
    page.locator("main").get_by_role("link", name="Hemnes", exact=True).click()
    schools = page.locator("section.page-section--schools")
    expect(schools.get_by_role("heading", name="Admission: A kindergarten place")).to_be_visible()
    expect(schools.get_by_role("link", name="Apply for a kindergarten place")).to_be_visible()
    expect(schools.get_by_role("table", name="Kindergartens")).to_contain_text("Hemnes")
    page.screenshot(path=artifacts_dir / "en-family-hemnes-kindergartens-phone.png")

    # Winter leisure: the Leisure card, then the season (three clicks at most).
    page.goto(f"{live_site}/en/")
    page.locator("main").get_by_role("link", name="Leisure", exact=True).click()
    page.get_by_label("Season").select_option("winter")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#entries-count")).to_contain_text("shown")
    expect(page.get_by_role("heading", name="Winter")).to_be_visible()
