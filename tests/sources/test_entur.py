"""Entur's journey planner: travel times by public transport between the region's towns
and villages, on the pages and in the API."""

import json
from datetime import date, datetime, timedelta

from django.utils import timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from region_pages.municipalities import PLACE_BY_KEY, PLACES
from sources.adapters.entur import HOLIDAYS, day_to_search
from sources.models import CommuteLink, RunStatus
from sources.pipeline import run_source
from sources.recorded import Reply, json_reply, sample_trips

from ..conftest import publish
from ..factories import MunicipalityPageFactory, ThemePageFactory

pytestmark = pytest.mark.django_db

PAIRS = len(PLACES) * (len(PLACES) - 1)
OSLO = timezone.get_default_timezone()


def pattern(day: date, hour: int, minutes: int, modes=("bus",)) -> dict:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)
    legs = [{"mode": "foot", "line": None}]
    legs += [{"mode": mode, "line": {"publicCode": "18"}} for mode in modes]
    return {
        "aimedStartTime": start.isoformat(),
        "aimedEndTime": (start + timedelta(minutes=minutes)).isoformat(),
        "duration": minutes * 60,
        "legs": [*legs, {"mode": "foot", "line": None}],
    }


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31)))
def test_the_day_searched_is_an_ordinary_tuesday_soon_after(today):
    day = day_to_search(today)
    assert day.weekday() == 1
    assert today + timedelta(days=2) <= day <= today + timedelta(days=30)
    assert not ((day.month, day.day) >= HOLIDAYS[0] or (day.month, day.day) <= HOLIDAYS[1])


def test_a_run_asks_for_every_pair_of_places_as_entur_asks(recorded):
    run = run_source("entur")
    assert run.status == RunStatus.SUCCEEDED, run.errors
    assert CommuteLink.objects.count() == PAIRS == 30
    requests = recorded.requests_to("/entur/journey-planner/v3/graphql")
    assert len(requests) == PAIRS
    assert {seen.headers["et-client-name"] for seen in requests} == {"ranaregionen-commute"}
    body = json.loads(requests[0].body)
    assert "trip(" in body["query"]
    leaves = datetime.fromisoformat(body["variables"]["dateTime"])
    assert leaves.weekday() == 1 and (leaves.hour, leaves.minute) == (5, 0)
    # What the service answered, summed up.
    rana, korgen = PLACE_BY_KEY["mo-i-rana"], PLACE_BY_KEY["korgen"]
    answered = sample_trips(
        (rana.latitude, rana.longitude), (korgen.latitude, korgen.longitude), leaves, 19 * 60
    )
    link = CommuteLink.objects.get(origin="mo-i-rana", destination="korgen")
    assert link.departures == len(answered)
    assert link.typical_minutes == answered[0]["duration"] // 60
    assert link.modes == ["bus"] and link.fewest_changes == 0
    assert CommuteLink.objects.get(origin="luroy", destination="nesna").modes == ["bus", "water"]


def test_the_figures_are_the_median_the_fastest_and_the_departures_of_the_day(recorded):
    day = day_to_search(timezone.localdate())

    def answer(request, match):
        patterns = [
            pattern(day, 6, 50),
            pattern(day, 6, 50),  # the same departure twice (two ways to travel)
            pattern(day, 9, 40, modes=("bus", "water")),
            pattern(day, 12, 60),
            pattern(day, 15, 45),
            pattern(day + timedelta(days=1), 6, 30),  # the next day: not counted
            {**pattern(day, 17, 20), "legs": [{"mode": "foot", "line": None}]},  # a walk
        ]
        return json_reply({"data": {"trip": {"tripPatterns": patterns}}})

    recorded.add(r"/entur/.*", answer, method="POST")
    run_source("entur")
    link = CommuteLink.objects.get(origin="nesna", destination="mo-i-rana")
    assert link.departures == 4
    assert (link.typical_minutes, link.fastest_minutes) == (50, 40)
    assert link.fewest_changes == 0
    assert link.modes == ["bus", "water"]
    assert link.day == day


def test_no_journey_is_no_connection(recorded):
    recorded.add(
        r"/entur/.*",
        lambda request, match: json_reply({"data": {"trip": {"tripPatterns": []}}}),
        method="POST",
    )
    assert run_source("entur").status == RunStatus.SUCCEEDED
    link = CommuteLink.objects.get(origin="luroy", destination="korgen")
    assert link.departures == 0 and link.typical_minutes is None and link.modes == []


