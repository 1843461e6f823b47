from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from assessment.catalog import read_framework_file
from assessment.models import Framework
from assessment.services.frameworks import load_framework

FRAMEWORK_59 = Path(settings.FRAMEWORK_DIR) / "permenpanrb-59-2020.json"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _own_redis_database_per_xdist_worker() -> None:
    """Under pytest-xdist (`make test` runs two or more workers) each worker gets a Redis database of its own.

    Workers share one Redis server: on one database a Celery worker started by one test process
    would take the tasks of another (whose rows live in another test database), and throttle
    counters keyed by user id would add up across processes. Settings are already loaded when
    this module is imported, but nothing has connected yet, so the URL is swapped everywhere it
    was copied; child processes (Celery workers, gunicorn nodes) inherit it through the environment.
    """
    worker, url = os.environ.get("PYTEST_XDIST_WORKER", ""), settings.REDIS_URL
    if not worker.startswith("gw") or not url:
        return
    base, _, number = url.rpartition("/")
    own = f"{base}/{int(number or 0) + 1 + int(worker[2:])}"
    os.environ["REDIS_URL"] = settings.REDIS_URL = settings.CELERY_BROKER_URL = own
    for cache in settings.CACHES.values():
        if cache.get("LOCATION") == url:
            cache["LOCATION"] = own
    from spbe_portal.celery import app

    app.conf.broker_url = own  # type: ignore[misc]  # celery-types: read-only; Celery's Settings takes it


_own_redis_database_per_xdist_worker()


def require_service(available: bool, what: str) -> None:
    """Skip a test whose service is missing, except in CI, where that is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI (CI=true) but is not available")
    pytest.skip(f"{what} not available (set it up, or run in CI)")


@pytest.fixture
def framework59(db: None) -> Framework:
    """PermenPANRB 59/2020 as shipped in frameworks/, loaded through the real loader."""
    del db  # requested for database access
    existing = Framework.objects.filter(code="permenpanrb-59-2020").first()
    return existing or load_framework(read_framework_file(FRAMEWORK_59)).framework


@pytest.fixture(autouse=True)
def _test_settings(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Password hashing is deliberately slow; tests log in often and need no protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Any]:
    """moto's S3 server as a process on a free loopback port, for the whole session."""
    from tests.s3 import MotoServer

    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server: Any, settings: Any) -> str:
    """Default storage switched to a fresh private bucket on the S3 server; its name."""
    bucket = str(s3_server.new_bucket())
    for key, value in s3_server.settings(bucket).items():
        setattr(settings, key, {**settings.STORAGES, **value} if key == "STORAGES" else value)
    return bucket


@pytest.fixture(params=["disk", "s3"])
def storage_backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on the filesystem (MEDIA_ROOT) and once on the S3 server."""
    if request.param == "s3":
        request.getfixturevalue("s3_bucket")
    return str(request.param)


def levels_59(value: int = 3) -> dict[int, int]:
    return dict.fromkeys(range(1, 48), value)


@pytest.fixture
def world(framework59: Framework) -> Any:
    from tests.world import make_world

    return make_world(framework59)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, test in a file database, as production runs, not in shared-cache memory.

    On PostgreSQL each xdist worker keeps pytest-django's own database name (test_<name>_gw0, ...).

    The in-memory test database locks whole tables between the live server's thread and the
    test's thread ("database table is locked"), which a real deployment never sees.
    """
    del django_db_modify_db_settings_parallel_suffix  # requested so it runs first (pytest-django order)
    from django.conf import settings as django_settings

    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Run Celery tasks in-process (the embedded default) even when REDIS_URL is configured."""
    from spbe_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
