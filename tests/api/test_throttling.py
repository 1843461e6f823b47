"""Throttling: DRF's rate per user, and the scoring endpoint's own budget on top.

Anonymous callers are refused (401) before throttling is considered: every endpoint needs a
user, and a wrong token costs one indexed lookup of a 256-bit key's digest.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

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
