"""The OpenAPI document: valid OpenAPI 3.1, with a schema per block and per entry kind,
examples, and a documentation page that renders it from this server's own assets."""

import re

import pytest
import schemathesis

pytestmark = pytest.mark.django_db

BLOCKS = {
    "paragraph": "ParagraphBlock",
    "image": "ImageBlock",
    "facts": "FactsBlock",
    "links": "LinksBlock",
    "quote": "QuoteBlock",
    "contact": "ContactBlock",
    "step": "ArrivalStepBlock",
    "admission": "AdmissionBlock",
    "industry": "IndustryBlock",
    "leisure": "LeisureBlock",
    "school": "SchoolBlock",
}


@pytest.fixture
def document(api, locales):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_is_valid_openapi_3_1(document, wsgi_app):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Ranaregionen partner API"
    assert document["info"]["version"] == "1"
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    schema.validate()  # against the OpenAPI 3.1 meta-schema; raises if invalid


def test_a_stream_field_is_a_discriminated_union_of_block_schemas(document):
    schemas = document["components"]["schemas"]
    body = schemas["PageDetail"]["properties"]["body"]
    assert body["type"] == "array"
    items = body["items"]
    assert items["discriminator"]["propertyName"] == "type"
    mapping = items["discriminator"]["mapping"]
    assert mapping == {name: f"#/components/schemas/{schema}" for name, schema in BLOCKS.items()}
    for name, schema in BLOCKS.items():
        block = schemas[schema]
        assert block["properties"]["type"]["const"] == name
        assert set(block["required"]) == {"type", "id", "value"}
    # Values are typed all the way down: a school's level is the vocabulary of v1 (open to
    # values added later, see below).
    assert "$ref" in schemas["SchoolBlock"]["properties"]["value"]
    assert schemas["SchoolLevel"]["anyOf"][0]["enum"][0] == "kindergarten"


def test_the_answers_vocabularies_are_open_and_the_parameters_closed(document, api, locales):
    """A client generated from the document meets a block type, entry kind or enum value
    added later gracefully: each union has an `Unknown…` member for any other value of its
    discriminator, each enum in an answer is "one of these, or another string". The
    parameters take only what they list."""
    schemas = document["components"]["schemas"]
    body = schemas["PageDetail"]["properties"]["body"]["items"]
    assert {"$ref": "#/components/schemas/UnknownBlock"} in body["oneOf"]
    unknown = schemas["UnknownBlock"]
    assert unknown["x-unknown"] is True
    assert sorted(unknown["properties"]["type"]["not"]["enum"]) == sorted(BLOCKS)
    entries = schemas["EntryList"]["properties"]["items"]["items"]["oneOf"]
    assert {"$ref": "#/components/schemas/UnknownEntry"} in entries
    changes = schemas["ChangeList"]["properties"]["items"]["items"]["oneOf"]
    assert {"$ref": "#/components/schemas/UnknownChange"} in changes
    season = schemas["Season"]["anyOf"]
    assert sorted(season[0]["enum"]) == ["autumn", "spring", "summer", "winter"]
    assert season[1] == {
        "type": "string",
        "title": "Unknown",
        "description": "A value added after this version of the document: treat it as unknown.",
    }
    page_type = schemas["PageSummary"]["properties"]["type"]["anyOf"]
    assert "municipality" in page_type[0]["enum"] and page_type[1]["title"] == "Unknown"
    parameters = document["paths"]["/api/v1/entries"]["get"]["parameters"]
    closed = {p["name"]: p["schema"] for p in parameters}
    assert sorted(closed["season"]["enum"]) == ["autumn", "spring", "summer", "winter"]
    assert "anyOf" not in closed["season"] and "$ref" not in closed["season"]
    assert api.get("/api/v1/entries?season=monsoon").status_code == 400


def test_entries_are_a_union_on_their_kind(document):
    schemas = document["components"]["schemas"]
    items = schemas["EntryList"]["properties"]["items"]["items"]
    assert set(items["discriminator"]["mapping"]) == {"industry", "leisure", "school"}
    assert "$ref" in schemas["LeisureEntry"]["properties"]["data"]


def test_the_document_has_examples_and_documents_problems_and_headers(document):
    assert document["components"]["schemas"]["Rendition"]["properties"]["width"]["examples"]
    entries = document["paths"]["/api/v1/entries"]["get"]
    # 404: a region `?region=` names that does not exist; 401 and 429: the fair limits
    # (an unknown API key, too many requests).
    assert set(entries["responses"]) == {"200", "304", "400", "401", "404", "429"}
    for status in ("400", "401", "404", "429"):
        assert "application/problem+json" in entries["responses"][status]["content"]
    assert {"ETag", "RateLimit", "RateLimit-Policy"} <= set(entries["responses"]["200"]["headers"])
    assert "Retry-After" in entries["responses"]["429"]["headers"]
    assert entries["security"] == [{}, {"partnerKey": []}]  # a key is optional
    assert document["components"]["securitySchemes"]["partnerKey"]["scheme"] == "bearer"
    bbox = next(p for p in entries["parameters"] if p["name"] == "bbox")
    assert bbox["examples"] or bbox["schema"].get("examples")


