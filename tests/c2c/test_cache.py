"""The Redis cache answers as a miss, quickly, while Redis is unreachable, and works normally when it is there."""

import logging
import socket
import time

import pytest
import redis

from c2c import cache as tolerant


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_cache(url):
    return tolerant.FaultTolerantRedisCache(url, {"KEY_PREFIX": "test"})


@pytest.fixture(autouse=True)
def _fresh_breakers():
    tolerant._breakers.clear()
    yield
    tolerant._breakers.clear()


def test_an_unreachable_redis_is_a_quick_miss_and_is_logged_once(caplog):
    cache = make_cache(f"redis://127.0.0.1:{closed_port()}/0")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="c2c.cache"):
        assert cache.get("response-time:1") is None
        assert cache.get("response-time:1", "fallback") == "fallback"
        cache.set("response-time:1", "2 days")
        assert cache.get_or_set("response-time:2", lambda: "computed") == "computed"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("lock", 1) is True  # a lock nobody can hold must not block its callers
        assert cache.delete("a") is False
        assert cache.has_key("a") is False
        with pytest.raises(ValueError):
            cache.incr("counter")
        cache.set_many({"a": 1})
        cache.delete_many(["a"])
        cache.clear()
    assert time.monotonic() - started < 1
    warnings = [record for record in caplog.records if record.name == "c2c.cache"]
    assert len(warnings) == 1
    assert "Cache unreachable" in warnings[0].getMessage()


def test_after_an_error_the_cache_is_skipped_until_it_is_worth_trying_again(monkeypatch):
    cache = make_cache(f"redis://127.0.0.1:{closed_port()}/0")
    cache.get("warm-up")  # trips the breaker
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(1)
        raise redis.exceptions.ConnectionError("refused")

    monkeypatch.setattr(tolerant.FaultTolerantRedisCacheClient, "get_client", refuse)
    assert cache.get("key") is None
    assert attempts == []

    cache._cache.breaker.down_until = time.monotonic() - 1  # the wait is over
    assert cache.get("key") is None
    assert attempts == [1]


@pytest.mark.redis
def test_with_redis_there_it_is_an_ordinary_cache(redis_url, caplog):
    cache = make_cache(redis_url)
    cache.set("greeting", {"text": "hello"}, 30)
    assert cache.get("greeting") == {"text": "hello"}
    assert cache.add("greeting", "again") is False
    assert cache.add("visits", 1) is True
    assert cache.incr("visits") == 2
    assert not [record for record in caplog.records if record.name == "c2c.cache"]


def test_one_redis_client_serves_every_call():
    """Django builds a client per call; ours keeps one per connection pool (each costs ~0.1 ms to build)."""
    cache = make_cache(f"redis://127.0.0.1:{closed_port()}/0")

    first, again = cache._cache.get_client("a"), cache._cache.get_client("b", write=True)

    assert first is again
    assert first.connection_pool is cache._cache._get_connection_pool(write=False)
