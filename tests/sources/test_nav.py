"""NAV's job feed: paging, the public token, conditional polling, the region filter, and
the removal of inactive and expired ads, through the recorded feed on loopback."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from region_pages.models import ChangeAction, ChangeEvent, ResourceType
from sources.models import RunStatus, SourceState, SyncRun, Vacancy, VacancySector
from sources.pipeline import run_source
from sources.recorded import FIXTURES, json_reply

pytestmark = pytest.mark.django_db

RANA_AD = "0b8f3a52-0000-4000-8000-00000000a001"
HEMNES_INACTIVE = "0b8f3a52-0000-4000-8000-00000000a002"
OSLO_AD = "0b8f3a52-0000-4000-8000-00000000a003"
LAST_PAGE = "5d0a4c1e-0000-4000-8000-000000000002"


def recorded_json(path):
    return json.loads((FIXTURES / path).read_text())


def line(uuid, status="ACTIVE", municipal="RANA"):
    return {
        "id": uuid,
        "url": f"/api/v1/feedentry/{uuid}",
        "title": "Annonse",
        "_feed_entry": {"uuid": uuid, "status": status, "municipal": municipal},
    }


def last_page_with(*items):
    page = recorded_json("nav/nav_stilling_feed_page_last.synthetic.json")
    page["items"] = list(items)
    return page


def test_active_ads_in_the_region_are_stored_with_a_link_to_the_original(recorded):
    run = run_source("nav")
    assert run.status == RunStatus.SUCCEEDED
    ads = {ad.external_id: ad for ad in Vacancy.objects.all()}
    assert RANA_AD in ads
    assert HEMNES_INACTIVE not in ads, "inactive ads are never shown"
    assert OSLO_AD not in ads, "ads outside the four municipalities are left out"
    assert {ad.municipality_number for ad in ads.values()} == {"1833", "1832", "1834", "1828"}
    rana = ads[RANA_AD]
    assert rana.url == f"https://arbeidsplassen.nav.no/stillinger/stilling/{RANA_AD}"
    assert rana.sector == VacancySector.PUBLIC
    assert rana.employer == "EKSEMPEL HELSEFORETAK AVD MO I RANA"
    assert run.added == len(ads) == 4
    # Only the ads in the region were fetched in full.
    assert not recorded.requests_to(OSLO_AD)
    assert not recorded.requests_to(HEMNES_INACTIVE)


def test_the_token_comes_from_the_public_token_endpoint(recorded):
    run_source("nav")
    feed_requests = recorded.requests_to(r"/api/v1/feed")
    assert feed_requests
    assert all(r.headers["authorization"] == f"Bearer {recorded.nav_token}" for r in feed_requests)
    assert len(recorded.requests_to("publicToken")) == 1


def test_a_rotated_token_is_fetched_again_on_401(recorded):
    original = recorded.nav_token
    rotated = "eyJuZXcifQ.eyJyb3RhdGVkIjp0cnVlfQ.c2lnbmF0dXJl"
    calls = []

    def rotate_once(request, match):
        if not calls:
            calls.append(request.headers["authorization"])
            recorded.nav_token = rotated
            return json_reply({"error": "unauthorized"}, 401)
        return recorded._nav_page(request, match)

    recorded.add(r"/nav/api/v1/feed(?:/(?P<id>[\w-]+))?", rotate_once)
    run = run_source("nav")
    assert run.status == RunStatus.SUCCEEDED
    assert calls == [f"Bearer {original}"]
    assert len(recorded.requests_to("publicToken")) == 2
    assert recorded.requests_to(LAST_PAGE)[-1].headers["authorization"] == f"Bearer {rotated}"


def test_a_second_run_polls_the_last_page_conditionally_and_changes_nothing(recorded):
    run_source("nav")
    before = list(Vacancy.objects.values_list("external_id", "synced_at"))
    events = ChangeEvent.objects.count()
    second = run_source("nav")
    assert second.status == RunStatus.UNCHANGED
    assert second.changed == 0
    polled = recorded.requests_to(LAST_PAGE)[-1]
    assert polled.headers.get("if-none-match")
    assert polled.headers.get("if-modified-since")
    assert list(Vacancy.objects.values_list("external_id", "synced_at")) == before
    assert ChangeEvent.objects.count() == events


def test_an_ad_that_turns_inactive_is_removed_and_announced(recorded):
    run_source("nav")
    assert Vacancy.objects.filter(external_id=RANA_AD).exists()
    recorded.add(
        rf"/nav/api/v1/feed/{LAST_PAGE}",
        lambda request, match: json_reply(last_page_with(line(RANA_AD, "INACTIVE"))),
    )
    run = run_source("nav")
    assert run.removed == 1
    assert not Vacancy.objects.filter(external_id=RANA_AD).exists()
    tombstones = ChangeEvent.objects.filter(
        resource_type=ResourceType.VACANCY,
        resource_id=f"nav:{RANA_AD}",
        action=ChangeAction.DELETED,
    )
    assert sorted(tombstones.values_list("language_code", flat=True)) == ["en", "nb"]


def test_an_ad_that_moves_out_of_the_region_is_removed(recorded):
    run_source("nav")
    recorded.add(
        rf"/nav/api/v1/feed/{LAST_PAGE}",
        lambda request, match: json_reply(last_page_with(line(RANA_AD, "ACTIVE", "OSLO"))),
    )
    run_source("nav")
    assert not Vacancy.objects.filter(external_id=RANA_AD).exists()


def test_expired_ads_are_removed_even_when_the_feed_has_nothing_new(recorded):
    run_source("nav")
    Vacancy.objects.filter(external_id=RANA_AD).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    run = run_source("nav")
    assert run.removed == 1
    assert not Vacancy.objects.filter(external_id=RANA_AD).exists()


def test_an_ad_already_past_its_expiry_is_not_stored(recorded):
    entry = recorded_json(f"nav/feedentry_{RANA_AD}.synthetic.json")
    entry["ad_content"]["expires"] = "2021-04-23T00:00:00+02:00"
    recorded.add(rf"/nav/api/v1/feedentry/{RANA_AD}", lambda request, match: json_reply(entry))
    run_source("nav")
    assert not Vacancy.objects.filter(external_id=RANA_AD).exists()
    assert Vacancy.objects.count() == 3


def test_the_derived_real_ad_outside_the_region_is_left_out(recorded):
    """NAV's own test ad (Leka) is active but in another municipality."""
    entry = recorded_json("nav/nav_stilling_feed_feedentry.derived.json")
    ad_id = entry["uuid"]
    recorded.add(rf"/nav/api/v1/feedentry/{ad_id}", lambda request, match: json_reply(entry))
    recorded.add(
        rf"/nav/api/v1/feed/{LAST_PAGE}",
        lambda request, match: json_reply(last_page_with(line(ad_id, "ACTIVE", "RANA"))),
    )
    run_source("nav")
    assert not Vacancy.objects.filter(external_id=ad_id).exists()


