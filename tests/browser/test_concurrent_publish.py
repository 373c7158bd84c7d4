"""Ten publishes of one page at once, as the coordinator's browser sends them: the page
ends live with its latest revision, and the admin does not call it changed."""

import re

import pytest

from demo.accounts import DEMO_PASSWORD

from .test_editor_walkthrough import edit_url_of

# One test worker runs every browser test, so that the demo site is built once.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.database_matters,
    pytest.mark.xdist_group("browser"),
]

# Posts the editor's form ten times at once with "Publish", from the page itself.
PUBLISH_AT_ONCE = """async (times) => {
    const form = document.querySelector("#page-edit-form");
    const publish = () => {
        const data = new FormData(form);
        data.append("action-publish", "action-publish");
        return fetch(form.action, {method: "POST", body: data}).then((answer) => answer.status);
    };
    return Promise.all(Array.from({length: times}, publish));
}"""


def test_ten_publishes_at_once_leave_the_page_live_without_unpublished_changes(
    live_site, new_context
):
    page = new_context(locale="nb-NO").new_page()
    page.goto(f"{live_site}/admin/login/")
    page.fill("input[name='username']", "koordinator")
    page.fill("input[name='password']", DEMO_PASSWORD)
    page.click("button[type='submit']")
    page.wait_for_url(re.compile(r"/admin/$"))
    edit_url = edit_url_of(page, live_site, "Nesna")
    page_id = re.search(r"/pages/(\d+)/edit/", edit_url)[1]
    page.goto(edit_url)
    page.locator("#page-edit-form").wait_for()

    statuses = page.evaluate(PUBLISH_AT_ONCE, 10)

    assert statuses == [200] * 10  # each followed its redirect back to the admin
    answer = page.request.get(f"{live_site}/admin/api/main/pages/{page_id}/")
    status = answer.json()["meta"]["status"]
    assert status["live"] is True
    assert status["has_unpublished_changes"] is False
