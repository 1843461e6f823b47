"""DRF's throttles on the "api" cache, with rates read when checked (tests and settings can change them).

DRF's own classes copy the rates once at import, and use the default cache; see settings.CACHES.
"""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle, UserRateThrottle


class _Rates(SimpleRateThrottle):
    def __init__(self) -> None:
        self.cache = caches["api"]
        super().__init__()

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)


class UserThrottle(_Rates, UserRateThrottle):
    pass


class ScoreThrottle(_Rates, ScopedRateThrottle):
    """The scoring endpoint's own budget (views set `throttle_scope = "score"`)."""
