"""Readiness probes: the database, the cache and the media storage, each with a deadline.

Each probe runs in its own thread so that a server that hangs (rather than refusing)
costs at most ``READINESS_TIMEOUT`` seconds. Failures are logged with their cause for
the operators; the HTTP answer names only the failing part, never a host or a key.
"""

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connections

logger = logging.getLogger(__name__)


def check_database() -> None:
    """Open a fresh connection (never the request's) and run a trivial query."""
    alias = "default"
    connection = connections.create_connection(alias)
    if connection.vendor == "postgresql":
        timeout = max(1, int(settings.READINESS_TIMEOUT))
        options = dict(connection.settings_dict.get("OPTIONS", {}))
        options.setdefault("connect_timeout", timeout)
        connection.settings_dict = {**connection.settings_dict, "OPTIONS": options}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def check_cache() -> None:
    """Write a value and read it back: a degraded cache answers a miss, which fails here."""
    cache = caches["default"]
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)


def check_storage() -> None:
    """Ask the media storage about a key; any answer, found or not, means it is up."""
    storages["default"].exists("readyz-probe")


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
}


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """Long-lived probe threads: the storage's client is per thread and costly to build."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2 * len(CHECKS), thread_name_prefix="readyz")
        return _executor


def failing_parts(timeout: float | None = None) -> list[str]:
    """The names of the parts that failed or did not answer in time, in a stable order."""
    timeout = settings.READINESS_TIMEOUT if timeout is None else timeout
    futures = {name: _pool().submit(check) for name, check in CHECKS.items()}
    # A probe still running after the deadline is abandoned, not awaited: it ends on
    # its own client's timeout.
    wait(futures.values(), timeout=timeout)
    failures = []
    for name, future in futures.items():
        if not future.done():
            future.cancel()
            logger.error("Readiness: %s did not answer within %s s", name, timeout)
            failures.append(name)
        elif future.exception() is not None:
            logger.error("Readiness: %s failed: %r", name, future.exception())
            failures.append(name)
    return failures
