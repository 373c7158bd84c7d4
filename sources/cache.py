"""A cache of what the pages show of the imported data.

The data changes only when a source runs (or a page is published), so every cached value
is keyed by a version number that `bump()` moves on: after each sync, and on every publish,
unpublish or move of a page. A warm page then shows vacancies, figures and credits without
a query.

The version lives in the cache with the values. When Redis is away, `bump()` is dropped
like any write, and the process that dropped it clears the cache once Redis answers again
(cms/cache.py), so no value of the old version outlives the outage. A version that has gone
(evicted by a full Redis, or cleared) starts again at a random number, not at 1, so that
it does not land on values an earlier version left behind.
"""

import secrets

from django.core.cache import cache

VERSION_KEY = "sources:version"
TIMEOUT = 3600


def _new_version() -> int:
    return secrets.randbelow(2**48) + 1


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = _new_version()
        if not cache.add(VERSION_KEY, current, None):
            # Another process started one first (or the cache is away: any number misses).
            current = cache.get(VERSION_KEY, current)
    return current


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version to move on (or the cache is away)
        cache.set(VERSION_KEY, _new_version(), None)


def cached(name: str, build):
    key = f"sources:{version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
