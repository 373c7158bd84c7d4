"""An editor's day in headless Chromium, on the demo site.

The Lurøy officer logs in, adds a leisure activity with a map location to Lurøy's page
and submits it; the regional coordinator approves it; the activity is then on the
Norwegian page, in the read model (the leisure theme page lists entries from it) and in
the partner API. Screenshots of each step go to test-artifacts/editors/ (docs/editors.md
uses some of them).
"""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from demo.accounts import DEMO_PASSWORD

# One test worker runs every browser test, so that the demo site is built once.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.database_matters,
    pytest.mark.xdist_group("browser"),
]

ACTIVITY = "Kajakk rundt Lovund"
# How long the autosave may take on a busy two-core machine before the test fails.
AUTOSAVE_TIMEOUT_MS = 120_000


def log_in(context, live_site, username, shots, shot_name=None):
    page = context.new_page()
    page.goto(f"{live_site}/admin/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", DEMO_PASSWORD)
    if shot_name:
        page.screenshot(path=shots / shot_name)
    page.click("button[type='submit']")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def edit_url_of(page, live_site, title, language="Norsk bokmål"):
    """The admin edit address of the page with this title in this language.

    The admin's page search has no language filter and lists a page and its
    translations (same title) in the order of its relevance ranking, which differs
    between database backends; so pick the row by the language label it shows.
    """
    page.goto(f"{live_site}/admin/pages/search/?q={title}")
    exactly = re.compile(rf"^\s*{re.escape(title)}\s*$")
    in_language = re.compile(rf"^\s*{re.escape(language)}\s*$")
    rows = (
        page.locator("tbody tr")
        .filter(has=page.locator(".w-status--label", has_text=in_language))
        .filter(has=page.locator("a[href$='/edit/']", has_text=exactly))
    )
    expect(rows).to_have_count(1)
    link = rows.locator("a[href$='/edit/']", has_text=exactly)
    return live_site + link.get_attribute("href")


# Runs in every page of the officer's browser before the page's own scripts. It records
# Wagtail's editor events: `w-unsaved:watch-edits` (the editor has taken its snapshot of
# the form and from now on notices changes; a change made before that is never
# autosaved), `w-autosave:save` (the form data being sent) and `w-autosave:success`
# (that data is stored).
RECORD_AUTOSAVES = """
window.autosaves = {watching: false, sending: null, stored: null, errors: []};
window.autosaveSnapshot = () => {
    const form = document.querySelector("form[data-controller~='w-autosave']");
    return [...new FormData(form).entries()].map(([key, value]) => key + "=" + value);
};
document.addEventListener("w-unsaved:watch-edits", () => {
    window.autosaves.watching = true;
});
document.addEventListener("w-autosave:save", () => {
    window.autosaves.sending = window.autosaveSnapshot();
});
document.addEventListener("w-autosave:success", () => {
    window.autosaves.stored = window.autosaves.sending;
});
document.addEventListener("w-autosave:error", (event) => {
    window.autosaves.errors.push(event.detail.type + ": " + event.detail.text);
});
"""

# True once the server has confirmed an autosave carrying the fields' current values.
FIELDS_STORED = """(prefix) => {
    const stored = window.autosaves.stored;
    if (stored === null) return false;
    const ours = (entries) => entries.filter((entry) => entry.startsWith(prefix)).join("&");
    return ours(stored) === ours(window.autosaveSnapshot());
}"""


def wait_until_watching(page):
    """Wait until the editor notices changes (it takes its snapshot after loading)."""
    page.wait_for_function("() => window.autosaves.watching", timeout=AUTOSAVE_TIMEOUT_MS)


