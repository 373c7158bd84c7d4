"""A Redis cache that degrades to a miss when Redis is away, and stops asking while it is.

The site must keep rendering pages, and editors keep publishing, if Redis restarts, hangs
or the network to it drops: a read becomes a miss, a write is dropped, and `incr` finds no
key (the ValueError its callers already handle). `/readyz` still reports the cache as
failing, because a value written there cannot be read back.

A page makes dozens of cache calls, and against a Redis that hangs each would wait for the
socket timeout. So a circuit breaker, one per process and Redis server, stands in front:
after a failure it opens, and for CIRCUIT_BREAKER_SECONDS every call is answered as a miss
without touching the network. Then one call probes Redis; if Redis answers, the breaker
closes. An outage is logged when it begins (with its cause) and when it ends, not per call.

The project's own cached values need no invalidation: their keys carry the content version
(`region_pages.versions`), which lives in the database, so a change made during an outage
is never hidden by what Redis still holds. Wagtail's renditions cache is invalidated by
deletes, though (an image's file replaced, its focal point moved), and a dropped delete
leaves a stale entry. A process that dropped a write therefore clears the cache (FLUSHDB,
as Django's `clear()` does: the Redis database belongs to the cache) when its probe finds
Redis answering, before it reads again. Other processes may serve renditions Redis held
until then; a process that ends during the outage (a sync command) cannot clear it, and
such an entry goes when it expires.

Hand-written rather than django-redis' IGNORE_EXCEPTIONS, which turns each failure into a
miss but still waits for the timeout on every call and logs every one, has no breaker, and
forgets the writes it dropped.
"""

import logging
import threading
import time
from functools import wraps
from urllib.parse import urlsplit, urlunsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_BREAKER_SECONDS = 5.0

# What the breaker tells a caller: go ahead, go ahead as the one probe, or leave Redis alone.
CALL, PROBE, SKIP = "call", "probe", "skip"


class CircuitBreaker:
    """Whether this process asks a Redis server at all; shared by every cache and thread
    that uses the server.

    Closed, every call goes through. The first failure opens it: calls are skipped for
    `seconds`, then a single call is let through as a probe (the others are still skipped
    while it runs). If Redis answers the probe, the breaker closes; if not, it stays open
    for another `seconds`.
    """

    def __init__(self, name: str, seconds: float, clock=time.monotonic):
        self.name = name
        self.seconds = seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._opened_at: float | None = None  # None while closed
        self._outage_began = 0.0
        self._probing = False
        self._skipped = 0
        self._writes_dropped = False

    def admit(self, *, write: bool = False) -> str:
        """CALL, PROBE or SKIP; a write that is skipped is remembered (under the same lock,
        so that the probe that closes the breaker knows of it)."""
        if self._opened_at is None:  # the common case, without the lock
            return CALL
        with self._lock:
            if self._opened_at is None:
                return CALL
            if self._probing or self.clock() - self._opened_at < self.seconds:
                self._skipped += 1
                self._writes_dropped |= write
                return SKIP
            self._probing = True
            return PROBE

    def failed(self, error: BaseException, *, write: bool = False) -> None:
        with self._lock:
            self._writes_dropped |= write
            if self._opened_at is not None:
                return  # a call that began before the breaker opened: the same outage
            self._opened_at = self._outage_began = self.clock()
            self._skipped = 0
            logger.warning(
                "Redis at %s does not answer (%s). Cache reads are misses and writes are "
                "dropped; Redis is asked again every %g s.",
                self.name,
                error,
                self.seconds,
            )

    def probe_failed(self, error: BaseException, *, write: bool = False) -> None:
        with self._lock:
            self._writes_dropped |= write
            self._probing = False
            self._opened_at = self.clock()
        logger.debug("Redis at %s still does not answer: %s", self.name, error)

    def close(self) -> bool:
        """After a probe that Redis answered: whether writes were dropped meanwhile."""
        with self._lock:
            writes_dropped = self._writes_dropped
            logger.info(
                "Redis at %s answers again after %.0f s; %d cache calls were skipped%s.",
                self.name,
                self.clock() - self._outage_began,
                self._skipped,
                ", and the cache is cleared: writes were lost" if writes_dropped else "",
            )
            self._opened_at = None
            self._probing = False
            self._writes_dropped = False
            return writes_dropped


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(servers: list[str], seconds: float) -> CircuitBreaker:
    """The process's breaker for these servers (the first cache to ask sets its seconds)."""
    key = ";".join(servers)
    with _breakers_lock:
        if key not in _breakers:
            name = ";".join(_without_credentials(server) for server in servers)
            _breakers[key] = CircuitBreaker(name, seconds)
        return _breakers[key]


