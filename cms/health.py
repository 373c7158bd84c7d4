"""Readiness probes: the database, the cache and the media storage, each with a deadline.

Each probe runs in its own thread so that a server that hangs (rather than refusing)
costs a request at most ``READINESS_TIMEOUT`` seconds. A part that errors is failing; one
that has not answered by then is slow, and failing only once it has stayed without an
answer for ``READINESS_SLOW_GRACE`` seconds, so that a busy machine is not taken for a
dead one. Failures are logged with their cause for the operators; the HTTP answer names
only the parts, never a host or a key.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import NamedTuple

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


class Verdict(NamedTuple):
    """The parts that are down and the parts that answer late, each in a stable order."""

    failing: list[str]
    slow: list[str]


@dataclass(eq=False)
class _Probe:
    future: Future
    started: float
    settled: bool = False


class Readiness:
    """The probes of one process and what they remember between two calls.

    A part that refuses or raises fails at once. A part that has not answered by the
    deadline is only slow: a busy machine answers late, a dead one not at all. It
    fails once it has gone without a successful answer for ``READINESS_SLOW_GRACE``
    seconds. A probe still running is waited for again, never started a second time,
    so that a hanging part costs one thread, not one per request.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._probes: dict[str, _Probe] = {}
        # Since when (by the clock) each part has gone without a successful answer,
        # counted from the start of the first probe that missed its deadline.
        self._unanswered_since: dict[str, float] = {}

    def check(self, timeout: float | None = None, grace: float | None = None) -> Verdict:
        timeout = settings.READINESS_TIMEOUT if timeout is None else timeout
        grace = settings.READINESS_SLOW_GRACE if grace is None else grace
        with self._lock:
            probes = {}
            for name, check in CHECKS.items():
                probe = self._probes.get(name)
                if probe is None or probe.future.done():
                    if probe is not None:
                        # It ended after an earlier call had stopped waiting for it.
                        self._settle(name, probe)
                    probe = _Probe(_pool().submit(check), self._clock())
                    self._probes[name] = probe
                probes[name] = probe

        wait([probe.future for probe in probes.values()], timeout=timeout)

        failing, slow = [], []
        with self._lock:
            now = self._clock()
            for name, probe in probes.items():
                if probe.future.done():
                    if self._settle(name, probe) is not None:
                        failing.append(name)
                    continue
                since = self._unanswered_since.setdefault(name, probe.started)
                age = now - probe.started
                if now - since > grace:
                    logger.error(
                        "Readiness: %s has not answered for %.1f s (probe running for %.1f s)",
                        name,
                        now - since,
                        age,
                    )
                    failing.append(name)
                else:
                    logger.warning(
                        "Readiness: %s is slow: its probe has been running for %.1f s", name, age
                    )
                    slow.append(name)
        return Verdict(failing, slow)

    def _settle(self, name: str, probe: _Probe) -> BaseException | None:
        """Take a finished probe's outcome into account (once) and return its error, if any."""
        error = probe.future.exception()
        if not probe.settled:
            probe.settled = True
            if self._probes.get(name) is probe:
                del self._probes[name]
            if error is None:
                self._unanswered_since.pop(name, None)
            else:
                # An error ends no slow spell: a part that times out on its own client
                # after our deadline must still fail once the grace has run out.
                logger.error("Readiness: %s failed: %r", name, error)
        return error


# One per process: what a probe left running is remembered between requests.
readiness = Readiness()


def check_parts() -> Verdict:
    """Probe every part with the settings' deadline and grace."""
    return readiness.check()
