"""One run of a source at a time.

Two overlapping runs of one source (a scheduled run and an editor's, or two app
containers' schedulers) would upsert the same rows and fail on a unique constraint. A run
takes a lock per source; a second run finds it taken and stops before fetching anything.

Both locks are released by the operating system or the database if the process dies, so
a killed run never leaves a source locked:
- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`), which also holds
  between several app containers.
- SQLite: `flock` on a file beside the database (a SQLite site runs on one machine).
"""

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext_lazy as _

from .errors import SourceError

# The first key of the advisory lock: this project's sync runs ("sync" in ASCII).
ADVISORY_NAMESPACE = 0x73796E63


class SourceBusy(SourceError):
    """Another run of the same source holds its lock."""

    code = "busy"


def _key(name: str) -> int:
    """A stable signed 32-bit number for the source's name."""
    digest = hashlib.blake2b(name.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def _busy(name: str) -> SourceBusy:
    from .models import RunStatus, SyncRun

    running = (
        SyncRun.objects.filter(source=name, status=RunStatus.RUNNING)
        .order_by("-started_at")
        .first()
    )
    if running is None:
        return SourceBusy(
            _("Another run of %(source)s is in progress. Try again when it has finished."),
            source=name,
        )
    return SourceBusy(
        _(
            "Another run of %(source)s has been in progress since %(started)s (run "
            "%(run)s). Try again when it has finished."
        ),
        source=name,
        started=running.started_at.isoformat(timespec="seconds"),
        run=running.pk,
    )


@contextmanager
def _postgres_lock(name: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, _key(name)])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise _busy(name)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, _key(name)])


def _lock_file(name: str) -> Path:
    database = str(connection.settings_dict["NAME"])
    if database == ":memory:" or database.startswith("file:memorydb") or not database:
        # An in-memory database belongs to this process alone, and so does its lock.
        return Path(tempfile.gettempdir()) / f"ranaregionen-{os.getpid()}-sync-{name}.lock"
    return Path(f"{database}.sync-{name}.lock")


@contextmanager
def _file_lock(name: str):
    with _lock_file(name).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(name) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def source_lock(name: str):
    """Hold the source's lock for the block; raise SourceBusy if another run holds it."""
    return _postgres_lock(name) if connection.vendor == "postgresql" else _file_lock(name)
