"""Entries: filters (kind, municipality, category, season, level, bounding box), sorting
and pagination with a stable order."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(home, locales):
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            slug="rana",
            municipality_number="1833",
            body=[
                factories.leisure(
                    name="Svartisen", seasons=["summer"], latitude=66.6, longitude=13.9
                ),
                factories.leisure(
                    name="Skitur",
                    seasons=["winter"],
                    category="skiing",
                    latitude=66.3,
                    longitude=14.2,
                ),
                factories.school(name="Ytteren skole", level="primary"),
                factories.school(name="Mo barnehage", level="kindergarten"),
                factories.industry(sector="energy"),
            ],
        )
    )
    lurøy = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            slug="luroy",
            municipality_number="1834",
            body=[
                factories.leisure(
                    name="Lovund", seasons=["spring", "summer"], latitude=66.37, longitude=12.36
                ),
                factories.school(name="Lurøy skole", level="combined", coordinates={}),
                factories.industry(sector="aquaculture"),
            ],
        )
    )
    return rana, lurøy


def names(api, query):
    response = api.get(f"/api/v1/entries?limit=100&{query}")
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_kind(api, entries):
    assert names(api, "kind=leisure") == ["Svartisen", "Skitur", "Lovund"]
    assert set(names(api, "kind=industry")) == {"Energi og kraftproduksjon", "Havbruk og fiskeri"}


def test_municipality_by_number_or_slug(api, entries):
    assert names(api, "municipality=1834") == names(api, "municipality=luroy")
    assert len(names(api, "municipality=1834")) == 3
    assert names(api, "municipality=1899") == []


def test_category_season_and_level(api, entries):
    assert names(api, "category=skiing") == ["Skitur"]
    assert names(api, "season=summer") == ["Svartisen", "Lovund"]
    assert names(api, "season=spring&kind=leisure") == ["Lovund"]
    assert names(api, "level=kindergarten") == ["Mo barnehage"]
    assert names(api, "level=combined&municipality=1834") == ["Lurøy skole"]


def test_bounding_box_is_west_south_east_north(api, entries):
    # Around Mo i Rana, not out at the coast.
    assert names(api, "bbox=13.5,66.0,14.5,66.7&kind=leisure") == ["Svartisen", "Skitur"]
    # The coast: Lovund only; entries without coordinates never match a box.
    assert names(api, "bbox=12.0,66.0,12.5,66.5") == ["Lovund"]


def test_a_box_whose_west_lies_east_of_its_east_crosses_the_antimeridian(api, entries):
    """As in GeoJSON (RFC 7946): such a box is what is left when the other one is cut out,
    so it is a valid request the document allows, not an error."""
    assert names(api, "bbox=13.0,60.0,12.0,70.0&kind=leisure") == ["Svartisen", "Skitur"]
    assert names(api, "bbox=179.0,-90,-179.0,90") == []


def test_a_box_whose_south_lies_north_of_its_north_holds_nothing(api, entries):
    assert names(api, "bbox=12.0,66.7,15.0,66.0") == []


def bbox_pattern(api) -> str:
    document = api.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/entries"]["get"]["parameters"]
    return next(p for p in parameters if p["name"] == "bbox")["schema"]["pattern"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_box_the_document_allows_is_accepted(api, entries, data):
    bbox = data.draw(st.from_regex(bbox_pattern(api), fullmatch=True))
    answer = api.get("/api/v1/entries", {"bbox": bbox})
    assert answer.status_code == 200, (bbox, answer.content)


def test_sorting(api, entries):
    assert names(api, "kind=leisure&sort=name") == ["Lovund", "Skitur", "Svartisen"]
    assert names(api, "kind=leisure&sort=-name") == ["Svartisen", "Skitur", "Lovund"]
    by_position = names(api, "")
    assert by_position[:5] == [
        "Svartisen",
        "Skitur",
        "Ytteren skole",
        "Mo barnehage",
        "Energi og kraftproduksjon",
    ]
    assert len(names(api, "sort=-last_published_at")) == len(by_position)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    limit=st.integers(min_value=1, max_value=9),
    sort=st.sampled_from(["position", "name", "-name", "last_published_at", "-last_published_at"]),
)
def test_paging_visits_every_entry_once_in_a_stable_order(api, entries, limit, sort):
    everything = api.get(f"/api/v1/entries?limit=100&sort={sort}").json()["items"]
    seen, url = [], f"/api/v1/entries?limit={limit}&sort={sort}"
    while url:
        answer = api.get(url).json()
        assert answer["limit"] == limit and answer["count"] == len(everything)
        seen += answer["items"]
        url = answer["next"]
    assert [item["id"] for item in seen] == [item["id"] for item in everything]
    assert len({item["id"] for item in seen}) == len(everything)


def test_entries_on_a_map_are_geojson_features_of_the_same_entries(api, entries):
    for query in ("lang=nb", "kind=leisure&season=winter", "bbox=13,65.5,15,66.5", "sort=-name"):
        answer = api.get(f"/api/v1/entries.geojson?{query}&limit=100")
        assert answer.status_code == 200, answer.content
        assert answer["Content-Type"] == "application/geo+json"
        collection = answer.json()
        assert collection["type"] == "FeatureCollection"
        listed = api.get(f"/api/v1/entries?{query}&limit=100").json()["items"]
        located = [entry for entry in listed if entry["coordinates"]]
        assert collection["count"] == len(located)
        assert [feature["properties"] for feature in collection["features"]] == located
        for feature in collection["features"]:
            assert feature["type"] == "Feature" and feature["id"] == feature["properties"]["id"]
            where = feature["properties"]["coordinates"]
            # RFC 7946: longitude first.
            assert feature["geometry"] == {
                "type": "Point",
                "coordinates": [where["longitude"], where["latitude"]],
            }
    everything = api.get("/api/v1/entries?limit=100").json()["items"]
    assert any(entry["coordinates"] is None for entry in everything)  # some are left out
    etag = api.get("/api/v1/entries.geojson")["ETag"]
    assert api.get("/api/v1/entries.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get("/api/v1/entries.geojson?bbox=1,2,3").status_code == 400
