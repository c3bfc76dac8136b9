"""A Redis cache that degrades to "no cache" when Redis is unreachable.

Pages then render from the database, slower but correct, and the log says why once
(again only after Redis has come back and gone away again), not on every request.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    _reported_down = False

    def _attempt(self, method, default, *args, **kwargs):
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except UNAVAILABLE as error:
            if not ResilientRedisCache._reported_down:
                ResilientRedisCache._reported_down = True
                logger.error("Redis is unreachable (%s); serving without the cache.", error)
            return default
        if ResilientRedisCache._reported_down:
            ResilientRedisCache._reported_down = False
            logger.warning("Redis answers again; the cache is back in use.")
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
        return self._attempt("add", False, key, value, timeout or self.default_timeout, version)

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
