"""`fields=`: a list's items with only the fields asked for, and always their `id`."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from region_pages.api.schemas import EntryList, MunicipalityList, PageList
from region_pages.api.sparse import item_fields

from .conftest import shared_region

# Every test here reads the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1/pages?lang={lang}&limit=100": item_fields(PageList),
    "/api/v1/municipalities?lang={lang}": item_fields(MunicipalityList),
    "/api/v1/entries?lang={lang}&limit=100": item_fields(EntryList),
}


def fetched(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_items_keep_the_fields_asked_for_and_their_id_and_the_envelope_is_whole(api, region):
    for template in LISTS:
        for lang in ("nb", "en"):
            url = template.format(lang=lang)
            whole = fetched(api, url)
            assert whole["items"], url
            names = "name,html_url" if "entries" in url else "title,html_url"
            sparse = fetched(api, f"{url}&fields={names}")
            assert {key: value for key, value in sparse.items() if key != "items"} == {
                key: value for key, value in whole.items() if key != "items"
            } | {"next": sparse["next"], "previous": sparse["previous"]}
            kept = {"id", "title", "name", "html_url"}
            assert sparse["items"] == [
                {key: value for key, value in item.items() if key in kept}
                for item in whole["items"]
            ]


def test_the_next_page_of_a_sparse_list_is_sparse_too(api, region):
    first = fetched(api, "/api/v1/entries?lang=nb&limit=1&fields=name")
    assert first["next"] and "fields=name" in first["next"]
    following = fetched(api, first["next"])
    assert following["items"] and set(following["items"][0]) == {"id", "name"}


def test_a_field_of_the_detail_gives_whole_pages_as_include_does(api, region):
    whole = fetched(api, "/api/v1/pages?lang=nb&include=body&limit=100")
    for url in (
        "/api/v1/pages?lang=nb&include=body&fields=body&limit=100",
        "/api/v1/pages?lang=nb&fields=body&limit=100",
    ):
        bodies = fetched(api, url)
        assert bodies["items"] == [
            {"id": page["id"], "body": page["body"]} for page in whole["items"]
        ]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pages?fields=titel",
        "/api/v1/entries?fields=name,adresse",
        "/api/v1/municipalities?fields=population",
        "/api/v1/events?fields=place,venue",
        "/api/v1/vacancies?fields=employer_name",
    ],
)
def test_a_field_no_item_has_is_refused_naming_the_fields_there_are(api, region, url):
    response = api.get(url)
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert error["name"] == "fields"
    *known, unknown = url.rsplit("=", 1)[1].split(",")
    assert f"“{unknown}”" in error["reason"] and "html_url" in error["reason"]
    assert not any(f"“{name}”" in error["reason"] for name in known)


@pytest.mark.parametrize("value", ["", ",", "title,", "Title", "title;html_url", "title," * 200])
def test_a_malformed_list_is_a_400(api, region, value):
    response = api.get(f"/api/v1/pages?fields={value}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "fields"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=st.sets(st.sampled_from(sorted(item_fields(EntryList))), min_size=1))
def test_any_choice_of_fields_is_the_whole_items_cut_down(api, region, chosen):
    url = "/api/v1/entries?lang=en&limit=100"
    whole = fetched(api, url)
    sparse = fetched(api, f"{url}&fields={','.join(sorted(chosen))}")
    assert sparse["items"] == [
        {key: value for key, value in item.items() if key in chosen | {"id"}}
        for item in whole["items"]
    ]
