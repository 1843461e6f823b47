"""Production settings fail loudly when misconfigured and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings

PRODUCTION = {"SECRET_KEY": "x" * 60 + "-production-like", "ALLOWED_HOSTS": "spbe.example.go.id", "DEBUG": "0"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG",
             "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}}  # fmt: skip
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    run = manage("check", **env)
    assert run.returncode != 0
    assert f"{missing} is not set" in run.stderr


def test_production_settings_pass_check_deploy_at_warning_level() -> None:
    run = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert run.returncode == 0, run.stderr + run.stdout


def test_development_mode_needs_no_configuration() -> None:
    run = manage("check", DEBUG="1")
    assert run.returncode == 0, run.stderr


def test_the_default_database_is_sqlite_in_wal_mode_with_immediate_transactions() -> None:
    run = manage(
        "shell", "--no-imports", "-c",
        "from django.db import connection as c; cur = c.cursor(); cur.execute('PRAGMA journal_mode');"
        "print(c.vendor, cur.fetchone()[0], c.settings_dict['OPTIONS']['transaction_mode'])",
        DEBUG="1", DATABASE_URL="sqlite:////tmp/spbe-settings-probe.sqlite3",
    )  # fmt: skip
    assert run.stdout.split() == ["sqlite", "wal", "IMMEDIATE"], run.stderr


def test_without_redis_celery_runs_tasks_in_process() -> None:
    run = manage(
        "shell",
        "--no-imports",
        "-c",
        "from spbe_portal.celery import app; print(app.conf.task_always_eager)",
        DEBUG="1",
        REDIS_URL="",
    )
    assert run.stdout.strip() == "True", run.stderr
    run = manage(
        "shell", "--no-imports", "-c", "from spbe_portal.celery import app; print(app.conf.task_always_eager, app.conf.broker_url)",
        DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/3",
    )  # fmt: skip
    assert run.stdout.strip() == "False redis://127.0.0.1:6379/3", run.stderr


def test_workers_are_recycled_so_their_memory_stays_bounded() -> None:
    from spbe_portal.celery import app

    assert app.conf.worker_max_tasks_per_child == settings.CELERY_WORKER_MAX_TASKS_PER_CHILD == 50
    assert app.conf.worker_max_memory_per_child == 400_000  # KiB
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.task_time_limit == 300 and app.conf.task_soft_time_limit == 240


def test_a_web_node_keeps_no_state_in_its_own_memory() -> None:
    """With PostgreSQL and Redis configured, sessions, lockouts and the cache are shared by all nodes."""
    run = manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; from axes.conf import settings as a;"
        "print(s.SESSION_ENGINE, a.AXES_HANDLER, s.CACHES['default']['BACKEND'], s.CACHES['api']['BACKEND'])",
        DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused", REDIS_URL="redis://127.0.0.1:6379/0",
    )  # fmt: skip
    assert run.stdout.split() == [
        "django.contrib.sessions.backends.db", "axes.handlers.database.AxesDatabaseHandler",
        "django.core.cache.backends.redis.RedisCache", "django.core.cache.backends.redis.RedisCache",
    ], run.stderr  # fmt: skip


def test_the_bucket_variable_switches_every_stored_file_to_s3() -> None:
    run = manage(
        "shell", "--no-imports", "-c",
        "from django.core.files.storage import default_storage as d; from django.conf import settings as s;"
        "print(type(d._wrapped if d._setup() is None else d).__name__, d.bucket_name, d.endpoint_url,"
        " d.default_acl, s.MEDIA_ROOT.name)",
        DEBUG="1", AWS_STORAGE_BUCKET_NAME="spbe-bukti", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s",
    )  # fmt: skip
    assert run.stdout.split() == ["S3Storage", "spbe-bukti", "http://127.0.0.1:9", "None", "media"], run.stderr


def test_each_xdist_worker_has_a_redis_database_of_its_own() -> None:
    """`make test` runs xdist workers side by side: Celery and the caches must not share their Redis database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or not settings.REDIS_URL:
        pytest.skip("only under pytest-xdist with REDIS_URL set")
    from django.core.cache import caches

    from spbe_portal.celery import app

    own = settings.REDIS_URL
    assert own.rsplit("/", 1)[1] != "0" and os.environ["REDIS_URL"] == own == app.conf.broker_url
    caches["default"].set("xdist-probe", worker, 30)
    stored = redis.Redis.from_url(own).keys("*xdist-probe")
    assert stored, "the cache wrote to another Redis database than the worker's own"
