"""A cache of what the pages show of the imported data.

The data changes only when a source runs (or a page is published), and both move the
content version on (`region_pages.versions`), in their transaction. Every cached value is
keyed by that version, so a warm page shows vacancies, figures and credits without a
query, and nothing cached before a change is read after it commits. The version lives in
the database: an evicted key or a Redis outage cannot set it back.
"""

from region_pages import versions

TIMEOUT = 3600


def cached(name: str, build):
    return versions.remember("sources", name, build, TIMEOUT)
