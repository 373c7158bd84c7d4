"""The demo's second region, Mosjøenregionen, in headless Chromium on its own host
(mosjoen.localhost, which the browser sends to this machine): its own name, theme and
municipalities, nothing of the first region, and no axe-core violations in its colours."""

from urllib.parse import urlsplit

import pytest

from .test_site import AXE_OPTIONS, WIDTHS, _axe, _format_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES = ["/nb/", "/en/", "/nb/vefsn/", "/en/hattfjelldal/"]


def second_region(live_site: str) -> str:
    return f"http://mosjoen.localhost:{urlsplit(live_site).port}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_the_second_region_is_served_on_its_host_in_its_colours(
    new_context, live_site, artifacts_dir, path, width
):
    page = new_context(locale="en-GB", viewport=WIDTHS[width]).new_page()
    response = page.goto(second_region(live_site) + path)
    assert response is not None and response.status == 200, path
    header = page.locator("header.site-header").inner_text()
    assert "Mosjøenregionen" in header and "Ranaregionen" not in header
    stylesheets = page.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(link => link.href)"
    )
    assert any("designsystemet/mosjoenregionen" in href for href in stylesheets), stylesheets
    body = page.locator("body").inner_text()
    assert "Hemnes" not in body and "Lurøy" not in body
    slug = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=artifacts_dir / f"mosjoen-{slug}-{width}.png", full_page=True)

    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    report = _format_violations(violations)
    assert not violations, f"axe-core found {len(violations)} violation(s) on {path}:\n{report}"
