"""A fixed-window counter for actions a stranger can repeat (password reset mails).

Counted in the "api" cache, which is Redis when REDIS_URL is set, so every gunicorn worker and
node counts together. With Redis unreachable it counts in this process's memory: a weaker
limit, never an error page.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_local = LocMemCache("spbe-ratelimit-fallback", {})


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one more action for key; False once the window already holds `limit` of them."""
    name = f"rl:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"  # no address is stored as such
    try:
        return _count(caches["api"], name, window_seconds) <= limit
    except (RedisError, ConnectionError, OSError) as error:
        logger.warning("rate-limit cache unreachable (%s); counting in this process", error)
        return _count(_local, name, window_seconds) <= limit


def _count(cache: BaseCache, name: str, window_seconds: int) -> int:
    if cache.add(name, 1, timeout=window_seconds):
        return 1
    try:
        return int(cache.incr(name))
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds)
        return 1
