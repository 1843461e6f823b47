"""A real Celery worker on the configured Redis, seeing the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.conftest import require_service


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_up() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def service_env(**extra: str) -> dict[str, str]:
    """The environment of a second portal process sharing this test's database and media."""
    return {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT), **extra}


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def worker_command(delay: str) -> list[str]:
    """The production worker command; with a build delay, the same worker with slower builds (slow_worker.py)."""
    if float(delay):
        return [sys.executable, "-m", "tests.reports_flow.slow_worker", "worker"]
    return [sys.executable, "-m", "celery", "-A", "spbe_portal", "worker"]


@pytest.fixture
def worker(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://...)")
    require_service(redis_up(), "Redis (REDIS_URL=redis://...)")
    from spbe_portal.celery import app

    app.control.purge()  # leftovers of earlier runs would only be no-ops, but keep the queue clean
    delay = getattr(request, "param", "0")
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [*worker_command(delay), "--concurrency", "1", "--pool", "prefork",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "INFO"],
        cwd=settings.BASE_DIR, env=service_env(REPORT_BUILD_DELAY=delay),
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    process.log = log  # type: ignore[attr-defined]
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
