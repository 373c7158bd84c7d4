"""MET Norway's sunrise API: daylight through the year at each administrative centre, on
the municipality pages and in the API."""

from datetime import date, timedelta

from django.utils import timezone, translation

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sources.adapters.met import MetSunrise, SunFeature, daylight_minutes, wanted_days
from sources.base import Fetched
from sources.errors import PayloadError
from sources.models import DaylightDay, RunStatus
from sources.pipeline import run_source
from sources.recorded import Reply, json_reply, sun_feature

from ..conftest import publish
from ..factories import MunicipalityPageFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
EVERY = 28  # 14 days of the year and the two solstices: 16 requests a place


@pytest.fixture
def thinned(settings):
    settings.SOURCES_DAYLIGHT_EVERY_DAYS = EVERY


def feature(**changes) -> dict:
    """A `/sun` answer in MET's format (the shape of the documentation's example)."""
    document = {
        "copyright": "MET Norway",
        "licenseURL": "https://api.met.no/license_data.html",
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [14.1428, 66.3128]},
        "when": {"interval": ["2026-01-31T10:37:00Z", "2026-02-01T10:40:00Z"]},
        "properties": {
            "body": "Sun",
            "sunrise": {"time": "2026-01-31T08:30+01:00", "azimuth": 126.53},
            "sunset": {"time": "2026-01-31T16:35+01:00", "azimuth": 233.81},
            "solarnoon": {
                "time": "2026-01-31T12:33+01:00",
                "disc_centre_elevation": 13.59,
                "visible": True,
            },
            "solarmidnight": {
                "time": "2026-02-01T00:33+01:00",
                "disc_centre_elevation": -46.85,
                "visible": False,
            },
        },
    }
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = document
        for name in parents:
            target = target[name]
        target[last] = value
    return document


# ---- reading MET's answers ---------------------------------------------------------------


def test_daylight_runs_from_sunrise_to_sunset():
    assert daylight_minutes(SunFeature.model_validate(feature())) == 8 * 60 + 5


def test_a_sun_that_does_not_set_is_up_until_the_end_of_the_solar_day():
    document = feature(
        properties__sunrise={"time": "2026-01-31T12:00+01:00"},
        properties__sunset={"time": None, "azimuth": None},
    )
    # From 11:00 UTC to the end of the solar day at 10:40 UTC the next day.
    assert daylight_minutes(SunFeature.model_validate(document)) == 23 * 60 + 40
    document = feature(properties__sunrise=None)
    # From the start of the solar day (10:37 UTC) to 16:35 local (15:35 UTC).
    assert daylight_minutes(SunFeature.model_validate(document)) == 4 * 60 + 58


@pytest.mark.parametrize(("elevation", "minutes"), [(5.2, 1440), (-0.5, 1440), (-3.1, 0)])
def test_no_sunrise_and_no_sunset_is_a_whole_day_or_none_by_the_noon_sun(elevation, minutes):
    document = feature(
        properties__sunrise={"time": None, "azimuth": None},
        properties__sunset={"time": None, "azimuth": None},
    )
    document["properties"]["solarnoon"]["disc_centre_elevation"] = elevation
    assert daylight_minutes(SunFeature.model_validate(document)) == minutes


moments = st.datetimes(
    min_value=timezone.datetime(2026, 1, 31, 10, 37),
    max_value=timezone.datetime(2026, 2, 1, 10, 40),
)


@given(rise=st.none() | moments, set_=st.none() | moments, elevation=st.floats(-90, 90))
def test_daylight_is_never_less_than_none_nor_more_than_a_day(rise, set_, elevation):
    def written(moment):
        return moment.strftime("%Y-%m-%dT%H:%MZ") if moment else None

    document = feature(
        properties__sunrise={"time": written(rise)},
        properties__sunset={"time": written(set_)},
    )
    document["properties"]["solarnoon"]["disc_centre_elevation"] = elevation
    assert 0 <= daylight_minutes(SunFeature.model_validate(document)) <= 1440


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)


@hypothesis_settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    document=json_values
    | st.builds(
        feature,
        properties__body=json_values,
        when__interval=json_values,
        properties__sunrise=json_values,
    )
)
def test_any_answer_is_read_or_refused_with_a_payload_error(document):
    fetched = Fetched(documents=[("1833", date(2026, 1, 31), "met/sun", document)])
    try:
        records = MetSunrise().parse(fetched, ctx=None)
    except PayloadError:
        return
    assert 0 <= records[0]["daylight_minutes"] <= 1440


def test_the_days_asked_for_are_every_day_or_every_nth_and_the_solstices():
    assert len(wanted_days(2026, 1)) == 365
    assert len(wanted_days(2028, 1)) == 366
    thinned = wanted_days(2026, 7)
    assert thinned[:2] == [date(2026, 1, 1), date(2026, 1, 8)]
    assert {date(2026, 6, 21), date(2026, 12, 21)} <= set(thinned)
    assert len(thinned) == 53 + 2


