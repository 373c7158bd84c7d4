"""Reading and bumping the content version (`models.ContentVersion`).

A request reads the version once and keeps it to its end (a page asks for it from its
menu, its imported data and its search answers); a bump in the request moves the kept
number on too. Outside requests (commands, tasks) every read asks the database.
"""

from contextvars import ContextVar

from django.core.signals import request_finished, request_started
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from .models import ContentVersion

_ROW = 1
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


def token() -> str:
    """The version as a string for cache keys and validators. The time makes it unique
    even where a database was restored or rolled back and counted up to the same number."""
    version, changed_at = current()
    return f"{version}-{changed_at.timestamp() if changed_at else 0}"


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


@receiver(request_started, dispatch_uid="content_version_request_started")
def _start(**kwargs) -> None:
    _requesting.set(True)
    _in_request.set(None)


@receiver(request_finished, dispatch_uid="content_version_request_finished")
def _finish(**kwargs) -> None:
    _requesting.set(False)
    _in_request.set(None)
