"""A Redis cache that degrades to a miss when Redis is away.

The site must keep rendering pages if Redis restarts or the network to it drops: a read
becomes a miss, a write is dropped, and the failure is logged. `/readyz` still reports
the cache as failing, because a value written there cannot be read back.
"""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrade(fallback):
    """Run the cache operation; on a connection failure, log and return `fallback(args)`."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                logger.warning("Cache unavailable during %s: %s", method.__name__, error)
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


def _empty_list(*args, **kwargs):
    return []


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, where an unreachable server is a miss and not an error."""

    get = _degrade(_default)(RedisCache.get)
    get_many = _degrade(_empty_dict)(RedisCache.get_many)
    has_key = _degrade(_false)(RedisCache.has_key)
    set = _degrade(_nothing)(RedisCache.set)
    set_many = _degrade(_empty_list)(RedisCache.set_many)
    add = _degrade(_false)(RedisCache.add)
    touch = _degrade(_false)(RedisCache.touch)
    delete = _degrade(_false)(RedisCache.delete)
    delete_many = _degrade(_nothing)(RedisCache.delete_many)
    clear = _degrade(_false)(RedisCache.clear)
