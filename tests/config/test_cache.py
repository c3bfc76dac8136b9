"""The Redis cache against the real Redis server, and when no Redis answers."""

import logging
import socket

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from config.cache import Outage

# A Redis database of its own per suite run: the SQLite and PostgreSQL runs go side by side.
REDIS_URL = (
    f"redis://127.0.0.1:6379/{15 if 'sqlite' in settings.DATABASES['default']['ENGINE'] else 12}"
)


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def cache_settings(location):
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        },
    }


def test_cache_stores_and_reads_in_redis():
    # The machines this project runs on have Redis; CI's .ci/run starts it when it is down.
    assert redis_answers(), "Redis must run on 127.0.0.1:6379 for this test (see .ci/run)"
    with override_settings(CACHES=cache_settings(REDIS_URL)):
        cache = caches["redis"]
        cache.set("schedule:test", {"sessions": 3}, 30)

        assert cache.get("schedule:test") == {"sessions": 3}
        cache.delete("schedule:test")
        assert cache.get("schedule:test") is None


def test_unreachable_redis_behaves_as_an_empty_cache_and_logs_once(caplog):
    Outage.by_location.clear()
    # Nothing listens on port 9.
    with override_settings(CACHES=cache_settings("redis://127.0.0.1:9/0")):
        cache = caches["redis"]
        caplog.set_level(logging.ERROR, logger="config.cache")

        assert cache.get("anything", "fallback") == "fallback"
        cache.set("anything", 1)
        assert cache.get_many(["a", "b"]) == {}

    errors = [r for r in caplog.records if r.name == "config.cache"]
    assert len(errors) == 1
    assert errors[0].getMessage().startswith("Redis is unreachable")


@pytest.mark.django_db
def test_pages_render_when_redis_is_down(client, demo_conference):
    with override_settings(CACHES={"default": cache_settings("redis://127.0.0.1:9/0")["redis"]}):
        response = client.get("/pytorch-conference-europe-2026/schedule/")

    assert response.status_code == 200
