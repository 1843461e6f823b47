"""Throttling: DRF's rate per user, and the scoring endpoint's own budget on top.

Anonymous callers are refused (401) before throttling is considered: every endpoint needs a
user, and a wrong token costs one indexed lookup of a 256-bit key's digest.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest
from django.core.cache import caches

from api import throttles
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings: Any) -> Any:
    def set_rates(**rates: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"user": "1000/minute", "score": "1000/minute", **rates},
        }

    # The counters live in the "api" cache (Redis when configured): start from zero.
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["api"].clear()
    return set_rates


def test_a_user_over_the_rate_gets_429_with_retry_after(world: World, api_as: Any, rates: Any) -> None:
    rates(user="3/minute")
    client = api_as(world.a.users["sekda"])
    statuses = [client.get("/api/v1/evaluations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/evaluations/")
    assert int(response["Retry-After"]) > 0
    # Another user has their own budget.
    assert api_as(world.a.users["admin"]).get("/api/v1/evaluations/").status_code == 200


def test_scoring_has_its_own_smaller_budget(world: World, api_as: Any, rates: Any) -> None:
    rates(score="2/minute")
    client = api_as(world.a.users["sekda"])
    assert [client.post("/api/v1/score", {"items": []}, format="json").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/evaluations/").status_code == 200


def closed_port() -> int:
    """A loopback port nothing listens on: bound by us, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_with_redis_unreachable_the_api_is_served_throttled_in_memory_and_the_outage_logged_once(
    world: World, api_as: Any, settings: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttles, "_down_until", None)  # put back afterwards: later tests meet Redis "up"
    throttles._local.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "5/minute",
                                                                                     "score": "100/minute"}}  # fmt: skip
    settings.CACHES = {**settings.CACHES, "api": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}  # fmt: skip
    client = api_as(world.a.users["sekda"])
    with caplog.at_level(logging.WARNING, logger="api.throttles"):
        statuses = [client.get("/api/v1/evaluations/").status_code for _ in range(6)]
        assert client.post("/api/v1/score", {"items": []}, format="json").status_code == 429
    assert statuses == [200] * 5 + [429]  # served, and still limited by the per-process fallback
    [outage] = [r.getMessage() for r in caplog.records if r.name == "api.throttles"]  # once, not per request
    assert "unreachable" in outage
