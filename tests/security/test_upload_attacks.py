"""The upload attack corpus of issue 6, end to end through the real views, with files spooled to disk.

Each row is one line of the table in docs/security.md: the attack, the outcome, and the reason
the uploader reads. Uploads are forced into temporary files (FILE_UPLOAD_MAX_MEMORY_SIZE=0) so
that "nothing left on disk" covers the upload temp directory as well as MEDIA_ROOT.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.models import Evidence, EvidenceVersion
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, add_pdf, make_place, media_files, small_framework, upload

# Every attack runs on the filesystem and on the S3 server: nothing may be left in either store.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]


@dataclass(frozen=True)
class Attack:
    name: str
    build: Callable[[], bytes]
    reason: str  # what the uploader reads next to the field


REFUSED = {
    "renamed executable": Attack("program.pdf", corpus.elf, "Isi berkas tidak sesuai dengan jenisnya (PDF)"),
    "executable under its own name": Attack("setup.exe", corpus.elf, "Jenis berkas ini tidak diterima"),
    "HTML renamed .pdf": Attack("halaman.pdf", lambda: corpus.HTML, "terdeteksi sebagai text/html"),
    "HTML under its own name": Attack("halaman.html", lambda: corpus.HTML, "Jenis berkas ini tidak diterima"),
    "HTML before a PDF": Attack("campur.pdf", lambda: b"<html>" + corpus.pdf(), "Berkas bukan PDF yang sah"),
    "SVG with script": Attack("gambar.svg", lambda: corpus.SVG, "Jenis berkas ini tidak diterima"),
    "SVG renamed .png": Attack("gambar.png", lambda: corpus.SVG, "Isi berkas tidak sesuai dengan jenisnya (PNG)"),
    "zip renamed .docx": Attack("arsip.docx", corpus.plain_zip, "bukan dokumen DOCX yang sah"),
    "docx zip bomb (200 MB inflated)": Attack("bom.docx", corpus.docx_bomb, "indikasi bom zip"),
    "decompression-bomb PNG (30 000 x 30 000)": Attack("bom.png", corpus.png_bomb, "lebih dari 50 megapiksel"),
    "double extension": Attack("laporan.pdf.exe", corpus.pdf, "Jenis berkas ini tidak diterima"),
    "NUL in the name": Attack("x.pdf\x00.exe", corpus.pdf, "Jenis berkas ini tidak diterima"),
    "RTL override in the name": Attack("bukti\u202efdp.exe", corpus.pdf, "Jenis berkas ini tidak diterima"),
    "empty file": Attack("kosong.pdf", lambda: b"", "Berkas kosong."),
}


@pytest.fixture
def place(db: None) -> Place:
    del db  # requested for database access
    return make_place(small_framework(), "siak")


@pytest.fixture
def spool(settings: Any, tmp_path: Path) -> Path:
    """Every uploaded file goes through a temporary file in a directory the test can inspect."""
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return folder


def nothing_left(spool: Path) -> bool:
    return media_files() == [] and list(spool.iterdir()) == [] and not EvidenceVersion.objects.exists()


@pytest.mark.parametrize("attack", sorted(REFUSED))
def test_each_attack_is_refused_with_its_reason_and_leaves_no_file(
    client: Client, place: Place, spool: Path, attack: str
) -> None:
    case = REFUSED[attack]
    client.force_login(place.users["opd_a"])
    response = upload(client, case.name, case.build(), query=f"?jawaban={place.answer.pk}")
    assert response.status_code == 200
    assert case.reason in " ".join(response.context["form"].errors["file"])
    assert case.reason in response.content.decode()
    assert nothing_left(spool) and not Evidence.objects.exists()


@pytest.mark.parametrize("attack", sorted(REFUSED))
def test_each_attack_is_refused_as_a_new_version_too(client: Client, place: Place, spool: Path, attack: str) -> None:
    case = REFUSED[attack]
    evidence = add_pdf(place)
    stored = media_files()
    client.force_login(place.users["opd_a"])
    url = reverse("assessment:evidence-new-version", args=[evidence.pk])
    response = client.post(url, {"file": SimpleUploadedFile(case.name, case.build()), "document_date": "2026-02-01"})
    assert response.status_code == 200
    assert case.reason in response.content.decode()
    assert evidence.versions.count() == 1 and media_files() == stored and list(spool.iterdir()) == []


def test_one_byte_over_the_limit_is_refused_and_nothing_is_left(
    client: Client, place: Place, spool: Path, settings: Any
) -> None:
    data = corpus.pdf()
    settings.EVIDENCE_MAX_BYTES = len(data) - 1
    client.force_login(place.users["opd_a"])
    response = upload(client, "laporan.pdf", data)
    assert "Berkas terlalu besar" in response.content.decode()
    assert nothing_left(spool)


def test_too_many_files_in_one_request_is_refused_in_indonesian(
    client: Client, place: Place, spool: Path, settings: Any
) -> None:
    client.force_login(place.users["opd_a"])
    files = [SimpleUploadedFile(f"f{n}.pdf", corpus.pdf()) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    data = {"kind": "file", "title": "Banyak", "document_date": "2026-01-01", "file": files}
    response = client.post(reverse("assessment:evidence-upload"), data)
    assert response.status_code == 400
    assert "Permintaan ditolak" in response.content.decode()
    assert nothing_left(spool)


def test_a_polyglot_jpeg_is_made_harmless_by_re_encoding(client: Client, place: Place, spool: Path) -> None:
    client.force_login(place.users["opd_a"])
    uploaded = corpus.polyglot_jpeg()
    assert upload(client, "foto.jpg", uploaded).status_code == 302
    (stored,) = media_files()
    assert b"<html" not in stored.read_bytes() and stored.read_bytes() != uploaded
    assert list(spool.iterdir()) == []
    version = EvidenceVersion.objects.get()
    response = client.get(reverse("assessment:evidence-download", args=[version.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_with_javascript_is_kept_flagged_and_only_served_sandboxed(
    client: Client, place: Place, spool: Path
) -> None:
    client.force_login(place.users["opd_a"])
    assert upload(client, "aktif.pdf", corpus.pdf_with_javascript_in_object_stream()).status_code == 302
    version = EvidenceVersion.objects.get()
    assert "JavaScript" in version.flag
    response = client.get(reverse("assessment:evidence-preview", args=[version.pk]))
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\win.ini.pdf", "win.ini.pdf"),
        ("lap\x07oran.pdf", "laporan.pdf"),
    ],
)
@pytest.mark.usefixtures("spool")
def test_traversal_and_control_names_are_cleaned_and_never_used_on_disk(
    client: Client, place: Place, name: str, kept: str
) -> None:
    client.force_login(place.users["opd_a"])
    upload(client, name, corpus.pdf())
    version = EvidenceVersion.objects.get()
    assert version.original_name == kept
    (stored,) = media_files()
    assert stored.name == Path(version.file.name).name and stored.stem.count("-") == 4  # a UUID
    assert version.sha256 == hashlib.sha256(stored.read_bytes()).hexdigest()


@pytest.mark.parametrize("prefix", ["/media/", "/media/evidence/", "/uploads/", "/var/media/"])
def test_direct_guesses_at_stored_files_are_404(client: Client, place: Place, prefix: str) -> None:
    version = add_pdf(place).versions.get()
    client.force_login(place.users["admin"])
    name = Path(version.file.name).name
    assert client.get(f"{prefix}{name}").status_code == 404
    assert client.get(f"{prefix}{version.file.name}").status_code == 404
