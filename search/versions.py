"""The version of what a search answers: cached answers and the API's ETag depend on it.

It is the content version (`region_pages.versions`): publishing, unpublishing, moving,
privacy, deleting and a rebuild of the index move it on, and so does every change to a
synonym and to a search promotion, in the transaction of that change. An answer cached
under the old version is never served again once the change is committed, and a
partner's `If-None-Match` stops matching.
"""

from region_pages import versions


def current(request=None) -> tuple[int, object]:
    """(version, when it last changed); (0, None) before the first change."""
    return versions.current()


def token(request=None) -> str:
    return versions.token()


def bump(**kwargs) -> None:
    """Count one change (usable as a signal receiver)."""
    versions.bump()
