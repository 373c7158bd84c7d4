"""Schemathesis against /api/v1/openapi.json, as a partner would run it, with every check
on: over every endpoint, in its examples, coverage (boundary values) and fuzzing phases,
with requests that fit the document and requests that break it, no 5xx, no answer that
breaks its schema, no undocumented status, header or content type, no request the
document allows refused (`positive_data_acceptance`) and none it forbids accepted
(`negative_data_rejection`)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.pytest.lazy import get_all_tests

from ..conftest import for_this_pass
from .conftest import shared_region

# Every test here reads the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db

load_all_checks()
# The function checks, all of them (the classes among the registered checks are the
# stateful ones, which a single request cannot run).
EVERY_CHECK = [check for check in CHECKS.get_all() if not isinstance(check, type)]

OPERATIONS = [
    "/api/v1/region",
    "/api/v1/regions",
    "/api/v1/municipalities",
    "/api/v1/municipalities/{key}",
    "/api/v1/entries",
    "/api/v1/entries.geojson",
    "/api/v1/entries/{entry_id}",
    "/api/v1/events",
    "/api/v1/events/{event_id}",
    "/api/v1/pages",
    "/api/v1/pages/{page_id}",
    "/api/v1/changes",
    "/api/v1/changes/head",
    "/api/v1/vacancies",
    "/api/v1/vacancies/{vacancy_id}",
    "/api/v1/daylight",
    "/api/v1/commute",
    "/api/v1/search",
]

# Bounded: the coverage phase adds its boundary values to these (some 50 to 250 requests
# an endpoint in all, in-process); derandomized, so that a run is the same every time.
FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def schema(region, wsgi_app):
    def plain(environ, start_response):
        # Schemathesis' WSGI client asks for gzip, as HTTP clients do, but does not undo
        # the Content-Encoding as they do; compression is tested in tests/cms.
        return wsgi_app({**environ, "HTTP_ACCEPT_ENCODING": "identity"}, start_response)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", plain)
    # A well-formed change-feed cursor beyond the newest change is gone (410, documented):
    # the partner must sync again. Schemathesis expects valid input to be accepted.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "3xx", "401", "403", "404", "409", "410", "429"]
    )
    return schema


def test_the_schema_covers_every_endpoint(schema):
    paths = {operation.ok().path for operation in schema.get_all_operations()}
    assert paths == set(OPERATIONS)


# With `fields=` a list's items hold only the fields named (documented on the parameter):
# the document's item schemas, whose fields are required, describe whole items. Such an
# answer gets every other check, and its items are checked to hold `id` and no field
# the query did not name.
BUT_CONFORMANCE = [
    check for check in EVERY_CHECK if check.__name__ != "response_schema_conformance"
]


def check_sparse(case, response) -> None:
    named = set(case.query["fields"].split(",")) | {"id"}
    if response.status_code != 200 or case.method != "GET":
        return
    for item in response.json()["items"]:
        assert "id" in item and set(item) <= named, (case.query, item)


@pytest.mark.parametrize("path", OPERATIONS)
def test_schemathesis_with_every_check_finds_nothing(schema, path):
    def check(case):
        if isinstance(case.query, dict) and isinstance(case.query.get("fields"), str):
            check_sparse(case, case.call_and_validate(checks=BUT_CONFORMANCE))
        else:
            case.call_and_validate(checks=EVERY_CHECK)

    # What `schema.parametrize()` runs for each operation, in all its phases; called here
    # because that decorator does not run on pytest 9 (it rewrites the node's id).
    [built] = get_all_tests(
        schema=schema.include(path=path),
        test_func=check,
        settings=for_this_pass(FUZZ_SETTINGS),
        given_kwargs={},
    )
    _operation, run = built.ok()
    run()
