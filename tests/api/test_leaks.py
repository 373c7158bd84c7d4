"""Never leak: drafts, unpublished pages, private pages, pages in a workflow and revisions
never appear in lists, details, the change feed or the API's search."""

import json

from django.contrib.auth.models import Group

from wagtail.models import GroupApprovalTask, PageViewRestriction, Workflow, WorkflowTask

import pytest

from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db

SECRET = "Hemmelig"


def everything(api, lang="nb") -> str:
    """Every list and every detail the API serves, as one text to search for secrets."""
    answers = [
        api.get(f"/api/v1/region?lang={lang}"),
        api.get(f"/api/v1/municipalities?lang={lang}&limit=100"),
        api.get(f"/api/v1/entries?lang={lang}&limit=100"),
        api.get(f"/api/v1/pages?lang={lang}&limit=100"),
        api.get("/api/v1/changes?limit=1000"),
    ]
    texts = [answer.content.decode() for answer in answers]
    for answer in answers[1:4]:
        for item in answer.json()["items"]:
            texts.append(api.get(item["api_url"]).content.decode())
    for municipality in answers[1].json()["items"]:
        texts.append(api.get(f"/api/v1/municipalities/{municipality['number']}").content.decode())
    return "\n".join(texts)


def found_by_search(api, lang="nb") -> int:
    """How many results the API's search gives for the secret word."""
    response = api.get(f"/api/v1/search?q={SECRET}&lang={lang}")
    assert response.status_code == 200, response.content
    return response.json()["count"]


def feed_ids(api) -> set:
    return {(c["resource_type"], str(c["id"])) for c in api.get("/api/v1/changes").json()["items"]}


@pytest.fixture
def rana(home, locales):
    return publish(
        factories.MunicipalityPageFactory(
            parent=home,
            title="Rana",
            slug="rana",
            municipality_number="1833",
            body=[factories.school(name="Ytteren skole")],
        )
    )


def secret_municipality(home, **kwargs):
    return factories.MunicipalityPageFactory(
        parent=home,
        title=SECRET,
        slug="hemmelig",
        municipality_number="1899",
        body=[factories.school(name=f"{SECRET} skole"), factories.leisure(name=f"{SECRET} tur")],
        **kwargs,
    )


def assert_not_served(api, page):
    assert SECRET not in everything(api)
    assert found_by_search(api) == 0
    assert api.get(f"/api/v1/pages/{page.pk}").status_code == 404
    assert api.get("/api/v1/municipalities/1899").status_code == 404
    for block in page.body:
        assert api.get(f"/api/v1/entries/{block.id}").status_code == 404
    assert ("page", str(page.pk)) not in feed_ids(api)


def test_a_draft_never_appears(api, home, rana):
    page = secret_municipality(home, live=False)
    page.save_revision()
    assert_not_served(api, page)


def test_an_unpublished_page_disappears_with_tombstones(api, home, rana):
    page = publish(secret_municipality(home))
    assert SECRET in everything(api)
    assert found_by_search(api) > 0
    page.unpublish()
    assert SECRET not in everything(api)
    assert found_by_search(api) == 0
    assert api.get(f"/api/v1/pages/{page.pk}").status_code == 404
    changes = api.get("/api/v1/changes").json()["items"]
    last = {(c["resource_type"], str(c["id"])): c["action"] for c in changes}
    assert last[("page", str(page.pk))] == "unpublished"
    assert {last[("entry", block.id)] for block in page.body} == {"unpublished"}


def test_a_private_page_is_never_served_and_becoming_private_is_a_tombstone(api, home, rana):
    page = publish(secret_municipality(home))
    before = api.get("/api/v1/changes").json()["next_cursor"]
    assert found_by_search(api) > 0
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert found_by_search(api) == 0
    assert api.get(f"/api/v1/pages/{page.pk}").status_code == 404
    assert api.get("/api/v1/entries?municipality=1899").json()["count"] == 0
    news = api.get(f"/api/v1/changes?since={before}").json()["items"]
    assert {(c["resource_type"], c["action"]) for c in news} == {
        ("page", "unpublished"),
        ("entry", "unpublished"),
    }
    listed = json.dumps(api.get("/api/v1/pages?limit=100").json())
    assert SECRET not in listed


def test_a_page_below_a_private_page_is_private_too(api, home, rana):
    article = publish(
        factories.ArticlePageFactory(parent=rana, title=f"{SECRET} artikkel", slug="under")
    )
    assert api.get(f"/api/v1/pages/{article.pk}").status_code == 200
    PageViewRestriction.objects.create(page=rana, restriction_type="password", password="x")
    assert api.get(f"/api/v1/pages/{article.pk}").status_code == 404
    assert api.get(f"/api/v1/pages/{rana.pk}").status_code == 404
    assert SECRET not in everything(api)


def test_a_revision_of_a_live_page_is_not_served(api, home, rana):
    rana.title = SECRET
    rana.body = [factories.school(name=f"{SECRET} skole")]
    rana.save_revision()
    assert SECRET not in everything(api)
    assert found_by_search(api) == 0
    served = api.get(f"/api/v1/pages/{rana.pk}").json()
    assert served["title"] == "Rana"
    assert [block["value"]["name"] for block in served["body"]] == ["Ytteren skole"]


@pytest.fixture
def workflow(db):
    workflow = Workflow.objects.create(name="Gjennomgang")
    task = GroupApprovalTask.objects.create(name="Godkjenning")
    task.groups.set(Group.objects.filter(name="Moderators"))
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def test_a_live_page_in_a_workflow_shows_only_its_live_content(
    api, home, rana, workflow, admin_user
):
    rana.title = SECRET
    rana.body = [factories.school(name=f"{SECRET} skole")]
    rana.save_revision(user=admin_user)
    workflow.start(rana, admin_user)
    assert rana.workflow_in_progress
    assert SECRET not in everything(api)
    assert found_by_search(api) == 0
    assert api.get("/api/v1/municipalities/1833").json()["title"] == "Rana"


def test_a_never_published_page_in_a_workflow_does_not_appear(
    api, home, rana, workflow, admin_user
):
    page = secret_municipality(home, live=False)
    page.save_revision(user=admin_user)
    workflow.start(page, admin_user)
    assert page.workflow_in_progress
    assert_not_served(api, page)
