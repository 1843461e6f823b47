"""The acceptance proof: exported from this database, imported into another PostgreSQL (an
empty deployment with its own media folder), exported there again: the same archive."""

from __future__ import annotations

import contextlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.archive.conftest import contents
from tests.conftest import require_service
from tests.faults.stack import PG_BIN, PrivatePostgres, manage, portal_env

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.mark.usefixtures("filled")
def test_an_archive_restored_into_another_database_exports_identically(tmp_path: Path) -> None:
    require_service((PG_BIN / "initdb").exists() and shutil.which("runuser") is not None, "PostgreSQL 15 binaries")
    first = tmp_path / "first.zip"
    call_command(
        "spbe_export", "--instansi", "kabupaten-a", "--year", "2026", "--output", str(first), stdout=StringIO()
    )
    other = PrivatePostgres().init()
    other.start()
    try:
        other.create_database("restore")
        env = portal_env(other.url("restore"), tmp_path / "other-media")
        manage(env, "migrate", "--noinput")
        manage(env, "load_framework")
        assert "dipulihkan" in manage(env, "spbe_import", "--input", str(first))
        second = tmp_path / "second.zip"
        manage(env, "spbe_export", "--instansi", "kabupaten-a", "--year", "2026", "--output", str(second))
    finally:
        with contextlib.suppress(AssertionError):
            other.stop()
        other.remove()

    before, after = contents(first), contents(second)
    assert after["data"]["answers"] == before["data"]["answers"]
    assert after["data"]["stage_values"] == before["data"]["stage_values"]
    assert after["data"]["history"] == before["data"]["history"]
    assert after["files"] == before["files"] and len(after["files"]) == 3
    assert after == before
    stored = sorted(p.name for p in (tmp_path / "other-media" / "evidence").iterdir())
    assert len(stored) == 3  # the files themselves, under new names, checked again by the second export
