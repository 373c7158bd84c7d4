"""Reading and bumping the content version (`models.ContentVersion`).

A request reads the version once and keeps it to its end (a page asks for it from its
menu, its imported data and its search answers); a bump in the request moves the kept
number on too. Outside requests (commands, tasks) every read asks the database, except
within `read_once()`, which keeps it as a request does (a publish's steps).

The response cache at the origin (`cms.response_cache`) reads the version from the shared
cache instead, in the same round trip as the stored answer, so an answer served from
there reads no database. The database stays the truth: a bump deletes the shared copy at
once and writes the new one after its commit, and the copy lasts at most
`RESPONSE_CACHE_VERSION_SECONDS`, which bounds what a write dropped while Redis was away
can leave behind (the cache is also cleared when Redis answers again, `cms.cache`).
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from .models import ContentVersion

logger = logging.getLogger(__name__)

_ROW = 1
# The version's key in the shared cache (`settings.RESPONSE_CACHE_ALIAS`).
CACHE_KEY = "content-version:token"
# Where the response cache leaves the token it read for the request it hands to Django
# (the WSGI environ, `request.META`), so that nothing reads it a second time.
ENVIRON_KEY = "region_pages.content_version"
_in_request: ContextVar[tuple[int, object] | None] = ContextVar("content_version", default=None)
_requesting: ContextVar[bool] = ContextVar("content_version_requesting", default=False)


def current() -> tuple[int, object]:
    """(version, when it last changed); (0, None) before the first change."""
    kept = _in_request.get()
    if kept is not None:
        return kept
    row = ContentVersion.objects.filter(pk=_ROW).values_list("version", "changed_at").first()
    found = row or (0, None)
    if _requesting.get():
        _in_request.set(found)
    return found


@contextmanager
def read_once():
    """Outside a request too, read the version once for the enclosed work (a bump in it
    moves the kept number on, as in a request): a publish's steps ask for it for every
    entry whose answer they represent."""
    requesting, kept = _requesting.set(True), _in_request.set(None)
    try:
        yield
    finally:
        _requesting.reset(requesting)
        _in_request.reset(kept)


def token() -> str:
    """The version as a string for cache keys and validators. The time makes it unique
    even where a database was restored or rolled back and counted up to the same number."""
    return _as_token(*current())


def _as_token(version: int, changed_at) -> str:
    return f"{version}-{changed_at.timestamp() if changed_at else 0}"


def shared_token(found: str | None) -> str:
    """The token as the shared cache held it (`found`, read by the caller together with
    what it wanted), or, when it held none, the database's, which is then kept there for
    the next reader. `add`, not `set`: a bump's own write after its commit always wins
    over a reader that read the database just before that commit."""
    if found is not None:
        return found
    row = ContentVersion.objects.filter(pk=_ROW).values_list("version", "changed_at").first()
    fresh = _as_token(*(row or (0, None)))
    _shared_cache().add(CACHE_KEY, fresh, settings.RESPONSE_CACHE_VERSION_SECONDS)
    return fresh


def _shared_cache():
    return caches[settings.RESPONSE_CACHE_ALIAS]


def share_after_commit() -> None:
    """Share the version this commit made. Two publishers that commit close together may
    write in the other order (the first's write landing after the second's), which would
    share an older version; so each reads the row again after writing and writes once
    more while it has moved on. The last write then always holds the newest version."""
    written = None
    for _attempt in range(5):
        row = ContentVersion.objects.filter(pk=_ROW).values_list("version", "changed_at").first()
        fresh = _as_token(*(row or (0, None)))
        if fresh == written:
            return
        _shared_cache().set(CACHE_KEY, fresh, settings.RESPONSE_CACHE_VERSION_SECONDS)
        written = fresh


def bump() -> None:
    """Count one change, in the caller's transaction."""
    now = timezone.now()
    if not ContentVersion.objects.filter(pk=_ROW).update(version=F("version") + 1, changed_at=now):
        try:
            with transaction.atomic():
                ContentVersion.objects.create(pk=_ROW, version=1, changed_at=now)
        except IntegrityError:  # created by a concurrent change in the meantime
            ContentVersion.objects.filter(pk=_ROW).update(version=F("version") + 1, changed_at=now)
    if _requesting.get():
        # Read again when next asked: the number this transaction now sees.
        _in_request.set(None)
    # Readers until the commit find no shared copy and read the database (the version
    # before this change, as they should); after it, the new one is shared.
    _shared_cache().delete(CACHE_KEY)
    transaction.on_commit(share_after_commit)


@receiver(request_started, dispatch_uid="content_version_request_started")
def _start(**kwargs) -> None:
    _requesting.set(True)
    _in_request.set(None)


@receiver(request_finished, dispatch_uid="content_version_request_finished")
def _finish(**kwargs) -> None:
    _requesting.set(False)
    _in_request.set(None)
