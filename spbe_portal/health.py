"""/healthz: is the database reachable, and is the broker?

Load balancers and docker-compose read the status code: 503 when the database is down,
because then no page can work. A broker outage is reported but keeps 200, because pages
and saves keep working without Redis; only report building waits.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return "down"
    return "ok"


@never_cache
@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database_state()
    body = {"status": "ok" if database == "ok" else "error", "database": database, "broker": _broker_state()}
    user = getattr(request, "user", None)  # absent when HealthzFirstMiddleware answers
    if user is not None and user.is_authenticated and user.is_staff:  # which engine runs is no business of strangers
        body["database_engine"] = connection.vendor
    return JsonResponse(body, status=200 if database == "ok" else 503)


class HealthzFirstMiddleware:
    """Answers /healthz before the session and user are loaded.

    A probe that carries a session cookie (a signed-in browser, a monitoring tool reusing one)
    would otherwise make the session and user lookups hit the database first, and during an
    outage get the HTML outage page instead of this JSON. With the database up, the request goes
    on as usual, so that staff are still told which engine runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == "/healthz" and _database_state() != "ok":
            return healthz(request)
        return self.get_response(request)
