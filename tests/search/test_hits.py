"""Searches counted in the process and written in batches (`search.hits`): what the
editors' records say once written, and nothing lost when a write fails."""

import datetime

from django.core.signals import request_finished
from django.db import OperationalError
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

import pytest

from search import hits
from search.models import MissedQuery

from ..clocks import ManualClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def tally(settings, monkeypatch):
    settings.SEARCH_HITS_FLUSH_SECONDS = 10
    tally = hits.Tally(clock=ManualClock())
    monkeypatch.setattr(hits, "tally", tally)
    return tally


def counts() -> dict:
    return {
        "searched": {query.query_string: query.hits for query in Query.objects.all()},
        "missed": {
            (row.query_string, row.language_code): row.hits for row in MissedQuery.objects.all()
        },
    }


def test_counts_are_written_together_once_the_interval_has_passed(
    tally, django_assert_max_num_queries
):
    for _ in range(3):
        hits.record(hits.Search("Barnehage", "nb", missed=True))
    hits.record(hits.Search("barnehage", "en", missed=False))
    hits.record(hits.Search("Mo i Rana", "nb", missed=False))
    assert counts() == {"searched": {}, "missed": {}}  # not yet written

    tally.clock.advance(10)
    # The next search writes them all, itself included, in one transaction whose
    # queries do not grow with the number of searches counted.
    with django_assert_max_num_queries(8):
        hits.record(hits.Search("Barnehage", "nb", missed=True))
    assert counts() == {
        "searched": {"barnehage": 5, "mo i rana": 1},
        "missed": {("barnehage", "nb"): 4},
    }
    # Added to what is there.
    hits.record(hits.Search("barnehage", "nb", missed=True))
    tally.clock.advance(10)
    tally.write()
    assert counts()["missed"] == {("barnehage", "nb"): 5}


def test_a_quiet_while_is_written_when_any_request_ends(tally, direct_wsgi):
    # (`direct_wsgi`: the end of a request does not close the test's connection.)
    hits.record(hits.Search("Nesna", "en", missed=False))
    request_finished.send(sender=None)
    assert counts()["searched"] == {}  # not due yet
    tally.clock.advance(10)
    request_finished.send(sender=None)
    assert counts()["searched"] == {"nesna": 1}


def test_counts_the_database_did_not_take_are_kept_for_the_next_write(tally, monkeypatch, caplog):
    hits.record(hits.Search("Lurøy", "nb", missed=True))
    write = hits._write

    def refused(counted):
        raise OperationalError("the database is not answering")

    monkeypatch.setattr(hits, "_write", refused)
    tally.clock.advance(10)
    tally.write()
    assert "could not be written" in caplog.text
    monkeypatch.setattr(hits, "_write", write)
    hits.record(hits.Search("Lurøy", "nb", missed=True))
    tally.clock.advance(10)
    tally.write()
    assert counts() == {"searched": {"lurøy": 2}, "missed": {("lurøy", "nb"): 2}}


def test_with_no_interval_every_search_is_written_at_once(settings):
    settings.SEARCH_HITS_FLUSH_SECONDS = 0
    hits.record(hits.Search("Hemnes", "nb", missed=False))
    assert counts()["searched"] == {"hemnes": 1}


def test_a_missed_search_is_counted_on_the_sites_day_as_the_report_reads_it(settings, monkeypatch):
    """Half past midnight in Norway is still the day before in UTC, where Wagtail's query
    statistics count."""
    settings.SEARCH_HITS_FLUSH_SECONDS = 0
    past_midnight = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: past_midnight)
    hits.record(hits.Search("Nattbuss", "nb", missed=True))
    assert MissedQuery.objects.get().date == datetime.date(2026, 12, 7)
    assert QueryDailyHits.objects.get().date == datetime.date(2026, 12, 6)
