"""storage_check and storage_migrate, on the filesystem and on the S3 server (tests/s3.py)."""

from __future__ import annotations

import hashlib
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from assessment.models import Membership
from reports.models import Report, ReportStatus
from reports.services import request_report, run
from spbe_portal.storage import digest, walk
from tests.assessment.evidence.conftest import add_pdf, latest, make_place, small_framework

pytestmark = pytest.mark.django_db


def check(*args: str) -> str:
    out = StringIO()
    call_command("storage_check", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stocked(storage_backend: str) -> dict[str, Any]:
    """Two evidence files and one built report in the store, all named by rows."""
    del storage_backend  # requested so the store is chosen
    place = make_place(small_framework(), "siak")
    versions = [latest(add_pdf(place, title=title)) for title in ("Satu", "Dua")]
    report, _ = request_report(Membership.objects.get(user=place.users["admin"]), place.evaluation, "csv")
    run(report.pk)  # what the worker does once the request's transaction commits
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    return {"place": place, "versions": versions, "report": report}


def test_a_consistent_store_reports_nothing(stocked: dict[str, Any]) -> None:
    assert check().splitlines()[-1] == "0 orphans, 0 missing report files, 0 missing evidence files"
    report = stocked["report"]
    assert digest(default_storage, report.file.name) == (report.sha256, report.size)


def test_orphans_and_missing_files_are_found_and_repaired(stocked: dict[str, Any]) -> None:
    stray = default_storage.save("evidence/crash-left-this.pdf", ContentFile(b"%PDF-1.4 stray"))
    gone_evidence = stocked["versions"][0].file.name
    default_storage.delete(gone_evidence)
    gone_report = stocked["report"].file.name
    default_storage.delete(gone_report)

    out = check()
    assert f"orphan: {stray}" in out
    assert f"missing evidence file: {gone_evidence}" in out
    assert f"missing report file: {gone_report}" in out
    assert default_storage.exists(stray)  # without --apply nothing changes

    with pytest.raises(CommandError, match="1 evidence files are missing"):
        check("--apply", "--grace-minutes", "0")
    assert not default_storage.exists(stray)
    report = Report.objects.get(pk=stocked["report"].pk)
    assert report.status == ReportStatus.FAILED and report.file.name == "" and "hilang" in report.reason
    kept = stocked["versions"][1].file.name
    assert sorted(walk(default_storage)) == [kept]
    assert check().splitlines()[-1] == "0 orphans, 0 missing report files, 1 missing evidence files"


@pytest.mark.usefixtures("stocked")
def test_a_young_orphan_may_be_an_upload_in_flight_and_is_kept() -> None:
    stray = default_storage.save("evidence/in-flight.pdf", ContentFile(b"%PDF-1.4 writing"))
    out = check("--apply")
    assert "0 reports marked failed" in out and "(1 younger than the grace period kept)" in out
    assert default_storage.exists(stray)


def old_media(root: Path) -> dict[str, bytes]:
    files = {
        "evidence/0b0c.pdf": b"%PDF-1.4 satu" * 1000,
        "evidence/1a2b.png": os.urandom(300_000),
        "reports/laporan-7.pdf": b"%PDF-1.4 laporan",
    }
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return files


def stored_hashes() -> dict[str, str]:
    return {name: digest(default_storage, name)[0] for name in walk(default_storage)}


def test_migration_copies_verified_and_resumes(tmp_path: Path, s3_bucket: str, s3_server: Any) -> None:
    files = old_media(tmp_path / "old-media")
    # An earlier run was interrupted: one file copied, one half-written.
    default_storage.save("evidence/0b0c.pdf", ContentFile(files["evidence/0b0c.pdf"]))
    default_storage.save("evidence/1a2b.png", ContentFile(files["evidence/1a2b.png"][:1000]))

    out = StringIO()
    call_command("storage_migrate", "--source", str(tmp_path / "old-media"), stdout=out)
    assert out.getvalue().splitlines()[-1] == "2 copied, 1 already present and identical"
    expected = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
    assert stored_hashes() == expected
    assert s3_server.keys(s3_bucket) == sorted(files)

    again = StringIO()
    call_command("storage_migrate", "--source", str(tmp_path / "old-media"), stdout=again)
    assert again.getvalue().splitlines()[-1] == "0 copied, 3 already present and identical"


def test_migration_refuses_to_copy_the_store_onto_itself(settings: Any) -> None:
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    with pytest.raises(CommandError, match="AWS_STORAGE_BUCKET_NAME"):
        call_command("storage_migrate", stdout=StringIO())


@pytest.mark.usefixtures("stocked")
def test_objects_are_private(storage_backend: str, s3_server: Any) -> None:
    """No stored object grants anything to everyone (no public ACL is ever written)."""
    if storage_backend != "s3":
        pytest.skip("the bucket's privacy; on disk MEDIA_ROOT has no URL (tests/assessment/evidence/test_serving.py)")
    bucket = default_storage.bucket_name  # type: ignore[attr-defined]
    for name in walk(default_storage):
        acl = s3_server.client().get_object_acl(Bucket=bucket, Key=name)
        assert acl["Grants"] and all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])