def test_a_failing_feed_keeps_the_last_good_data_and_marks_it_stale(recorded, settings):
    run_source("nav")
    good = SourceState.objects.get(source="nav").last_success_at
    recorded.add(r"/nav/api/v1/feed/.*", lambda request, match: json_reply({}, 500))
    settings.SOURCES_HTTP_BACKOFF = 0
    run = run_source("nav")
    assert run.status == RunStatus.FAILED
    assert "500" in run.errors[0]["en"]
    assert Vacancy.objects.count() == 4
    state = SourceState.objects.get(source="nav")
    assert state.last_success_at == good
    assert state.last_failed
    assert not state.is_stale
    settings.SOURCES_STALE_AFTER_HOURS = 0
    assert state.is_stale


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"items": [', "not valid JSON"),
        (b'{"next_url": null}', "expected shape"),
        (b'{"items": [{"id": "x"}]}', "expected shape"),
    ],
    ids=["invalid-json", "no-items", "item-without-fields"],
)
def test_a_malformed_page_fails_the_run_with_a_clear_log_entry(recorded, body, expected):
    from sources.recorded import Reply

    recorded.add(r"/nav/api/v1/feed", lambda request, match: Reply(body=body))
    run = run_source("nav")
    assert run.status == RunStatus.FAILED
    assert expected in run.errors[0]["en"]
    assert run.errors[0]["nb"] and run.errors[0]["nb"] != run.errors[0]["en"]
    assert Vacancy.objects.count() == 0


def test_a_run_is_all_or_nothing(recorded, monkeypatch):
    from sources import feed

    def broken(**kwargs):
        raise RuntimeError("the change feed is down")

    monkeypatch.setattr(feed, "announce_vacancies", broken)
    run = run_source("nav")
    assert run.status == RunStatus.FAILED
    assert Vacancy.objects.count() == 0, "nothing half-written"
    assert SourceState.objects.get(source="nav").cursor == {}, "the cursor did not move"


