"""One private PostgreSQL with the demo loaded, shared by the fault tests of a module."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import require_service
from tests.faults.stack import PG_BIN, PrivatePostgres, manage, portal_env


@pytest.fixture(scope="module")
def private_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PrivatePostgres, dict[str, str]]]:
    """A PostgreSQL of our own (the shared one is never stopped), migrated, with the demo data."""
    require_service((PG_BIN / "initdb").exists() and shutil.which("runuser") is not None, "PostgreSQL 15 binaries")
    root = tmp_path_factory.mktemp("pg")
    postgres = PrivatePostgres().init()
    postgres.start()
    try:
        postgres.create_database("spbe")
        env = portal_env(postgres.url("spbe"), root / "media")
        manage(env, "migrate", "--noinput")
        manage(env, "load_framework")
        manage(env, "load_demo")
        yield postgres, env
    finally:
        with contextlib.suppress(AssertionError):  # already stopped by a failing test
            postgres.stop()
        postgres.remove()
