"""The OpenAPI document: valid OpenAPI 3.1, with a schema per block and per entry kind,
examples, and a documentation page that renders it from this server's own assets."""

import pytest
import schemathesis

pytestmark = pytest.mark.django_db

BLOCKS = {
    "paragraph": "ParagraphBlock",
    "image": "ImageBlock",
    "facts": "FactsBlock",
    "links": "LinksBlock",
    "quote": "QuoteBlock",
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
    # Values are typed all the way down: a school's level is the fixed vocabulary.
    assert "$ref" in schemas["SchoolBlock"]["properties"]["value"]
    assert schemas["SchoolLevel"]["enum"][0] == "kindergarten"


def test_entries_are_a_union_on_their_kind(document):
    schemas = document["components"]["schemas"]
    items = schemas["EntryList"]["properties"]["items"]["items"]
    assert set(items["discriminator"]["mapping"]) == {"industry", "leisure", "school"}
    assert "$ref" in schemas["LeisureEntry"]["properties"]["data"]


def test_the_document_has_examples_and_documents_problems_and_headers(document):
    assert document["components"]["schemas"]["Rendition"]["properties"]["width"]["examples"]
    entries = document["paths"]["/api/v1/entries"]["get"]
    assert set(entries["responses"]) == {"200", "304", "400"}
    assert "application/problem+json" in entries["responses"]["400"]["content"]
    assert "ETag" in entries["responses"]["200"]["headers"]
    bbox = next(p for p in entries["parameters"] if p["name"] == "bbox")
    assert bbox["examples"] or bbox["schema"].get("examples")


def test_the_docs_page_renders_the_document_with_local_assets(api, locales):
    page = api.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert '"url": "/api/v1/openapi.json"' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