def test_the_docs_page_renders_the_document_with_local_assets(api, locales):
    page = api.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert '"url": "/api/v1/openapi.json"' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html


# ---- what a generated client may rely on -------------------------------------------------

OPERATION_IDS = {
    ("/api/v1/region", "get"): "getRegion",
    ("/api/v1/regions", "get"): "listRegions",
    ("/api/v1/municipalities", "get"): "listMunicipalities",
    ("/api/v1/municipalities/{key}", "get"): "getMunicipality",
    ("/api/v1/entries", "get"): "listEntries",
    ("/api/v1/entries.geojson", "get"): "listEntryFeatures",
    ("/api/v1/entries/{entry_id}", "get"): "getEntry",
    ("/api/v1/events", "get"): "listEvents",
    ("/api/v1/events/{event_id}", "get"): "getEvent",
    ("/api/v1/pages", "get"): "listPages",
    ("/api/v1/pages/{page_id}", "get"): "getPage",
    ("/api/v1/changes", "get"): "listChanges",
    ("/api/v1/changes/head", "get"): "getChangesHead",
    ("/api/v1/vacancies", "get"): "listVacancies",
    ("/api/v1/vacancies/{vacancy_id}", "get"): "getVacancy",
    ("/api/v1/daylight", "get"): "listDaylight",
    ("/api/v1/commute", "get"): "listCommute",
    ("/api/v1/search", "get"): "search",
}


def response_schemas(document) -> set[str]:
    """The names of the components a response uses, directly or through other components."""
    schemas = document["components"]["schemas"]
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    walk(schemas[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for operations in document["paths"].values():
        for operation in operations.values():
            walk(operation["responses"])
    return found


def forbidding(node, where="") -> list[str]:
    """Where in `node` a schema says `additionalProperties: false`."""
    if isinstance(node, dict):
        here = [where] if node.get("additionalProperties") is False else []
        return here + [p for k, v in node.items() for p in forbidding(v, f"{where}/{k}")]
    if isinstance(node, list):
        return [p for n, v in enumerate(node) for p in forbidding(v, f"{where}/{n}")]
    return []


def test_no_response_schema_forbids_fields_v1_may_add(document):
    """Version 1 grows by adding fields: a client generated from the document (pydantic's
    `extra='forbid'`, for one) must not break on the first field it does not know."""
    used = response_schemas(document)
    assert {"EntryList", "Region", "ChangeList", "SearchResults", "VacancyList"} <= used
    schemas = document["components"]["schemas"]
    assert [p for name in sorted(used) for p in forbidding(schemas[name], name)] == []
    for operations in document["paths"].values():
        for operation in operations.values():
            assert forbidding(operation["responses"]) == []


def test_every_operation_has_a_clean_stable_operation_id(document):
    """Clients name their methods after operationIds: no module paths, none twice."""
    found = {
        (path, method): operation["operationId"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    assert found == OPERATION_IDS
    assert len(set(found.values())) == len(found)


def parameter(document, path, name) -> dict:
    parameters = document["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name)


def conforms(schema, value: str) -> bool:
    """Whether a query value meets a (string) parameter schema's length and pattern."""
    return (
        schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value))
        and re.search(schema.get("pattern", ""), value) is not None
    )


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/api/v1/search", "q", ""),
        ("/api/v1/search", "q", "  !?  "),
        ("/api/v1/changes", "since", "A" * 200),
        ("/api/v1/changes", "since", "djE6MDE"),  # v1:01
        ("/api/v1/changes", "since", "2.01.AAAAAAAAAAA"),
        ("/api/v1/changes", "since", "2.1.AAAAAAAAAA"),
        ("/api/v1/entries", "bbox", "181,0,182,1"),
        ("/api/v1/entries", "bbox", "0,-91,1,1"),
    ],
)
def test_what_the_server_refuses_the_document_refuses_too(api, document, path, name, value):
    """A value the document allows is one the server accepts: the rules of `q`, the
    cursor and the bounding box are in the document, not only in the code."""
    response = api.get(path, {name: value})
    assert response.status_code == 400
    assert [error["name"] for error in response.json()["errors"]] == [name]
    assert not conforms(parameter(document, path, name), value)


def test_the_bounding_box_rules_are_described(document):
    bbox = parameter(document, "/api/v1/entries", "bbox")
    assert conforms(bbox, "13.5,66.0,14.8,66.5")
    assert conforms(bbox, "-180,-90,180,90")
    assert not conforms(bbox, "13.5,66.0,14.8")
    assert "antimeridian" in bbox["description"]


def test_a_parameter_is_given_or_left_out_never_null(document):
    """A query parameter cannot be sent as null: the document does not offer it."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert {"type": "null"} not in parameter["schema"].get("anyOf", [])
                assert parameter["schema"].get("type") != "null"