def test_a_dry_run_counts_but_stores_nothing(recorded):
    run = run_source("nav", dry_run=True)
    assert run.dry_run
    assert run.added == 4
    assert Vacancy.objects.count() == 0
    assert SourceState.objects.get(source="nav").last_success_at is None
    assert SyncRun.objects.filter(source="nav").count() == 1


def test_the_upsert_of_a_large_feed_takes_a_bounded_number_of_queries(recorded):
    """The write side is bulk: the query count does not grow with the number of ads."""
    run_source("nav")
    with CaptureQueriesContext(connection) as queries:
        Vacancy.objects.all().delete()
        SourceState.objects.filter(source="nav").update(cursor={})
        run_source("nav")
    assert len(queries) < 40


def test_an_unchanged_ad_on_a_reread_page_is_not_fetched_again(recorded):
    run_source("nav")
    fetched_before = len(recorded.requests_to(RANA_AD))
    rana_line = line(RANA_AD)
    rana_line["_feed_entry"]["sistEndret"] = "2026-09-01T08:15:00+02:00"
    recorded.add(
        rf"/nav/api/v1/feed/{LAST_PAGE}",
        lambda request, match: json_reply(last_page_with(rana_line, line(OSLO_AD, "INACTIVE"))),
    )
    run = run_source("nav")
    assert run.unchanged == 1
    assert len(recorded.requests_to(RANA_AD)) == fetched_before
    assert Vacancy.objects.filter(external_id=RANA_AD).exists()


@pytest.fixture
def rana_pages(home):
    """Rana's page in Norwegian and English, and the work page; Lurøy has no page."""
    from region_pages.models import Theme

    from ..conftest import publish, translate
    from ..factories import MunicipalityPageFactory, ThemePageFactory

    work = publish(ThemePageFactory(parent=home, theme=Theme.WORK, title="Arbeid", slug="arbeid"))
    rana = publish(
        MunicipalityPageFactory(parent=home, municipality_number="1833", title="Rana", slug="rana")
    )
    return rana, translate(rana), work


def test_a_vacancys_events_name_the_page_that_lists_it_in_each_language(recorded, rana_pages):
    rana, rana_en, _work = rana_pages
    run_source("nav")
    events = ChangeEvent.objects.filter(resource_type=ResourceType.VACANCY)
    pages = dict(
        events.filter(resource_id=f"nav:{RANA_AD}").values_list("language_code", "page_id")
    )
    assert pages == {"nb": rana.pk, "en": rana_en.pk}
    luroy = Vacancy.objects.get(municipality_number="1834").public_id
    assert set(events.filter(resource_id=luroy).values_list("page_id", flat=True)) == {None}, (
        "no page lists Lurøy's vacancies: no page, rather than a made-up one"
    )
    assert not events.filter(page_id=0).exists()


def test_a_removed_vacancys_tombstone_names_the_page_it_left(recorded, rana_pages):
    rana, _rana_en, _work = rana_pages
    run_source("nav")
    recorded.add(
        rf"/nav/api/v1/feed/{LAST_PAGE}",
        lambda request, match: json_reply(last_page_with(line(RANA_AD, "INACTIVE"))),
    )
    run_source("nav")
    tombstone = ChangeEvent.objects.get(
        resource_id=f"nav:{RANA_AD}", action=ChangeAction.DELETED, language_code="nb"
    )
    assert tombstone.page_id == rana.pk


def test_a_sync_with_new_vacancies_purges_the_pages_that_list_them(
    recorded, rana_pages, settings, django_capture_on_commit_callbacks
):
    from cms.settings.base import frontend_cache

    from ..servers import PurgeRecorder

    server = PurgeRecorder().start()
    settings.WAGTAILFRONTENDCACHE = frontend_cache(
        {"FRONTEND_CACHE_PURGE_URL": server.url, "FRONTEND_CACHE_PURGE_TIMEOUT": "2"}
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_source("nav")
        assert {"/nb/rana/", "/en/rana/", "/nb/arbeid/"} <= server.paths()
        assert "/nb/" not in server.paths(), "the home page does not list vacancies"
        server.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert run_source("nav").status == RunStatus.UNCHANGED
        assert server.requests == [], "nothing changed, nothing purged"
    finally:
        server.stop()
