"""`/api/v1/vacancies`: typed, filtered, linked to the original ads, in the change feed,
with the source's licence, freshness and sample flag."""

from django.utils import timezone

import pytest

from sources.models import SourceState, Vacancy
from sources.pipeline import run_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(recorded):
    run_source("nav")


def test_the_list_links_every_vacancy_to_its_original_ad(client, synced):
    answer = client.get("/api/v1/vacancies")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 4
    urls = {item["url"] for item in body["items"]}
    assert urls == set(Vacancy.objects.values_list("url", flat=True))
    assert all(url.startswith("https://arbeidsplassen.nav.no/") for url in urls)
    source = body["sources"][0]
    assert source["name"] == "nav"
    assert source["stale"] is False
    assert source["sample"] is False


def test_a_sparse_list_keeps_the_fields_asked_for(client, synced):
    whole = client.get("/api/v1/vacancies?lang=en").json()
    sparse = client.get("/api/v1/vacancies?lang=en&fields=title,deadline").json()
    assert len(sparse["items"]) == 4
    assert sparse["items"] == [
        {key: item[key] for key in ("id", "title", "deadline")} for item in whole["items"]
    ]
    assert sparse["sources"] == whole["sources"]


def test_filters_combine(client, synced):
    body = client.get("/api/v1/vacancies?municipality=1834&sector=private").json()
    assert [item["municipality_name"] for item in body["items"]] == ["Lurøy"]
    assert client.get("/api/v1/vacancies?municipality=1834&sector=public").json()["count"] == 0


def test_labels_follow_lang(client, synced):
    item = client.get("/api/v1/vacancies?municipality=1834&lang=en").json()["items"][0]
    assert item["sector_label"] == "Private sector"
    item = client.get("/api/v1/vacancies?municipality=1834&lang=nb").json()["items"][0]
    assert item["sector_label"] == "Privat sektor"


def test_deadline_filter(client, synced):
    Vacancy.objects.filter(municipality_number="1833").update(deadline="2026-12-01")
    body = client.get("/api/v1/vacancies?deadline_before=2026-12-31").json()
    assert [item["municipality_number"] for item in body["items"]] == ["1833"]


def test_bad_parameters_are_explained_as_problems(client, synced):
    answer = client.get("/api/v1/vacancies?colour=red")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert {error["name"] for error in answer.json()["errors"]} == {"colour"}
    answer = client.get("/api/v1/vacancies?municipality=0301")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["name"] == "municipality"


def test_a_stale_source_is_flagged(client, synced, settings):
    SourceState.objects.filter(source="nav").update(
        last_success_at=timezone.now() - timezone.timedelta(days=5)
    )
    settings.SOURCES_STALE_AFTER_HOURS = 48
    assert client.get("/api/v1/vacancies").json()["sources"][0]["stale"] is True


def test_one_vacancy_and_a_removed_one(client, synced):
    vacancy = Vacancy.objects.get(municipality_number="1833")
    answer = client.get(f"/api/v1/vacancies/{vacancy.public_id}")
    assert answer.status_code == 200
    assert answer.json()["title"] == vacancy.title
    missing = client.get("/api/v1/vacancies/nav:does-not-exist?lang=en")
    assert missing.status_code == 404
    assert "removed when the ad closes" in missing.json()["detail"]


def test_vacancies_appear_in_the_change_feed_and_move_the_etag(client, recorded):
    before = client.get("/api/v1/vacancies")
    run_source("nav")
    after = client.get("/api/v1/vacancies", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200, "a sync that changed vacancies gives a new ETag"
    feed = client.get("/api/v1/changes?limit=1000").json()["items"]
    vacancies = [item for item in feed if item["resource_type"] == "vacancy"]
    assert len(vacancies) == 8  # four ads, each announced in nb and en
    detail = client.get(vacancies[0]["api_url"])
    assert detail.status_code == 200


def test_the_openapi_document_describes_vacancies(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/vacancies" in schema["paths"]
    assert "VacancyOut" in schema["components"]["schemas"]


def test_the_list_takes_a_fixed_number_of_queries(client, synced, django_assert_max_num_queries):
    client.get("/api/v1/vacancies?limit=1")  # the regions, kept under the content version
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/vacancies?limit=100").status_code == 200
