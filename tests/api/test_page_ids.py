"""`GET /api/v1/pages?ids=`: a mirror fetches the pages the change feed announced in one
request; malformed lists are a 400 that names the parameter."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home, locales):
    rana = publish(factories.MunicipalityPageFactory(parent=home, slug="rana"))
    article = publish(factories.ArticlePageFactory(parent=rana, slug="bo-i-rana"))
    draft = factories.ArticlePageFactory(parent=rana, slug="utkast", live=False)
    return home, rana, article, draft


def ids_of(api, query) -> list[int]:
    response = api.get(f"/api/v1/pages?{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_only_the_pages_asked_for_in_the_trees_order(api, pages):
    home, _rana, article, _draft = pages
    assert ids_of(api, f"ids={article.pk},{home.pk}") == [home.pk, article.pk]
    assert api.get(f"/api/v1/pages?ids={article.pk},{home.pk}").json()["count"] == 2


def test_unpublished_and_unknown_ids_are_left_out(api, pages):
    _home, rana, _article, draft = pages
    assert ids_of(api, f"ids={draft.pk},{rana.pk},999999") == [rana.pk]


def test_the_feeds_ids_fetch_exactly_the_announced_pages(api, pages):
    feed = api.get("/api/v1/changes?limit=100").json()["items"]
    last = {item["id"]: item["action"] for item in feed if item["resource_type"] == "page"}
    announced = sorted(page for page, action in last.items() if action == "published")
    query = ",".join(map(str, announced))
    fetched = api.get(f"/api/v1/pages?ids={query}&limit=100").json()["items"]
    assert sorted(item["id"] for item in fetched) == announced


@pytest.mark.parametrize(
    "ids",
    ["", "1,,2", "0", "-1", "1.5", "a", "1, 2", "01", "1" * 19, ",".join(["1"] * 101)],
)
def test_a_malformed_list_is_a_400_naming_ids(api, pages, ids):
    response = api.get(f"/api/v1/pages?ids={ids}")
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"].endswith("invalid-parameters")
    assert [error["name"] for error in problem["errors"]] == ["ids"]


# No deadline: a request's time on a busy machine is not what the test is about.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.integers(min_value=1, max_value=2**40), min_size=1, max_size=100))
def test_any_well_formed_list_is_answered(api, pages, numbers):
    response = api.get(f"/api/v1/pages?ids={','.join(map(str, numbers))}")
    assert response.status_code == 200
    live = {page.pk for page in pages[:3]}
    assert {item["id"] for item in response.json()["items"]} == live & set(numbers)
