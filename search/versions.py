"""The version of what a search answers: cached answers and the API's ETag depend on it.

Every write to the index (publishing, unpublishing, moving, privacy, deleting, a rebuild),
every change to a synonym and every change to a search promotion bumps it, in the
transaction of that change: an answer cached under the old version is never served again
once the change is committed, and a partner's `If-None-Match` stops matching.

It lives in the database (one row of `IndexVersion`), not in the cache, so that every
process agrees on it whatever the cache backend.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import IndexVersion

_ROW = 1
# Read once per request: the API's ETag and the search itself ask for it.
_REQUEST_ATTRIBUTE = "_search_index_version"


def current(request=None) -> tuple[int, object]:
    """(version, when it last changed); (0, None) before the first change."""
    if request is not None and hasattr(request, _REQUEST_ATTRIBUTE):
        return getattr(request, _REQUEST_ATTRIBUTE)
    row = IndexVersion.objects.filter(pk=_ROW).values_list("version", "changed_at").first()
    found = row or (0, None)
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, found)
    return found


def token(request=None) -> str:
    """The version as a string for cache keys and ETags. The time makes it unique even where
    a database was rolled back and counted up to the same number again."""
    version, changed_at = current(request)
    return f"{version}-{changed_at.timestamp() if changed_at else 0}"


def bump(**kwargs) -> None:
    """Count one change (usable as a signal receiver)."""
    now = timezone.now()
    if IndexVersion.objects.filter(pk=_ROW).update(version=F("version") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():
            IndexVersion.objects.create(pk=_ROW, version=1, changed_at=now)
    except IntegrityError:  # created by a concurrent change in the meantime
        IndexVersion.objects.filter(pk=_ROW).update(version=F("version") + 1, changed_at=now)


# Raised when the API's search answer changes shape for the same index version.
API_REPRESENTATION = "2"


def etag_version(request) -> tuple[str, object]:
    """What the API's ETag and Last-Modified of /api/v1/search add for the index."""
    _version, changed_at = current(request)
    return f"search-{API_REPRESENTATION}-{token(request)}", changed_at
