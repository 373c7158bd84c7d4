"""What readers search for, counted in the process and written in batches.

Editors read two records of the site search: Wagtail's query statistics (behind the
promoted results) and the searches that found nothing (`MissedQuery`, the report "Searches
without results"). A search page is kept whole by the response cache at the origin
(`cms.response_cache`), so most searches never reach the view: the view marks what a
search is to be counted as (`mark`), the response cache keeps that beside the answer and
counts it again each time it serves the answer (`record`).

Counting must not cost what the cache saves, so a count is added to this process's tally
and the tally is written every `SEARCH_HITS_FLUSH_SECONDS` (one transaction for all the
searches since the last write), when a request ends, and when the process exits. With 0
every search is written at once. If the database does not take the write, the tally is
kept for the next one. A process that is killed loses at most that many seconds of counts.
"""

import atexit
import datetime
import logging
import operator
import threading
import time
from collections import Counter
from functools import reduce
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from .models import MissedQuery

logger = logging.getLogger(__name__)

# Where the view leaves what its search counts as, for the response cache to keep.
ENVIRON_KEY = "ranaregionen.search"


class Search(NamedTuple):
    """One search as the records count it."""

    query: str  # as the reader's words were cleaned
    language: str
    missed: bool  # found nothing, with no filter chosen


class Tally:
    """Counts not yet written; safe to share between threads."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        # Keyed by the day as Wagtail's query statistics count it (UTC) and as the report of
        # missed searches does (the site's time zone), and by the search.
        self._counts: Counter[tuple[datetime.date, datetime.date, Search]] = Counter()
        self._written_at = clock()

    def add(self, search: Search) -> None:
        with self._lock:
            self._counts[(timezone.now().date(), timezone.localdate(), search)] += 1
        if self.due():
            self.write()

    def due(self) -> bool:
        seconds = settings.SEARCH_HITS_FLUSH_SECONDS
        return bool(self._counts) and (seconds <= 0 or self.clock() - self._written_at >= seconds)

    def write(self) -> None:
        """Write every count in one transaction; keep them if the database refuses."""
        with self._lock:
            counts, self._counts = self._counts, Counter()
            self._written_at = self.clock()
        if not counts:
            return
        try:
            with transaction.atomic():
                _write(counts)
        except DatabaseError as error:
            logger.warning(
                "The counts of %d searches could not be written (%s); they are kept for "
                "the next write.",
                counts.total(),
                error,
            )
            with self._lock:
                self._counts.update(counts)


def _write(counts: Counter) -> None:
    """Add the counts to Wagtail's daily hits and to the missed searches, in a number of
    queries that does not grow with them: the rows that are missing are made first
    (at 0, leaving any another process made alone), then one UPDATE adds to each."""
    searched: Counter[tuple[datetime.date, str]] = Counter()
    missed: Counter[tuple[datetime.date, str, str]] = Counter()
    for (date, local_date, search), times in counts.items():
        searched[(date, normalise_query_string(search.query))] += times
        if search.missed:
            missed[(local_date, search.query.lower()[:200], search.language)] += times

    strings = {query_string for _date, query_string in searched}
    Query.objects.bulk_create(
        [Query(query_string=query_string) for query_string in strings], ignore_conflicts=True
    )
    query_ids = dict(
        Query.objects.filter(query_string__in=strings).values_list("query_string", "pk")
    )
    daily = {
        (date, query_ids[query_string]): times for (date, query_string), times in searched.items()
    }
    QueryDailyHits.objects.bulk_create(
        [QueryDailyHits(query_id=query_id, date=date) for date, query_id in daily],
        ignore_conflicts=True,
    )
    rows = QueryDailyHits.objects.filter(
        query_id__in={query_id for _date, query_id in daily},
        date__in={date for date, _query_id in daily},
    )
    _add(
        rows,
        [(Q(date=date, query_id=query_id), times) for (date, query_id), times in daily.items()],
    )

    if missed:
        MissedQuery.objects.bulk_create(
            [
                MissedQuery(date=date, query_string=query_string, language_code=language)
                for date, query_string, language in missed
            ],
            ignore_conflicts=True,
        )
        rows = MissedQuery.objects.filter(
            date__in={date for date, _query, _language in missed},
            query_string__in={query for _date, query, _language in missed},
        )
        _add(
            rows,
            [
                (Q(date=date, query_string=query_string, language_code=language), times)
                for (date, query_string, language), times in missed.items()
            ],
        )


def _add(rows, additions: list[tuple[Q, int]]) -> None:
    """One UPDATE: add `times` to `hits` of the rows each condition picks."""
    rows.filter(reduce(operator.or_, (condition for condition, _times in additions))).update(
        hits=F("hits")
        + Case(
            *(When(condition, then=Value(times)) for condition, times in additions),
            default=Value(0),
        )
    )


tally = Tally()


def mark(request, search: Search) -> None:
    """Count the search of this request, and leave it for the response cache to count
    again each time it serves the answer."""
    request.environ[ENVIRON_KEY] = search
    tally.add(search)


def record(search: Search) -> None:
    """Count a search answered from a kept answer."""
    tally.add(search)


def write_when_due(**kwargs) -> None:
    """At the end of every request (`request_finished`): the counts of a quiet while are
    written too, not only when the next search comes."""
    if tally.due():
        tally.write()


atexit.register(tally.write)
