"""The translation round in headless Chromium, on the demo site.

The coordinator changes Nesna's page and synchronises its English translation; the
translator translates one of the two new texts in wagtail-localize's editor and is offered
nothing a translator may not do; the coordinator publishes the English page, is told how
many texts are still Norwegian, and publishes anyway. Screenshots go with the editors'
walk-through (docs/editors.md uses some of them).

Not marked `database_matters`: nothing here depends on the database backend that the
server-side tests of the same steps (tests/translations/) do not run on both.
"""

import pytest
from playwright.sync_api import expect

from .test_editor_walkthrough import edit_url_of, log_in, open_footer_menu

# The browser tests share one worker, so that the demo site is built once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


NEW_INTRO = "Nesna er en kystkommune med lang tradisjon som skolested, og med ferje til øyene."
NEW_INTRO_EN = (
    "Nesna is a coastal municipality with a long tradition of schools, and ferries to the islands."
)
NEW_DESCRIPTION = "Nesna: skole, øyer og ferje."


def test_a_change_is_synced_translated_and_published_with_its_gap_named(
    live_site, new_context, shots
):
    """The coordinator changes Nesna's page and synchronises its translation; the
    translator translates one of the two new texts and is offered nothing a translator
    may not do; the coordinator publishes the English page, is told that one text is
    still Norwegian, and publishes anyway."""
    # ---- the coordinator changes two texts and publishes --------------------------------
    coordinator = log_in(new_context(locale="nb-NO"), live_site, "koordinator", shots)
    norwegian = edit_url_of(coordinator, live_site, "Nesna")
    coordinator.goto(norwegian)
    coordinator.fill("textarea[name='intro']", NEW_INTRO)
    coordinator.get_by_role("tab", name="Fremhev").click()
    coordinator.fill("[name='search_description']", NEW_DESCRIPTION)
    open_footer_menu(coordinator)
    coordinator.locator("button[name='action-publish']").click()
    expect(coordinator.locator(".messages")).to_contain_text("er publisert")

    # ---- and synchronises the English page (not published yet) ---------------------------
    coordinator.goto(norwegian)
    coordinator.locator("header [data-w-dropdown-target='toggle']").first.click()
    coordinator.get_by_role("link", name="Synkroniser oversatte sider").click()
    expect(coordinator.locator("main")).to_contain_text("English (Nesna)")
    coordinator.screenshot(path=shots / "13-synkroniser.png")
    coordinator.get_by_role("button", name="Send inn").click()
    expect(coordinator.locator(".messages")).to_contain_text("er oppdatert")

    # ---- the translator translates the new introduction ---------------------------------
    translator = log_in(new_context(locale="nb-NO"), live_site, "oversetter", shots)
    english = edit_url_of(translator, live_site, "Nesna", language="English")
    translator.goto(english)
    intro = translator.locator("li", has_text=NEW_INTRO).last
    intro.get_by_role("button", name="Oversett", exact=True).click()
    intro.locator("textarea").fill(NEW_INTRO_EN)
    intro.get_by_role("button", name="Lagre", exact=True).click()
    # Stored: the segment shows the translation, with "Rediger" to change it again.
    expect(intro.get_by_role("button", name="Rediger", exact=True)).to_be_visible()
    expect(intro).to_contain_text(NEW_INTRO_EN)
    translator.screenshot(path=shots / "14-oversetter.png")
    # Offered nothing a translator may not do, and in Norwegian.
    expect(translator.get_by_text("Gjør om til aliasside")).to_have_count(0)
    expect(translator.locator("[data-w-action-url-value$='/disable/']")).to_be_hidden()
    expect(translator.locator("footer .w-sr-only", has_text="Flere handlinger")).to_have_count(1)
    expect(translator.locator("footer")).not_to_contain_text("More actions")
    expect(translator.get_by_text("Oversett med DeepL")).to_be_disabled()

    # ---- the coordinator publishes the English page and is told about the gap -----------
    coordinator.goto(english)
    publish = coordinator.locator("button[name='action'][value='publish']")
    if not publish.is_visible():
        open_footer_menu(coordinator)
    publish.click()
    question = coordinator.locator("[data-untranslated]")
    expect(question).to_have_attribute("data-untranslated", "1")
    expect(question).to_contain_text("1 av de")
    expect(question).to_contain_text("er ikke oversatt til engelsk")
    coordinator.screenshot(path=shots / "15-publiser-med-hull.png")
    coordinator.get_by_role("button", name="Publiser likevel").click()
    expect(coordinator.locator(".messages")).to_contain_text("Publiserte «Nesna»")

    # ---- readers see the translated introduction ----------------------------------------
    reader = new_context(locale="en-GB").new_page()
    reader.goto(f"{live_site}/en/nesna/")
    expect(reader.locator("main")).to_contain_text(NEW_INTRO_EN)
