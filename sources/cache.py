"""A cache of what the pages show of the imported data.

The data changes only when a source runs (or a page is published), so every cached value
is keyed by a version number that `bump()` moves on: after each sync, and on every publish,
unpublish or move of a page. A warm page then shows vacancies, figures and credits without
a query.
"""

from django.core.cache import cache

VERSION_KEY = "sources:version"
TIMEOUT = 3600


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = 1
        cache.add(VERSION_KEY, current, None)
    return current


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def cached(name: str, build):
    key = f"sources:{version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
