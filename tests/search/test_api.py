"""`GET /api/v1/search`: typed, the HTML page's results, 400 for bad input, never 500."""

import re

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.models import Synonym

from .conftest import shared_region

# Every test here searches the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


def html_titles(client, path, **params):
    html = client.get(path, params).content.decode()
    return re.findall(r'<li class="search-result">\s*<h3><a href="[^"]*">([^<]*)</a>', html)


@pytest.mark.parametrize(
    ("lang", "path", "q", "filters"),
    [
        ("nb", "/nb/sok/", "Luroy", {}),
        ("nb", "/nb/sok/", "Mo i Rana", {"kind": "school"}),
        ("en", "/en/search/", "Luroy", {"municipality": "1834"}),
        ("en", "/en/search/", "kindergarten", {}),
    ],
)
def test_the_api_gives_the_results_of_the_html_page(client, region, lang, path, q, filters):
    answer = client.get(URL, {"q": q, "lang": lang, "limit": 10, **filters})
    assert answer.status_code == 200
    body = answer.json()
    titles = [item["title"] for item in body["items"]]
    assert titles
    assert titles == html_titles(client, path, q=q, **filters)
    assert body["count"] == len(titles) or body["next"]


def test_an_entry_result_links_to_its_place_on_the_municipality_page(client, region):
    body = client.get(URL, {"q": "Ytteren", "lang": "nb"}).json()
    school = region["nb"]["rana"].entries.get(name="Ytteren skole")
    assert body["items"][0] == {
        "title": "Ytteren skole",
        "kind": "school",
        "kind_label": "Skole eller barnehage",
        "municipality_number": "1833",
        "municipality_name": "Rana",
        "snippet": body["items"][0]["snippet"],
        "html_url": f"http://testserver/nb/rana/#block-{school.block_id}",
    }
    assert "<mark>Ytteren</mark>" in body["items"][0]["snippet"]
    assert {"value": "school", "label": "Skole eller barnehage", "count": 1} in body["kinds"]


def test_municipality_by_number_or_slug(client, region):
    by_number = client.get(URL, {"q": "Luroy", "municipality": "1834"}).json()
    by_slug = client.get(URL, {"q": "Luroy", "municipality": "luroy"}).json()
    assert by_number["items"] == by_slug["items"] != []
    assert client.get(URL, {"q": "Luroy", "municipality": "nowhere"}).json()["count"] == 0


def test_paging_with_limit_and_offset(client, region):
    first = client.get(URL, {"q": "Mo i Rana", "limit": 1}).json()
    second = client.get(URL, {"q": "Mo i Rana", "limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] >= 2
    assert first["items"] != second["items"]
    assert "offset=1" in first["next"]
    assert second["previous"]


def test_the_openapi_document_types_the_endpoint(client, region):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"q", "lang", "kind", "municipality", "limit", "offset", "region"}
    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"]["maxLength"] == 200
    assert set(operation["responses"]) == {"200", "304", "400", "401", "404", "429"}
    results = schema["components"]["schemas"]["SearchResults"]
    assert {"items", "promoted", "kinds", "municipalities", "count"} <= set(results["properties"])
    hit = schema["components"]["schemas"]["SearchHit"]
    listed, other = hit["properties"]["kind"]["anyOf"]
    assert listed["enum"] == ["page", "school", "leisure", "industry"]
    assert other["title"] == "Unknown"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "\"'&|!()"},
        {"q": "x" * 201},
        {"q": "skole", "kind": "everything"},
        {"q": "skole", "municipality": "'; --"},
        {"q": "skole", "limit": "0"},
        {"q": "skole", "lang": "de"},
        {"q": "skole", "sort": "name"},
    ],
)
def test_bad_input_is_a_problem_not_a_crash(client, region, params):
    answer = client.get(URL, params)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["errors"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=st.text(st.characters(exclude_categories=("Cs",)), max_size=220))
def test_any_query_is_answered_with_results_or_a_problem(client, region, q):
    answer = client.get(URL, {"q": q})
    assert answer.status_code in (200, 400)
    if answer.status_code == 200:
        assert answer.json()["count"] >= 0


# ---- conditional requests ---------------------------------------------------------------


def _etag(client, **params):
    answer = client.get(URL, {"q": "flytte", **params})
    assert answer.status_code == 200
    return answer["ETag"], answer


@pytest.mark.parametrize(
    "change",
    [
        lambda region: Synonym.objects.create(terms="flytte, tilflytter"),
        lambda region: SearchPromotion.objects.create(
            query=Query.get("flytte"), page=region["nb"]["vacancies"], description="Flytt hit."
        ),
    ],
    ids=["synonym", "promotion"],
)
def test_the_etag_changes_when_editors_steer_the_search(client, region, change):
    """Synonyms and promotions change the answer without a change in the content feed:
    the ETag follows them, so a partner's If-None-Match stops matching."""
    etag, _answer = _etag(client)
    assert client.get(URL, {"q": "flytte"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    change(region)
    new_etag, _answer = _etag(client)
    assert new_etag != etag
    assert client.get(URL, {"q": "flytte"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.get(URL, {"q": "flytte"}, HTTP_IF_NONE_MATCH=new_etag).status_code == 304


def test_removing_a_promotion_changes_the_etag_and_the_answer(client, region):
    promotion = SearchPromotion.objects.create(
        query=Query.get("flytte"), page=region["nb"]["vacancies"], description="Flytt hit."
    )
    etag, answer = _etag(client)
    assert [item["title"] for item in answer.json()["promoted"]] == ["Ledige stillinger"]
    promotion.delete()
    new_etag, answer = _etag(client)
    assert new_etag != etag
    assert answer.json()["promoted"] == []


def test_a_synonym_change_costs_other_endpoints_one_full_answer(client, region):
    """One content version: a synonym moves every validator on, the answers stay the same."""
    url, params = "/api/v1/municipalities", {"lang": "nb"}
    first = client.get(url, params)
    Synonym.objects.create(terms="flytte, tilflytter")
    again = client.get(url, params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again.json() == first.json()
    assert client.get(url, params, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
