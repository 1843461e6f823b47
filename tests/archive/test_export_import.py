"""spbe_export / spbe_import: an evaluation leaves and comes back with nothing lost."""

from __future__ import annotations

import json
import shutil
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessment.models import Evaluation, EvidenceVersion, Instansi
from tests.archive.conftest import contents

pytestmark = pytest.mark.django_db


def export(path: Path, slug: str = "kabupaten-a", year: int = 2026) -> Path:
    call_command("spbe_export", "--instansi", slug, "--year", str(year), "--output", str(path), stdout=StringIO())
    return path


def forget(slug: str, usernames: list[str]) -> None:
    """The evaluation's instansi and people disappear, as on a fresh deployment."""
    from assessment.models import Review

    Review.objects.filter(answer__evaluation__instansi__slug=slug).delete()  # reviewers are protected
    get_user_model().objects.filter(username__in=usernames).delete()
    Instansi.objects.filter(slug=slug).delete()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.usefixtures("filled")
def test_the_archive_describes_itself(tmp_path: Path) -> None:
    archive = export(tmp_path / "a.zip")
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        data = json.loads(zipped.read("data.json"))
    assert manifest["format"] == "spbe-evaluation-archive" and manifest["format_version"] == 1
    assert manifest["framework"]["code"] == "permenpanrb-59-2020" and manifest["framework"]["structure_hash"]
    assert (manifest["instansi"], manifest["year"]) == ("kabupaten-a", 2026)
    assert len(manifest["files"]) == 3 and all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert manifest["counts"]["answers"] == 47
    stages = {(v["answer"], v["stage"]) for v in data["stage_values"]}
    assert {("I36", "mandiri"), ("I36", "verifikasi"), ("I36", "dokumen")} <= stages
    assert [r["decision"] for r in data["reviews"]] == ["returned", "approved"]
    # The history keeps rows deleted before the export: the detached photo, the withdrawn level.
    assert ["I36", 2] in [r["id"] for r in data["history"]["answer_evidence"] if r["history_type"] == "-"]
    assert ["I1", "mandiri"] in [r["id"] for r in data["history"]["stage_value"] if r["history_type"] == "-"]
    users = {u["username"]: u for u in data["users"]}
    assert users["opd.bkpsdm.a"]["role"] == "opd" and users["opd.bkpsdm.a"]["opd"] == "bkpsdm"
    assert "password" not in json.dumps(data["users"])


@pytest.mark.usefixtures("filled")
def test_an_evaluation_exported_and_imported_again_is_identical(tmp_path: Path) -> None:
    first = export(tmp_path / "first.zip")
    before = contents(first)
    forget("kabupaten-a", [u["username"] for u in before["data"]["users"]])
    assert not EvidenceVersion.objects.exists()

    call_command("spbe_import", "--input", str(first), stdout=StringIO())

    after = contents(export(tmp_path / "second.zip"))
    assert after["data"]["history"] == before["data"]["history"]
    assert after["data"]["reviews"] == before["data"]["reviews"]
    assert after == before
    restored = Evaluation.objects.get(instansi__slug="kabupaten-a", year=2026)
    answer = restored.answers.get(indicator__number=36)
    assert [h.history_type for h in answer.history.order_by("history_date")][:1] == ["+"]
    assert not get_user_model().objects.get(username="opd.bkpsdm.a").has_usable_password()


@pytest.mark.usefixtures("filled")
def test_an_evaluation_that_exists_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    archive = export(tmp_path / "a.zip")
    files_before = media_files()
    with pytest.raises(CommandError, match="sudah ada di portal ini"):
        call_command("spbe_import", "--input", str(archive))
    assert media_files() == files_before and Evaluation.objects.filter(instansi__slug="kabupaten-a").count() == 1


def tampered(source: Path, target: Path, name_part: str, content: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, content if name_part in item.filename else data)
    return target


@pytest.mark.usefixtures("filled")
def test_a_file_that_does_not_match_its_checksum_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    before = contents(export(tmp_path / "a.zip"))
    forget("kabupaten-a", [u["username"] for u in before["data"]["users"]])
    assert media_files() == []
    bad = tampered(tmp_path / "a.zip", tmp_path / "bad.zip", "files/evidence/1/2", b"%PDF-1.4 palsu")
    with pytest.raises(CommandError, match=r"Checksum berkas files/evidence/1/2\.pdf tidak cocok"):
        call_command("spbe_import", "--input", str(bad))
    assert media_files() == [] and not Instansi.objects.filter(slug="kabupaten-a").exists()


@pytest.mark.usefixtures("filled")
def test_a_failure_while_writing_removes_the_files_already_written(tmp_path: Path, monkeypatch: Any) -> None:
    before = contents(export(tmp_path / "a.zip"))
    forget("kabupaten-a", [u["username"] for u in before["data"]["users"]])
    from archive import restore

    def broken_history(_self: Any, _evaluation: Evaluation) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(restore.Restorer, "history", broken_history)
    with pytest.raises(RuntimeError):
        call_command("spbe_import", "--input", str(tmp_path / "a.zip"))
    assert media_files() == [] and not Instansi.objects.filter(slug="kabupaten-a").exists()


@pytest.mark.usefixtures("filled")
def test_a_framework_that_is_not_loaded_is_named(tmp_path: Path) -> None:
    archive = export(tmp_path / "a.zip")
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
    manifest["framework"]["version"] = "9999"
    changed = tampered(archive, tmp_path / "b.zip", "manifest.json", json.dumps(manifest).encode())
    with pytest.raises(CommandError, match="versi 9999 belum dimuat"):
        call_command("spbe_import", "--input", str(changed))
