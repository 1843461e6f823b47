"""The evidence package: every attached file once, an index per indicator, checksums that verify."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assessment.models import AnswerEvidence, Evidence, EvidenceKind, Stage
from assessment.services import evidence as evidence_service
from assessment.uploads import check_upload
from reports import services
from reports.models import Report, ReportStatus
from reports.rendering import build
from spbe_portal import formatting
from tests.assessment.evidence.corpus import image, pdf
from tests.factories import answer_all
from tests.world import World

pytestmark = pytest.mark.django_db


def add_file(world: World, name: str, content: bytes, answer: Any, when: date | None = None) -> Evidence:
    upload = check_upload(SimpleUploadedFile(name, content))
    return evidence_service.add_file(instansi=world.a.instansi, opd=world.a.bkpsdm, user=world.a.users["opd.bkpsdm"],
                                     title=f"Bukti {name}", document_date=when, upload=upload, answer=answer)  # fmt: skip


@pytest.fixture
def filled(world: World) -> World:
    answer_all(world.evaluation, dict.fromkeys(range(1, 48), 3))
    answer_all(world.evaluation, {36: 2}, stage=Stage.VERIFIKASI)
    sk = add_file(world, "sk-bupati.pdf", pdf(), world.answer, date(2026, 3, 2))
    add_file(world, "layar.png", image(), world.other_answer)
    AnswerEvidence.objects.create(answer=world.other_answer, evidence=sk)  # one file, two indicators
    link = Evidence.objects.create(instansi=world.a.instansi, kind=EvidenceKind.LINK, title="SIMPEG",
                                   url="https://simpeg.example.go.id")  # fmt: skip
    AnswerEvidence.objects.create(answer=world.answer, evidence=link)
    return world


def index_rows(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    text = archive.read("indeks.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_every_file_is_in_the_zip_once_with_a_checksum_that_verifies(filled: World) -> None:
    archive = zipfile.ZipFile(io.BytesIO(build("bukti", filled.evaluation).content))
    files = [n for n in archive.namelist() if n.startswith("bukti/")]
    assert len(files) == 2
    rows = index_rows(archive)
    assert [(r["No"], r["Bukti dukung"]) for r in rows] == [
        ("1", "Bukti layar.png"), ("1", "Bukti sk-bupati.pdf"), ("36", "Bukti sk-bupati.pdf"), ("36", "SIMPEG"),
    ]  # fmt: skip
    for row in rows:
        if row["Berkas dalam ZIP"]:
            assert hashlib.sha256(archive.read(row["Berkas dalam ZIP"])).hexdigest() == row["SHA-256"]
            assert row["Catatan integritas"] == ""
    stored = {v.original_name: v.sha256 for v in Evidence.objects.get(title="Bukti sk-bupati.pdf").versions.all()}
    assert rows[2]["SHA-256"] == stored["sk-bupati.pdf"]


def test_the_index_gives_level_date_and_review_per_indicator(filled: World) -> None:
    rows = index_rows(zipfile.ZipFile(io.BytesIO(build("bukti", filled.evaluation).content)))
    sk = rows[2]
    assert (sk["Kode"], sk["Tingkat mandiri"], sk["Tingkat akhir"]) == ("I36", "3", "2")
    assert sk["Tanggal dokumen"] == "2 Maret 2026"
    uploaded = Evidence.objects.get(title="Bukti sk-bupati.pdf").versions.latest("pk").uploaded_at
    assert sk["Diunggah (WIB)"] == formatting.wib(uploaded, language="id")  # the module's "2 Maret 2026 14.05 WIB"
    assert sk["Pemeriksaan"] == "Belum diperiksa"
    assert rows[3]["Jenis"] == "Tautan: https://simpeg.example.go.id" and rows[3]["Berkas dalam ZIP"] == ""


def test_the_html_index_links_every_file(filled: World) -> None:
    archive = zipfile.ZipFile(io.BytesIO(build("bukti", filled.evaluation).content))
    html = archive.read("indeks.html").decode()
    for name in archive.namelist():
        if name.startswith("bukti/"):
            assert f'href="{name}"' in html
    assert "Kabupaten A" in html and "SHA-256" in html


def test_a_file_changed_on_disk_is_flagged_not_hidden(filled: World) -> None:
    version = Evidence.objects.get(title="Bukti layar.png").versions.get()
    path = version.file.path
    with open(path, "ab") as handle:
        handle.write(b"diubah")
    rows = index_rows(zipfile.ZipFile(io.BytesIO(build("bukti", filled.evaluation).content)))
    flagged = next(r for r in rows if r["Bukti dukung"] == "Bukti layar.png")
    assert "SHA-256 berbeda" in flagged["Catatan integritas"]
    assert flagged["SHA-256"] != version.sha256


def test_the_package_costs_the_same_queries_with_more_evidence(
    filled: World, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6) as few:
        build("bukti", filled.evaluation)
    for n in range(5):
        add_file(filled, f"lampiran-{n}.pdf", pdf(), filled.answer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        build("bukti", filled.evaluation)


@pytest.mark.usefixtures("eager_tasks")
def test_it_is_requested_and_downloaded_like_any_report(
    client: Client, filled: World, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(filled.a.users["sekda"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/laporan/evaluasi/{filled.evaluation.pk}/minta/", {"kind": "bukti"})
    report = Report.objects.get(kind="bukti")
    assert report.status == ReportStatus.DONE and report.content_type == "application/zip"
    response = client.get(f"/laporan/{report.pk}/unduh/")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(content).hexdigest() == report.sha256
    assert response["Content-Disposition"].endswith('.zip"')
    assert response["Cache-Control"] == "private, no-store"  # a download is no more cacheable than the page
    assert "indeks.html" in zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_opd_staff_cannot_request_it(client: Client, filled: World) -> None:
    client.force_login(filled.a.users["opd.bkpsdm"])
    # Refused, as the API does (one denial rule): 403.
    assert client.post(f"/laporan/evaluasi/{filled.evaluation.pk}/minta/", {"kind": "bukti"}).status_code == 403
    assert not Report.objects.exists()


def test_it_cannot_be_limited_to_one_opd(filled: World) -> None:
    with pytest.raises(ValueError, match="whole instansi"):
        build("bukti", filled.evaluation, filled.a.bkpsdm)
    assert services.fingerprint(filled.evaluation, "bukti", None) != services.fingerprint(
        filled.evaluation, "csv", None
    )
