"""Anonymous reads from a streaming replica, everything else from the primary.

With `DATABASE_REPLICA_URL` set, the database alias `replica` is a PostgreSQL hot standby
of `default`. A request reads from it when all of these hold:

- it is an anonymous GET or HEAD (no session or CSRF cookie, no credentials) outside the
  admin: editors, who write, always read their own writes from the primary;
- the replica has replayed the newest content version: its `ContentVersion` row is at
  least the version the response cache read for this request (`versions.ENVIRON_KEY`:
  the one the publishers shared, or the primary's), else the one shared in the cache
  (`region_pages.versions`), so a publish is never answered from a replica that has not
  seen it yet. When neither is known the request reads from the primary;
- the replica answered: a replica that fails a query is left alone for
  `DATABASE_REPLICA_RETRY_SECONDS` (each process on its own), and a safe read that lost it
  mid-request is run again on the primary (`cms.database.RetrySafeReadsMiddleware`,
  outside this middleware).

From a request's first write on (a search recorded for the editors' report), its reads go
to the primary too. Writes, migrations and everything outside a request (commands, tasks,
the response cache's own version read) use the primary.
"""

import logging
import time
from contextlib import suppress
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import parse_cookie

from region_pages import versions
from region_pages.models import ContentVersion

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
SAFE_METHODS = frozenset({"GET", "HEAD"})

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)
# Per process: until when the replica is left alone after it failed (monotonic seconds).
_replica_down_until = [0.0]


class ReplicaRouter:
    """Reads from the replica while the current request may; everything else: the primary.

    Both answers are explicit: Django's fallback would otherwise send a write of an
    object read from the replica back to the replica."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else PRIMARY

    def db_for_write(self, model, **hints):
        # This request has written: what it reads from now on must include the write.
        _reading_replica.set(False)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data, wherever it was read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def configured() -> bool:
    return REPLICA in settings.DATABASES


def anonymous_read(request) -> bool:
    if request.method not in SAFE_METHODS or request.path.startswith("/admin/"):
        return False
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    cookies = parse_cookie(request.META.get("HTTP_COOKIE", ""))
    return settings.SESSION_COOKIE_NAME not in cookies and settings.CSRF_COOKIE_NAME not in cookies


def _version(token: str) -> int:
    return int(token.split("-", 1)[0])


def replica_caught_up(request=None) -> bool:
    """Whether the replica may answer now: it answers and holds the newest version (as
    the response cache read it for this request, or else as the cache holds it)."""
    if time.monotonic() < _replica_down_until[0]:
        return False
    shared = request.META.get(versions.ENVIRON_KEY) if request is not None else None
    if shared is None:
        shared = caches[settings.RESPONSE_CACHE_ALIAS].get(versions.CACHE_KEY)
    if shared is None:
        return False
    try:
        row = ContentVersion.objects.using(REPLICA).filter(pk=1).values_list("version").first()
    except DatabaseError as error:
        mark_replica_down(error)
        return False
    return (row[0] if row else 0) >= _version(shared)


def mark_replica_down(error: Exception) -> None:
    _replica_down_until[0] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
    logger.warning(
        "The read replica failed (%s); reads go to the primary for %s s",
        type(error).__name__,
        settings.DATABASE_REPLICA_RETRY_SECONDS,
    )
    if configured():
        with suppress(DatabaseError):
            connections[REPLICA].close()


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (configured() and anonymous_read(request) and replica_caught_up(request)):
            return self.get_response(request)
        token = _reading_replica.set(True)
        try:
            return self.get_response(request)
        finally:
            _reading_replica.reset(token)

    def process_exception(self, request, exception):
        if (
            _reading_replica.get()
            and isinstance(exception, DatabaseError)
            and not connections[REPLICA].is_usable()
        ):
            mark_replica_down(exception)
        return None
