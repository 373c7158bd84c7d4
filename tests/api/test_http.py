"""HTTP done right: validators and 304s, caching, CORS, and problem details for every
bad request (never a 500)."""

import json
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from urllib.parse import urlencode

from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from region_pages.api import http
from region_pages.models import ContentVersion
from tests import factories
from tests.conftest import publish, shared_for_the_module

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/api/v1/region",
    "/api/v1/municipalities?lang=en",
    "/api/v1/entries?kind=leisure",
    "/api/v1/pages",
    "/api/v1/changes",
    "/api/v1/openapi.json",
]


def build_small_region(home):
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home, slug="rana", municipality_number="1833", body=[factories.leisure()]
        )
    )
    # The second of the last publish is over: `Last-Modified` is given from then on.
    settle()
    return {"home": home, "rana": rana}


# Every test here reads the same small region: built once for the module.
_region_of_the_module, small_region, home = shared_for_the_module(
    build_small_region, name="small_region"
)


def settle(seconds: float = 2) -> None:
    """Move the last change `seconds` into the past, as if the client asked later."""
    changed_at = ContentVersion.objects.get().changed_at
    ContentVersion.objects.update(changed_at=changed_at - timedelta(seconds=seconds))


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_get_has_a_strong_etag_last_modified_and_cache_control(api, small_region, url):
    response = api.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response["Last-Modified"].endswith("GMT")
    # Kept by any cache, revalidated before each use: nothing the feed announces is stale.
    assert response["Cache-Control"] == "public, no-cache"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    # The language comes from `lang`, so the answer does not vary with Accept-Language.
    assert "accept-language" not in response.get("Vary", "").lower()


