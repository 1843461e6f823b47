"""With DATABASE_URL and REDIS_URL set, the portal really runs on PostgreSQL and Redis.

CI runs the suite with both set; there, a missing service fails instead of skipping.
"""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_the_suite_runs_on_postgresql_when_configured() -> None:
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://...)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000


def test_celery_uses_redis_and_healthz_sees_it(client: Client) -> None:
    require_service(bool(settings.REDIS_URL), "Redis (REDIS_URL=redis://...)")
    assert redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    from spbe_portal.celery import app

    assert app.conf.task_always_eager is False
    assert app.conf.broker_url == settings.REDIS_URL
    assert client.get("/healthz").json()["broker"] == "ok"
