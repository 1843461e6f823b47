"""DRF's throttles on the "api" cache, with rates read when checked (tests and settings can change them).

DRF's own classes copy the rates once at import, and use the default cache; see settings.CACHES.

Redis down must not take the API down (the pages keep working, and docs/deployment.md promises
the portal survives): when the shared cache raises, the throttle counts in this process's memory
instead, logs the outage once, and leaves Redis alone for a while rather than paying a failed
connection on every request. Counting per process for a minute is a weaker limit, not none.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30.0
_local = LocMemCache("spbe-api-fallback", {})
_down_until: float | None = None  # set while the shared cache is considered unreachable


def _shared_cache_failed(error: Exception) -> None:
    global _down_until
    if _down_until is None:
        logger.warning("API throttle cache unreachable (%s); counting per process until it is back", error)
    _down_until = time.monotonic() + RETRY_AFTER_SECONDS


def _shared_cache_ok() -> None:
    global _down_until
    if _down_until is not None:
        logger.warning("API throttle cache reachable again")
        _down_until = None


class _Rates(SimpleRateThrottle):
    def __init__(self) -> None:
        self.cache: BaseCache = caches["api"]
        super().__init__()

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)

    def allow_request(self, request: Any, view: Any) -> bool:
        if _down_until is not None and time.monotonic() < _down_until:
            self.cache = _local
            return super().allow_request(request, view)
        try:
            allowed = super().allow_request(request, view)
        except (RedisError, ConnectionError, OSError) as error:
            _shared_cache_failed(error)
            self.cache = _local
            return super().allow_request(request, view)
        if self.cache is not _local:
            _shared_cache_ok()
        return allowed


class UserThrottle(_Rates, UserRateThrottle):
    pass


class ScoreThrottle(_Rates, ScopedRateThrottle):
    """The scoring endpoint's own budget (views set `throttle_scope = "score"`)."""