def test_if_none_match_gives_304_without_rendering(
    api, small_region, django_assert_max_num_queries
):
    first = api.get("/api/v1/entries")
    with django_assert_max_num_queries(1):
        again = api.get("/api/v1/entries", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_if_modified_since_gives_304_and_a_publish_ends_it(api, small_region):
    first = api.get("/api/v1/municipalities")
    since = first["Last-Modified"]
    assert api.get("/api/v1/municipalities", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    rana = small_region["rana"]
    rana.title = "Rana kommune"
    publish(rana)
    assert api.get("/api/v1/municipalities", HTTP_IF_MODIFIED_SINCE=since).status_code == 200
    after = api.get(
        "/api/v1/municipalities",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after.json()["items"][0]["title"] == "Rana kommune"


def test_two_publishes_in_one_second_never_hide_the_second(api, small_region, monkeypatch):
    """HTTP dates have whole seconds. A client holding any date it was given, or the
    `Date` of its answer, never gets a 304 for a change made later in the same second."""
    second = datetime(2026, 12, 4, 10, 0, 0, tzinfo=UTC).timestamp()
    clock = {"now": second + 0.5}
    monkeypatch.setattr(http, "_now", lambda: clock["now"])

    def changed_at(offset):
        ContentVersion.objects.update(changed_at=datetime.fromtimestamp(second + offset, tz=UTC))

    changed_at(0.3)  # a publish at 10:00:00.3, asked for at 10:00:00.5
    first = api.get("/api/v1/municipalities")
    assert "Last-Modified" not in first  # the second is not over: only the ETag
    changed_at(0.8)  # another publish in the same second
    date_of_first_answer = formatdate(second, usegmt=True)
    assert (
        api.get("/api/v1/municipalities", HTTP_IF_MODIFIED_SINCE=date_of_first_answer).status_code
        == 200
    )
    clock["now"] = second + 1.2
    settled = api.get("/api/v1/municipalities")
    assert settled["Last-Modified"] == formatdate(second + 1, usegmt=True)
    since = settled["Last-Modified"]
    assert api.get("/api/v1/municipalities", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    changed_at(1.5)  # a publish just after the client's answer
    assert api.get("/api/v1/municipalities", HTTP_IF_MODIFIED_SINCE=since).status_code == 200


def test_etag_depends_on_the_query_but_not_on_its_order(api, small_region):
    a = api.get("/api/v1/entries?lang=nb&kind=leisure")["ETag"]
    b = api.get("/api/v1/entries?kind=leisure&lang=nb")["ETag"]
    c = api.get("/api/v1/entries?kind=leisure&lang=en")["ETag"]
    assert a == b != c


def test_a_stale_etag_or_an_old_date_gets_the_body(api, small_region):
    response = api.get(
        "/api/v1/region",
        HTTP_IF_NONE_MATCH='"not-it"',
        HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT",
    )
    assert response.status_code == 200 and response.json()["name"]


def test_head_has_the_headers_and_no_body(api, small_region):
    get = api.get("/api/v1/entries")
    head = api.head("/api/v1/entries")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]


def test_cors_preflight_allows_reading_from_any_origin(api, small_region):
    response = api.options(
        "/api/v1/entries",
        HTTP_ORIGIN="https://www.rana.kommune.no",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_writing_is_refused_with_a_problem(api, small_region):
    response = api.post("/api/v1/entries", data={})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["status"] == 405


def test_cors_is_only_for_the_api(api, small_region):
    assert "Access-Control-Allow-Origin" not in api.get("/nb/")


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/api/v1/entries?limit=101", ["limit"]),
        ("/api/v1/entries?limit=0", ["limit"]),
        ("/api/v1/entries?limit=ten", ["limit"]),
        ("/api/v1/entries?offset=-1", ["offset"]),
        ("/api/v1/entries?lang=sv", ["lang"]),
        ("/api/v1/entries?kind=castle", ["kind"]),
        ("/api/v1/entries?season=monsoon", ["season"]),
        ("/api/v1/entries?bbox=1,2,3", ["bbox"]),
        ("/api/v1/entries?bbox=15,91,16,92", ["bbox"]),
        ("/api/v1/vacancies?deadline_before=0", ["deadline_before"]),
        ("/api/v1/vacancies?deadline_before=2026-12-31T00:00:00", ["deadline_before"]),
        ("/api/v1/vacancies?deadline_before=2026-02-30", ["deadline_before"]),
        ("/api/v1/entries?fields=title", ["fields"]),
        ("/api/v1/entries?lang=nb&lang=en", ["lang"]),
        ("/api/v1/municipalities?limit=1000", ["limit"]),
        ("/api/v1/pages?type=blog", ["type"]),
        ("/api/v1/pages/1?lang=en", ["lang"]),
        ("/api/v1/changes?since=bm9wZQ", ["since"]),
        ("/api/v1/changes?limit=1001", ["limit"]),
        ("/api/v1/region?page=2", ["page"]),
    ],
)
def test_bad_parameters_are_a_400_problem_naming_them(api, small_region, url, names):
    response = api.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["type"].endswith("/invalid-parameters")
    assert problem["title"] and problem["detail"]
    assert [error["name"] for error in problem["errors"]] == names
    assert all(error["reason"] for error in problem["errors"])


def test_problems_speak_the_language_asked_for(api, small_region):
    english = api.get("/api/v1/entries?limit=500&lang=en").json()
    norwegian = api.get("/api/v1/entries?limit=500&lang=nb").json()
    assert english["errors"][0]["reason"] == "At most 100."
    assert norwegian["errors"][0]["reason"] != english["errors"][0]["reason"]
    assert api.get("/api/v1/entries?limit=500", HTTP_ACCEPT_LANGUAGE="en")["Vary"] == (
        "Accept-Language"
    )


def test_an_unknown_path_is_a_404_problem(api, small_region):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


PARAMETER_NAMES = st.sampled_from(
    [
        "lang",
        "kind",
        "municipality",
        "category",
        "season",
        "level",
        "bbox",
        "sort",
        "limit",
        "offset",
        "since",
        "type",
        "x",
        "",
    ]
)
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["nb", "en", "leisure", "school", "1833", "rana", "winter", "12,65,15,67"]),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(
        [
            "/api/v1/region",
            "/api/v1/municipalities",
            "/api/v1/municipalities/1833",
            "/api/v1/entries",
            "/api/v1/entries/abc",
            "/api/v1/pages",
            "/api/v1/pages/1",
            "/api/v1/changes",
        ]
    ),
    query=st.lists(st.tuples(PARAMETER_NAMES, VALUES), max_size=4),
)
def test_random_query_strings_never_give_a_server_error(small_region, path, query):
    response = Client().get(f"{path}?{urlencode(query)}")
    assert response.status_code in {200, 400, 404}
    if response.status_code != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert json.loads(response.content)["status"] == response.status_code


def test_a_day_is_year_month_day_and_nothing_else(api, small_region):
    """Pydantic alone would read `0` as 1 January 1970 and answer 200: a malformed filter
    would pass unnoticed. The document says `format: date`, so only YYYY-MM-DD is a day."""
    assert api.get("/api/v1/vacancies?deadline_before=2026-12-31").status_code == 200
    problem = api.get("/api/v1/vacancies?deadline_before=0&lang=en").json()
    assert problem["errors"] == [
        {"name": "deadline_before", "reason": "Give a date as YYYY-MM-DD, for example 2026-12-31."}
    ]
