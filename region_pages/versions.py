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

What is built from the content (a menu, a region's sites, a source's figures) is kept
under the version with `remember`: in the shared cache for every process, and in the
process itself, so that a page asking for the same value many times, and the next page,
do not each make a round trip to Redis.
"""

import functools
import hashlib
import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
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


# ---- values kept under the version ----------------------------------------------------

# How long a process keeps a value without asking the shared cache again. The version
# decides whether a value is current, but a few also depend on the day (a listing's
# deadlines, the daylight year): the shared cache's timeout bounds how far those lag, and
# this adds at most a minute to it.
KEPT_SECONDS = 60
# Values of one version kept at most (all are small: a menu, a list of rows); past it the
# process starts again from the shared cache.
KEPT_LIMIT = 2048
_kept: tuple[str, dict] = ("", {})


def remember(kind: str, name: str, build, timeout: int = 3600):
    """What `build()` returns, under `kind:<version>:name`: from this process's memory,
    else the shared cache, else built and put in both. A new version starts afresh.

    The value is shared by the process's requests: callers read it and never change it.
    `None` is not kept (build something else for "nothing": "", {}, []).
    """
    return remember_many(kind, [name], lambda _names: {name: build()}, timeout)[name]


def remember_many(kind: str, names, build, timeout: int = 3600) -> dict:
    """`remember` for several values at once: {name: value} for `names`, those this
    process does not keep read from the shared cache in one round trip, and the rest built
    together by `build(names)`, which gives {name: value} for each of them."""
    version = token()
    kept = _kept_for(version)
    now = time.monotonic()
    found, missing = {}, []
    for name in names:
        held = kept.get(_key(kind, version, name))
        if held is not None and held[0] > now:
            found[name] = held[1]
        else:
            missing.append(name)
    if not missing:
        return found
    keys = {_key(kind, version, name): name for name in missing}
    for key_, value in cache.get_many(list(keys)).items():
        found[keys[key_]] = value
    unbuilt = [name for name in missing if name not in found]
    if unbuilt:
        built = build(unbuilt)
        cache.set_many({_key(kind, version, name): built[name] for name in unbuilt}, timeout)
        found.update(built)
    if len(kept) + len(missing) > KEPT_LIMIT:
        kept.clear()
    expires = now + min(timeout, KEPT_SECONDS)
    for name in missing:
        kept[_key(kind, version, name)] = (expires, found[name])
    return found


def _kept_for(version: str) -> dict:
    """What this process keeps of `version` (a new version starts afresh)."""
    global _kept
    kept_version, kept = _kept
    if kept_version != version:
        kept = {}
        _kept = (version, kept)
    return kept


def key(kind: str, name: str) -> str:
    """Where `remember` keeps `kind`'s `name` in the shared cache under the current version."""
    return _key(kind, token(), name)


def _key(kind: str, version: str, name: str) -> str:
    return f"{kind}:{release()}:{version}:{name}"


# What a release's kept values are made by: its code, its templates, its catalogues.
RELEASE_SUFFIXES = (".py", ".html", ".xml", ".txt", ".po")


@functools.cache
def release() -> str:
    """The project's own code, templates and catalogues, as a short digest, made once a
    process. The values kept in the shared cache are shaped by the code that made them (a
    pickled tuple, rendered HTML): two releases that share one Redis, as a rolling upgrade
    runs them, never read each other's, and a new release renders everything afresh."""
    base = Path(settings.BASE_DIR)
    roots = {base / "locale", Path(settings.PROJECT_DIR)}
    roots.update(
        Path(config.path) for config in apps.get_app_configs() if _own(Path(config.path), base)
    )
    return digest_of(roots, base)


def digest_of(roots, base: Path) -> str:
    """The files under `roots` that shape what is kept (`RELEASE_SUFFIXES`), by their
    place below `base` and their bytes."""
    digest = hashlib.sha256()
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _own(path: Path, base: Path) -> bool:
    """Whether an app is the project's: under its root, not in an installed environment."""
    return path.is_relative_to(base) and not any(
        part.startswith(".") or part == "site-packages" for part in path.relative_to(base).parts
    )


def forget_kept() -> None:
    """Drop what this process keeps (the shared cache is left as it is)."""
    global _kept
    _kept = ("", {})


@receiver(request_started, dispatch_uid="content_version_request_started")
def _start(**kwargs) -> None:
    _requesting.set(True)
    _in_request.set(None)


@receiver(request_finished, dispatch_uid="content_version_request_finished")
def _finish(**kwargs) -> None:
    _requesting.set(False)
    _in_request.set(None)