def wait_until_stored(page, prefix):
    """Wait until an autosave the server confirmed holds every field under `prefix`.

    Autosave posts the form a while after the last change. The officer here submits only
    once the new block is stored as a draft, as the header's "Saved" tells them; the
    test waits for that event itself (the server's answer to the autosave carrying
    these values), not for a fixed time.
    """
    try:
        page.wait_for_function(FIELDS_STORED, arg=prefix, timeout=AUTOSAVE_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        # Say what the editor knew: the errors autosave reported (the server's log is in
        # test-artifacts/browser/runserver-*.log).
        state = page.evaluate("window.autosaves")
        pytest.fail(f"The autosave did not store the new block: {state}")
    expect(page.locator("#w-autosave-indicator")).to_have_attribute(
        "data-w-autosave-state-value", "saved", timeout=AUTOSAVE_TIMEOUT_MS
    )


def open_footer_menu(page):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def test_an_activity_goes_from_the_officer_to_the_public(live_site, new_context, shots):
    # ---- the Lurøy officer adds an activity and submits it --------------------------
    officer_context = new_context(locale="nb-NO")
    officer_context.add_init_script(RECORD_AUTOSAVES)
    officer = log_in(officer_context, live_site, "redaktor-luroy", shots, "01-innlogging.png")
    officer.screenshot(path=shots / "02-dashbord.png")
    edit_url = edit_url_of(officer, live_site, "Lurøy")
    officer.goto(edit_url)
    wait_until_watching(officer)
    officer.screenshot(path=shots / "03-kommuneside.png")

    names_before = officer.locator("input[name$='-value-name']").count()
    officer.locator("button[title='Sett inn en blokk'], .c-sf-add-button").last.click()
    officer.screenshot(path=shots / "04-velg-blokk.png")
    officer.get_by_role("option", name=re.compile("Fritidsaktivitet")).first.click()
    name = officer.locator("input[name$='-value-name']").nth(names_before)
    expect(name).to_be_visible()
    prefix = name.get_attribute("name").removesuffix("-value-name")
    name.fill(ACTIVITY)
    officer.select_option(f"select[name='{prefix}-value-category']", "water")
    officer.check(f"input[name='{prefix}-value-seasons'][value='summer']")
    officer.fill(
        f"textarea[name='{prefix}-value-description']",
        "Padle rundt Lovund om sommeren og se lundefuglene fra sjøen.",
    )
    officer.fill(f"input[name='{prefix}-value-place_name']", "Lovund")
    officer.fill(f"input[name='{prefix}-value-coordinates-latitude']", "66.37")
    officer.fill(f"input[name='{prefix}-value-coordinates-longitude']", "12.36")
    name.scroll_into_view_if_needed()
    wait_until_stored(officer, prefix)
    officer.screenshot(path=shots / "05-ny-aktivitet.png")

    open_footer_menu(officer)
    officer.screenshot(path=shots / "06-send-til-godkjenning.png")
    officer.locator("button[name='action-submit']").click()
    expect(officer.locator(".messages")).to_contain_text("godkjenning", ignore_case=True)
    officer.screenshot(path=shots / "07-sendt.png")

    # Not public before the coordinator approves.
    officer.goto(f"{live_site}/nb/luroy/")
    expect(officer.locator("main")).not_to_contain_text(ACTIVITY)

    # ---- the coordinator approves ------------------------------------------------------
    coordinator = log_in(new_context(locale="nb-NO"), live_site, "koordinator", shots)
    expect(coordinator.locator("main")).to_contain_text("Lurøy")
    coordinator.screenshot(path=shots / "08-koordinator-dashbord.png")
    review = coordinator.locator("tr", has_text="Lurøy").first
    review.locator("[data-w-dropdown-target='toggle']").first.click()  # "more actions"
    review.locator("[data-workflow-action-url*='/approve/'][data-launch-modal]").first.click()
    dialog = coordinator.locator(".modal-dialog").first
    dialog.locator("textarea").first.fill("Flott! Publiseres nå.")
    coordinator.screenshot(path=shots / "09-godkjenn.png")
    dialog.locator("button[type='submit'], input[type='submit']").first.click()
    expect(dialog).to_be_hidden()
    coordinator.goto(f"{live_site}/admin/")
    expect(coordinator.locator("tr", has_text="Lurøy")).to_have_count(0)  # nothing left
    coordinator.screenshot(path=shots / "10-godkjent.png")

    # ---- the public sees it: the page, the read model, the API -------------------------
    reader = new_context(locale="nb-NO").new_page()
    reader.goto(f"{live_site}/nb/luroy/")
    expect(reader.locator("main")).to_contain_text(ACTIVITY)
    reader.locator(f"text={ACTIVITY}").first.scroll_into_view_if_needed()
    reader.screenshot(path=shots / "11-publisert.png")

    reader.goto(f"{live_site}/nb/fritid/")  # lists the read model's entries
    expect(reader.locator("main")).to_contain_text(ACTIVITY)

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    url = f"{live_site}/api/v1/entries?municipality=luroy&kind=leisure&lang=nb&limit=100"
    with opener.open(url, timeout=10) as response:
        items = json.load(response)["items"]
    assert ACTIVITY in json.dumps(items, ensure_ascii=False)

    # ---- the English page until the activity is translated ------------------------------
    reader.goto(f"{live_site}/en/luroy/")
    english = reader.locator("main")
    expect(english).to_be_visible()
    reader.screenshot(path=shots / "12-engelsk.png")
    text = english.inner_text()
    # The English page is the last synchronised translation: the new activity is not in
    # it until the coordinator synchronises and the translator translates it.
    assert ACTIVITY not in text or "not been translated" in text
    # Until then it says that the Norwegian page has changed since this translation.
    assert "after this translation" in text
