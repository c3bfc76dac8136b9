"""A Redis cache that degrades to "no cache" when Redis is unreachable or frozen.

Pages then render from the database, slower but correct, and the log says why once (again
only after Redis has come back and gone away again), not on every request. After a failure,
the cache stays away from Redis for a few seconds (a circuit breaker), so a frozen Redis
that would hold every call for its socket timeout costs one timeout per process, not one per
call; then one call probes it again.

add() answers True while Redis is away: its only caller is allauth's rate limiting, which
takes a lock with add() before counting; refusing the lock would lock everybody out of
logging in, so rate limiting fails open instead (and the outage is in the log).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class Outage:
    """Whether a Redis server is known to be away, for this process (every thread's cache)."""

    retry_seconds = 5.0
    by_location = {}

    def __init__(self):
        self.retry_at = 0.0
        self.reported = False

    @classmethod
    def of(cls, location):
        return cls.by_location.setdefault(location, cls())

    def skip(self):
        return time.monotonic() < self.retry_at

    def failed(self, error):
        self.retry_at = time.monotonic() + self.retry_seconds
        if not self.reported:
            self.reported = True
            logger.error("Redis is unreachable (%s); serving without the cache.", error)

    def succeeded(self):
        if self.reported:
            self.reported = False
            logger.warning("Redis answers again; the cache is back in use.")


class ResilientRedisCache(RedisCache):
    def _attempt(self, method, default, *args):
        outage = Outage.of(tuple(self._servers))
        if outage.skip():
            return default
        try:
            result = getattr(super(), method)(*args)
        except UNAVAILABLE as error:
            outage.failed(error)
            return default
        outage.succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._attempt("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt("has_key", False, key, version)

    def set(self, key, value, timeout=None, version=None):
        return self._attempt("set", None, key, value, timeout or self.default_timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._attempt("add", True, key, value, timeout or self.default_timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._attempt("set_many", list(data), data, timeout or self.default_timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._attempt("touch", False, key, timeout or self.default_timeout, version)

    def delete(self, key, version=None):
        return self._attempt("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._attempt("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._attempt("incr", None, key, delta, version)

    def clear(self):
        return self._attempt("clear", False)