def _without_credentials(url: str) -> str:
    """The server's address for the log: never its password."""
    parts = urlsplit(url)
    if parts.hostname is None:  # a Unix socket path
        return parts.path or url
    address = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    return urlunsplit((parts.scheme, address, parts.path, "", ""))


def _resilient(fallback, *, writes: bool = False):
    """Run the cache operation unless the breaker says no; when Redis is unavailable,
    answer `fallback(args)`, and remember a dropped write."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            breaker = self.breaker
            admission = breaker.admit(write=writes)
            if admission == PROBE and not self._probe(write=writes):
                admission = SKIP
            if admission != SKIP:
                try:
                    return method(self, *args, **kwargs)
                except UNAVAILABLE as error:
                    breaker.failed(error, write=writes)
            return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty_dict(*args, **kwargs):
    return {}


def _all_keys(data, *args, **kwargs):
    return list(data)


def _not_found(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found: the cache is unavailable.")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, with one redis-py client per connection pool instead of a new one
    for every call (Django makes one a call: 0.15 ms, a tenth of a response served from
    the cache). A redis-py client is safe to share between threads: each command takes a
    connection from the pool, which starts afresh in a forked process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, where an unreachable server is a miss and not an error.

    CIRCUIT_BREAKER_SECONDS, beside LOCATION in the cache's settings, is how long Redis is
    left alone after a failure.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        seconds = float(params.get("CIRCUIT_BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS))
        self.breaker = breaker_for(self._servers, seconds)

    def _probe(self, *, write: bool) -> bool:
        """Ask Redis on behalf of every caller; clear it if writes were lost meanwhile.
        Whether Redis answered."""
        client = self._cache.get_client(None, write=True)
        try:
            client.ping()
        except UNAVAILABLE as error:
            self.breaker.probe_failed(error, write=write)
            return False
        except BaseException as error:  # not an answer either: never leave the probe out
            self.breaker.probe_failed(error, write=write)
            raise
        # Closed before clearing, so that no write skipped before the clear is missed.
        if self.breaker.close():
            try:
                client.flushdb(asynchronous=True)
            except UNAVAILABLE as error:
                # The writes are still lost, and this one too: the next probe clears.
                self.breaker.failed(error, write=True)
                return False
        return True

    get = _resilient(_default)(RedisCache.get)
    get_many = _resilient(_empty_dict)(RedisCache.get_many)
    has_key = _resilient(_false)(RedisCache.has_key)
    # Only adds a value that is not there: dropping it leaves nothing stale.
    add = _resilient(_false)(RedisCache.add)
    set = _resilient(_nothing, writes=True)(RedisCache.set)
    set_many = _resilient(_all_keys, writes=True)(RedisCache.set_many)
    touch = _resilient(_false, writes=True)(RedisCache.touch)
    delete = _resilient(_false, writes=True)(RedisCache.delete)
    delete_many = _resilient(_nothing, writes=True)(RedisCache.delete_many)
    clear = _resilient(_false, writes=True)(RedisCache.clear)
    # decr, get_or_set, incr_version and the async methods are built on these.
    incr = _resilient(_not_found, writes=True)(RedisCache.incr)

    @_resilient(_nothing, writes=True)
    def count(self, key: str, timeout: int) -> int | None:
        """Add one to the counter `key` and return it, in one round trip: a counter that
        was not there starts at 1 and lives `timeout` seconds (Django's `incr` asks whether
        the key exists first, and an `add` then sets it: up to three round trips). None
        when Redis does not answer."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.expire(key, timeout, nx=True)
            number, _expiry_set = pipe.execute()
        return number
