"""A Redis cache that degrades to misses when Redis is unreachable, instead of failing the request.

Nothing the site must keep lives in the cache (sessions are in Postgres), so an outage costs speed
and allauth's rate limits (which count in the cache), never a page. After an error the cache is
skipped for `RETRY_AFTER_SECONDS`, so a Redis host that does not answer at all costs one short
timeout every few seconds per process (its threads share what they learn), not one per cache call.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
# Redis answers in well under a millisecond on a private network; longer means it is not answering.
DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


class _Breaker:
    def __init__(self):
        self.down_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self, error: Exception) -> None:
        with self.lock:
            was_up = self.down_until == 0.0
            self.down_until = time.monotonic() + RETRY_AFTER_SECONDS
        if was_up:
            logger.warning("Cache unreachable, serving without it: %s: %s", type(error).__name__, error)

    def reset(self) -> None:
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            logger.warning("Cache reachable again")


_breakers: dict[tuple, _Breaker] = {}


def _breaker_for(servers) -> _Breaker:
    return _breakers.setdefault(tuple(servers), _Breaker())


def _tolerant(fallback):
    """Run the Redis call; on a Redis or network error return `fallback(*args)` instead."""

    def decorate(method):
        def wrapper(self, *args, **kwargs):
            if self.breaker.is_open():
                return fallback(*args)
            try:
                result = method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self.breaker.trip(error)
                return fallback(*args)
            self.breaker.reset()
            return result

        wrapper.__name__ = method.__name__
        wrapper.__doc__ = method.__doc__
        return wrapper

    return decorate


def _missing_key(*args):
    raise ValueError("Key not found (the cache is unreachable)")


class FaultTolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **{**DEFAULT_TIMEOUTS, **options})
        self.breaker = _breaker_for(servers)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis for every call, and each one sets up its hundred-odd response
        # callbacks: a page making a dozen cache calls spent more time there than in Redis. A client is
        # thread-safe and only borrows connections from its pool, so one per pool serves every thread.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    # "Added": the key is absent as far as anyone can tell, and callers that use add() as a lock
    # (allauth's rate limits) must go ahead rather than wait for a lock nobody can take.
    add = _tolerant(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _tolerant(lambda key, default: default)(RedisCacheClient.get)
    set = _tolerant(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _tolerant(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _tolerant(lambda key: False)(RedisCacheClient.delete)
    get_many = _tolerant(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _tolerant(lambda key: False)(RedisCacheClient.has_key)
    incr = _tolerant(_missing_key)(RedisCacheClient.incr)
    set_many = _tolerant(lambda data, timeout: None)(RedisCacheClient.set_many)
    delete_many = _tolerant(lambda keys: None)(RedisCacheClient.delete_many)
    clear = _tolerant(lambda: False)(RedisCacheClient.clear)


class FaultTolerantRedisCache(RedisCache):
    """Django's RedisCache with short timeouts, answering as a cache miss while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FaultTolerantRedisCacheClient