# ---- runs against the service on loopback -------------------------------------------------


def test_a_run_stores_each_centres_days_asking_as_met_requires(recorded, thinned):
    run = run_source("met")
    assert run.status == RunStatus.SUCCEEDED, run.errors
    assert run.added == DaylightDay.objects.count() == 4 * 16
    requests = recorded.requests_to("/met/weatherapi/sunrise/3.0/sun")
    assert len(requests) == 4 * 16
    assert all("ranaregionen" in seen.headers["user-agent"] for seen in requests)
    january = next(s for s in requests if s.query["date"] == [f"{YEAR}-01-01"])
    june = next(s for s in requests if s.query["date"] == [f"{YEAR}-06-21"])
    assert january.query["offset"] == ["+01:00"]
    assert june.query["offset"] == ["+02:00"]
    rana = next(s for s in requests if s.query["lat"] == ["66.3128"])
    assert rana.query["lon"] == ["14.1428"]


def test_a_second_run_asks_for_nothing_and_changes_nothing(recorded, thinned):
    run_source("met")
    asked = len(recorded.seen)
    run = run_source("met")
    assert run.status == RunStatus.UNCHANGED
    assert len(recorded.seen) == asked
    assert run.changed == 0


def test_mo_i_rana_has_the_midnight_sun_and_a_short_winter_day(recorded, thinned):
    run_source("met")
    midsummer = DaylightDay.objects.get(municipality_number="1833", date=date(YEAR, 6, 21))
    assert midsummer.daylight_minutes == 1440
    assert midsummer.sunrise is None and midsummer.sunset is None
    midwinter = DaylightDay.objects.get(municipality_number="1833", date=date(YEAR, 12, 21))
    assert 60 < midwinter.daylight_minutes < 180
    assert midwinter.sunrise.date() == midwinter.sunset.date() == date(YEAR, 12, 21)


def test_a_dry_run_stores_nothing(recorded, thinned):
    run = run_source("met", dry_run=True)
    assert run.added == 64
    assert not DaylightDay.objects.exists()


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(
            lambda request: json_reply(feature(properties__sunrise={"time": "soon"})),
            id="a time that is not a time",
        ),
        pytest.param(lambda request: json_reply(feature(properties__body="Moon")), id="the moon"),
        pytest.param(
            lambda request: json_reply(
                feature(when__interval=["2026-01-31T10:37:00Z", "2026-02-03T10:40:00Z"])
            ),
            id="a day of three days",
        ),
        pytest.param(lambda request: Reply(body=b"<html>Service Unavailable"), id="not JSON"),
        pytest.param(lambda request: json_reply({"error": "Bad request"}, 422), id="refused"),
    ],
)
def test_a_broken_answer_fails_the_run_and_changes_nothing(recorded, thinned, settings, answer):
    run_source("met")
    before = list(DaylightDay.objects.order_by("pk").values())
    settings.SOURCES_DAYLIGHT_EVERY_DAYS = 14  # days not yet known: the run must ask
    asked = []

    def broken(request, match):
        asked.append(request)
        # One good answer first: the run fails on the second, and keeps neither.
        if len(asked) == 1:
            return json_reply(sun_feature_for(request))
        return answer(request)

    recorded.add(r"/met/weatherapi/sunrise/3\.0/sun", broken)
    run = run_source("met")
    assert run.status == RunStatus.FAILED
    assert run.errors and run.errors[0]["nb"] and run.errors[0]["en"]
    assert list(DaylightDay.objects.order_by("pk").values()) == before


def sun_feature_for(request) -> dict:
    from sources.recorded import _parse_offset

    return sun_feature(
        float(request.query["lat"][0]),
        float(request.query["lon"][0]),
        date.fromisoformat(request.query["date"][0]),
        _parse_offset(request.query["offset"][0]),
    )


def test_an_answer_for_another_place_or_day_is_skipped_and_logged(recorded, thinned):
    def elsewhere(request, match):
        document = sun_feature_for(request)
        if request.query["lat"] == ["66.3128"]:  # Mo i Rana: answered for Oslo
            document["geometry"]["coordinates"] = [10.7167, 59.9333]
        return json_reply(document)

    recorded.add(r"/met/weatherapi/sunrise/3\.0/sun", elsewhere)
    run = run_source("met")
    assert run.status == RunStatus.SUCCEEDED
    assert run.skipped == 16
    assert not DaylightDay.objects.filter(municipality_number="1833").exists()
    assert DaylightDay.objects.filter(municipality_number="1832").count() == 16
    with translation.override("en"):
        assert "another place" in run.error_messages[0]


def test_days_of_older_years_are_removed(recorded, thinned):
    DaylightDay.objects.create(
        municipality_number="1833",
        date=date(YEAR - 2, 3, 1),
        daylight_minutes=600,
        noon_elevation=20,
    )
    kept = DaylightDay.objects.create(
        municipality_number="1833",
        date=date(YEAR - 1, 3, 1),
        daylight_minutes=600,
        noon_elevation=20,
    )
    run = run_source("met")
    assert run.removed == 1
    assert DaylightDay.objects.filter(pk=kept.pk).exists()


