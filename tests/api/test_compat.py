"""Version 1 only grows: the served OpenAPI document is the committed one, and the checker
that guards it finds every way of taking something away (and calls growth growth)."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api import snapshot
from api.compat import breaking_changes

RECORDED = snapshot.recorded_document()


@pytest.mark.django_db
def test_the_served_document_takes_nothing_away_and_its_growth_is_recorded(api, locales):
    served = api.get("/api/v1/openapi.json").json()
    assert breaking_changes(RECORDED, served) == [], (
        "The partner API lost something partners' clients rely on: keep it, and add the "
        "new beside it."
    )
    assert served == RECORDED, (
        "The partner API grew: record it with `make openapi-snapshot` and add a line to "
        "the changelog in docs/api.md."
    )


def test_the_document_is_recorded_in_a_stable_form():
    assert snapshot.SNAPSHOT.read_text(encoding="utf-8") == snapshot.dump(RECORDED)


def answer_fields(document: dict) -> list[tuple[str, str]]:
    """(schema, field) of every field of every object the answers are made of."""
    return [
        (name, field)
        for name, schema in document["components"]["schemas"].items()
        for field in schema.get("properties", {})
    ]


def changed(mutate) -> list[str]:
    document = copy.deepcopy(RECORDED)
    mutate(document)
    return breaking_changes(RECORDED, document)


def schema(document, name):
    return document["components"]["schemas"][name]


def operation(document, path, method="get"):
    return document["paths"][path][method]


def parameter(document, path, name):
    return next(p for p in operation(document, path)["parameters"] if p["name"] == name)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(answer_fields(RECORDED)))
def test_a_field_taken_away_from_any_answer_is_found(field):
    name, key = field

    def remove(document):
        del schema(document, name)["properties"][key]

    found = changed(remove)
    assert found and all(f"`{key}` is gone" in line for line in found), found


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(
        [
            (name, key)
            for name, current in RECORDED["components"]["schemas"].items()
            for key in current.get("required", [])
        ]
    )
)
def test_a_field_no_longer_always_there_is_found(field):
    name, key = field
    found = changed(lambda document: schema(document, name)["required"].remove(key))
    assert found and all(f"`{key}` is no longer always there" in line for line in found)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: schema(d, "PageSummary")["properties"].update(
                title={"type": ["string", "null"]}
            ),
            "(PageSummary).title: may now be null",
        ),
        (
            lambda d: schema(d, "PageSummary")["properties"]["type"].update(const="home"),
            None,  # a narrower answer is not a breaking one
        ),
        (lambda d: d["paths"].pop("/api/v1/regions"), "GET /api/v1/regions: the operation is gone"),
        (
            lambda d: operation(d, "/api/v1/pages")["responses"].pop("200"),
            "GET /api/v1/pages → 200: the answer is no longer documented",
        ),
        (
            lambda d: operation(d, "/api/v1/pages")["responses"]["200"]["headers"].pop("ETag"),
            "header `ETag` is gone",
        ),
        (
            lambda d: parameter(d, "/api/v1/pages", "type")["schema"]["enum"].remove("event"),
            "parameter `type`: no longer takes event",
        ),
        (
            lambda d: parameter(d, "/api/v1/pages", "limit")["schema"].update(maximum=50),
            "parameter `limit`: its maximum went from 100 to 50",
        ),
        (
            lambda d: parameter(d, "/api/v1/pages", "limit")["schema"].update(minimum=5),
            "parameter `limit`: its minimum went from 1 to 5",
        ),
        (
            lambda d: parameter(d, "/api/v1/pages", "lang").update(required=True),
            "parameter `lang` is now required",
        ),
        (
            lambda d: operation(d, "/api/v1/pages")["parameters"].remove(
                parameter(d, "/api/v1/pages", "offset")
            ),
            "parameter `offset` is gone",
        ),
        (
            lambda d: operation(d, "/api/v1/pages")["parameters"].append(
                {"in": "query", "name": "key", "required": True, "schema": {"type": "string"}}
            ),
            "new parameter `key` is required",
        ),
        (
            lambda d: parameter(d, "/api/v1/changes", "since")["schema"].update(pattern="^2"),
            "parameter `since`: its pattern changed",
        ),
        (
            lambda d: parameter(d, "/api/v1/events", "municipality")["schema"].update(
                enum=["1833"]
            ),
            "parameter `municipality`: now takes only 1833",
        ),
    ],
)
def test_each_way_of_taking_something_away_is_found(mutate, expected):
    found = changed(mutate)
    if expected is None:
        assert found == []
    else:
        assert any(expected in line for line in found), found


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: schema(d, "PageSummary")["properties"].update(extra={"type": "string"}),
        lambda d: schema(d, "PageSummary")["properties"]["type"]["anyOf"][0]["enum"].append(
            "guide"
        ),
        lambda d: (
            d["components"]["schemas"].update(MapBlock={"type": "object"}),
            schema(d, "PageDetail")["properties"]["body"]["items"]["oneOf"].append(
                {"$ref": "#/components/schemas/MapBlock"}
            ),
        ),
        lambda d: d["paths"].update({"/api/v1/new": {"get": {"responses": {}}}}),
        lambda d: operation(d, "/api/v1/pages")["parameters"].append(
            {"in": "query", "name": "fields", "schema": {"type": "string"}}
        ),
        lambda d: parameter(d, "/api/v1/pages", "limit")["schema"].update(maximum=500),
        lambda d: parameter(d, "/api/v1/pages", "type")["schema"]["enum"].append("guide"),
        lambda d: parameter(d, "/api/v1/changes", "since")["schema"].update(
            pattern="(?:^3$)|(?:"
            + parameter(RECORDED, "/api/v1/changes", "since")["schema"]["pattern"]
            + ")"
        ),
        lambda d: operation(d, "/api/v1/pages")["responses"].update(
            {"418": {"description": "A teapot."}}
        ),
    ],
    ids=[
        "field",
        "answer value",
        "block type",
        "operation",
        "parameter",
        "limit",
        "parameter value",
        "pattern",
        "status",
    ],
)
def test_growth_is_not_breaking(mutate):
    assert changed(mutate) == []


def test_a_new_member_of_a_closed_union_is_breaking():
    """Only a union with an `Unknown…` member takes new members in its stride."""
    closed = copy.deepcopy(RECORDED)
    body = schema(closed, "PageDetail")["properties"]["body"]["items"]["oneOf"]
    body.remove({"$ref": "#/components/schemas/UnknownBlock"})
    grown = copy.deepcopy(closed)
    grown["components"]["schemas"]["MapBlock"] = {"type": "object"}
    schema(grown, "PageDetail")["properties"]["body"]["items"]["oneOf"].append(
        {"$ref": "#/components/schemas/MapBlock"}
    )
    assert any("may now be object:MapBlock" in line for line in breaking_changes(closed, grown))