def test_a_second_run_changes_nothing(recorded):
    run_source("entur")
    run = run_source("entur")
    assert run.status == RunStatus.UNCHANGED
    assert run.unchanged == PAIRS


def test_next_weeks_timetable_with_the_same_figures_is_no_change(recorded):
    run_source("entur")
    last_week = CommuteLink.objects.first().day - timedelta(days=7)
    CommuteLink.objects.update(day=last_week)
    run = run_source("entur")
    assert run.status == RunStatus.UNCHANGED and run.changed == 0
    assert not CommuteLink.objects.filter(day=last_week).exists(), "the day searched is kept"


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(
            json_reply({"errors": [{"message": "Exceeded rate limit"}], "data": None}),
            id="a GraphQL error",
        ),
        pytest.param(
            json_reply({"data": {"trip": {"tripPatterns": [{"duration": "long"}]}}}),
            id="a journey of the wrong shape",
        ),
        pytest.param(json_reply({"data": {"trip": None}}), id="no trip"),
        pytest.param(Reply(body=b'{"data": '), id="cut off"),
        pytest.param(json_reply({"message": "Unauthorized"}, 401), id="refused"),
    ],
)
def test_a_broken_answer_fails_the_run_and_keeps_the_last_good_data(recorded, reply):
    run_source("entur")
    before = list(CommuteLink.objects.order_by("pk").values())
    asked = []

    def broken(request, match):
        asked.append(request)
        if len(asked) < 3:  # a few good answers first: none of them may be kept
            body = json.loads(request.body)["variables"]
            return json_reply(
                {
                    "data": {
                        "trip": {
                            "tripPatterns": [
                                pattern(datetime.fromisoformat(body["dateTime"]).date(), 7, 5)
                            ]
                        }
                    }
                }
            )
        return reply

    recorded.add(r"/entur/.*", broken, method="POST")
    run = run_source("entur")
    assert run.status == RunStatus.FAILED
    assert run.errors[0]["nb"] and run.errors[0]["en"]
    assert list(CommuteLink.objects.order_by("pk").values()) == before


# ---- what readers and partners see ------------------------------------------------------------


@pytest.fixture
def with_links(recorded, home):
    luroy = MunicipalityPageFactory(
        parent=home, municipality_number="1834", title="Lurøy", slug="luroy"
    )
    publish(luroy)
    work = ThemePageFactory(parent=home, theme="work", title="Arbeid", slug="arbeid")
    publish(work)
    run_source("entur", sample=True)
    return luroy, work


def test_a_municipality_page_lists_the_journeys_from_its_places(client, with_links):
    luroy, _work = with_links
    html = client.get(luroy.url).content.decode()
    assert 'id="commute-heading"' in html and 'href="#commute-heading"' in html
    assert "Kollektivtransport herfra" in html
    rows = html.split('id="commute-table-caption"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 1 + 2 * 5  # the header, and Lurøy and Stokkvågen to five places
    assert "buss, båt" in rows
    assert "Enturs reiseplanlegger" in html and "NLOD 2.0" in html
    assert "Eksempeldata" in html


def test_the_work_page_shows_the_region_as_a_matrix(client, with_links):
    _luroy, work = with_links
    html = client.get(work.url).content.decode()
    table = html.split('id="commute-table-caption"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == len(PLACES)
    assert table.count('<th scope="col">') == len(PLACES)
    link = CommuteLink.objects.get(origin="mo-i-rana", destination="nesna")
    assert f"{link.departures} avganger" in table


def test_the_api_lists_the_links_and_filters_them(client, with_links):
    everything = client.get("/api/v1/commute").json()
    assert len(everything["items"]) == PAIRS
    assert [place["key"] for place in everything["places"]] == [p.key for p in PLACES]
    assert everything["sources"][0]["name"] == "entur"
    one = client.get("/api/v1/commute?origin=luroy&destination=mo-i-rana").json()["items"]
    assert [(item["origin"], item["destination"]) for item in one] == [("luroy", "mo-i-rana")]
    assert one[0]["modes"] == ["bus", "water"]
    lurøy = client.get("/api/v1/commute?municipality=1834").json()["items"]
    assert len(lurøy) == 2 * 5 * 2 - 2  # from and to its two places, once each way between them


@pytest.mark.parametrize("query", ["origin=oslo", "municipality=0301", "origin=a&origin=b", "to=x"])
def test_the_commute_api_refuses_bad_parameters(client, query):
    answer = client.get(f"/api/v1/commute?{query}")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"


def test_the_commute_api_costs_few_queries(client, with_links, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/commute?municipality=1833").status_code == 200