# ---- what readers and partners see ------------------------------------------------------------


@pytest.fixture
def rana_with_daylight(recorded, thinned, home):
    page = MunicipalityPageFactory(
        parent=home, municipality_number="1833", title="Rana", slug="rana"
    )
    publish(page)
    run_source("met", sample=True)
    return page


def test_the_municipality_page_shows_the_year_of_daylight_with_its_source(
    client, rana_with_daylight
):
    html = client.get(rana_with_daylight.url).content.decode()
    assert 'id="daylight-heading"' in html and 'href="#daylight-heading"' in html
    assert "Dagslys gjennom året" in html
    assert '<svg class="chart chart--daylight"' in html
    assert "Soloppgang og solnedgang i Mo i Rana" in html
    assert "midnattssol" in html  # the sentence and the table's June row
    assert "1.\u00a0jan" in html  # the table's first row
    assert "Meteorologisk institutt" in html or "MET Norway" in html
    assert "CC BY 4.0" in html
    assert "ikke hentet fra Meteorologisk institutt" in html  # sample data, said as such


def test_the_daylight_reads_in_english(rf, rana_with_daylight):
    from sources.templatetags.sources_tags import daylight_for

    with translation.override("en"):
        shown = daylight_for({}, rana_with_daylight)
        assert "the midnight sun" in shown["facts"]
        assert "In Mo i Rana the sun is up for" in shown["facts"]
        assert shown["rows"][0]["label"] == "1\u00a0Jan"
        assert "Hours of daylight in Mo i Rana" in str(shown["chart"])


def test_the_api_gives_each_centres_days_and_periods(client, rana_with_daylight):
    answer = client.get("/api/v1/daylight?municipality=1833")
    assert answer.status_code == 200
    [rana] = answer.json()["items"]
    assert rana["place"] == "Mo i Rana"
    assert len(rana["days"]) == 16
    assert rana["longest_day"]["daylight_minutes"] == 1440
    assert rana["midnight_sun"]["first"] <= f"{YEAR}-06-21" <= rana["midnight_sun"]["last"]
    assert rana["polar_night"] is None
    assert answer.json()["sources"][0]["sample"] is True
    everything = client.get("/api/v1/daylight").json()
    assert [item["municipality_number"] for item in everything["items"]] == [
        "1833",
        "1832",
        "1834",
        "1828",
    ]


@pytest.mark.parametrize(
    "query", ["municipality=0301", "municipality=1833&municipality=1832", "x=1"]
)
def test_the_daylight_api_refuses_bad_parameters(client, query):
    answer = client.get(f"/api/v1/daylight?{query}")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"


def test_the_daylight_api_costs_few_queries(
    client, rana_with_daylight, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/daylight").status_code == 200


def test_every_day_of_a_year_is_one_request_a_place(recorded, settings):
    """The default: the whole year, so that the facts are exact to the day."""
    settings.SOURCES_DAYLIGHT_EVERY_DAYS = 1
    run = run_source("met")
    assert run.status == RunStatus.SUCCEEDED
    days = 366 if date(YEAR, 12, 31).timetuple().tm_yday == 366 else 365
    assert DaylightDay.objects.count() == 4 * days
    assert len(recorded.requests_to("/met/")) == 4 * days
    # Two weeks and more without a sunset at every centre, the more the further north.
    nights = {
        number: DaylightDay.objects.filter(
            municipality_number=number, daylight_minutes=1440
        ).count()
        for number in ("1832", "1828", "1833", "1834")  # Korgen, Nesna, Mo i Rana, Lurøy
    }
    assert min(nights.values()) >= 14
    assert nights["1832"] <= nights["1833"] <= nights["1834"], nights


def test_a_place_with_polar_night_is_told_so_with_its_dates():
    """Further north than this region (Tromsø, say): the facts name the polar night."""
    from sources import daylight

    start = date(2026, 11, 25)
    minutes = [30, 0, 0, 0, 0, 15, 0, 60] + [600] * 5 + [1440] * 3 + [900]
    days = [
        DaylightDay(
            municipality_number="5501",
            date=start + timedelta(days=n),
            daylight_minutes=m,
            noon_elevation=0,
        )
        for n, m in enumerate(minutes)
    ]
    facts = daylight.summary(days)
    assert (facts["polar_night"].first, facts["polar_night"].last) == (
        date(2026, 11, 26),
        date(2026, 11, 29),
    )
    assert facts["midnight_sun"].first == date(2026, 12, 8)
    with translation.override("en"):
        sentence = daylight.facts_sentence("Tromsø", facts)
    assert sentence.startswith("In Tromsø the sun does not rise from 26 November to 29 November")
    assert "From 8 December to 10 December it does not set at all" in sentence
    with translation.override("nb"):
        assert "mørketid" in daylight.facts_sentence("Tromsø", facts)
