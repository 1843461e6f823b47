"""The self-assessment journeys in a real browser, on the demo's open 2026 evaluation."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.demo import DEMO_PASSWORD
from assessment.models import (
    Answer,
    AnswerStatus,
    Decision,
    Evaluation,
    EvaluationStatus,
    EvidenceVersion,
    Stage,
    StageValue,
)
from assessment.services import answers as workflow
from assessment.services import evidence as evidence_service
from assessment.uploads import check_upload
from tests.assessment.evidence.corpus import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, framework59: object) -> str:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def login(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def answer(number: int) -> Answer:
    return Answer.objects.get(
        evaluation__instansi__slug="kabupaten-siak", evaluation__year=2026, indicator__number=number
    )


def test_opd_staff_answer_and_submit_with_evidence(page: Page, site: str, tmp_path: Path) -> None:
    login(page, site, "opd.bkpsdm.siak")
    page.get_by_role("link", name="Penilaian").first.click()
    page.get_by_role("link", name="41. Tingkat Kematangan Layanan Kinerja Pegawai").click()
    expect(page.get_by_role("heading", name="Kriteria tingkat")).to_be_visible()
    page.get_by_label("Tingkat", exact=True).select_option("3")
    page.get_by_label("Penjelasan").fill(
        "FAKTA: aplikasi e-Kinerja dipakai semua OPD (SK Bupati 7/2026). ANALISIS: tingkat 3."
    )
    expect(page.locator("#save-status")).to_contain_text("Tersimpan")  # autosaved, no button pressed

    evidence_file = tmp_path / "SK Bupati e-Kinerja.pdf"
    evidence_file.write_bytes(pdf())
    page.get_by_role("link", name="Unggah bukti baru").click()
    page.get_by_label("Judul").fill("SK Bupati tentang e-Kinerja")
    page.get_by_label("Tanggal dokumen").fill("2026-03-02")
    page.get_by_label("Pilih berkas").set_input_files(str(evidence_file))
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("link", name="SK Bupati tentang e-Kinerja")).to_be_visible()  # back on the answer
    expect(page.get_by_label("Penjelasan")).to_have_value(re.compile("FAKTA: aplikasi e-Kinerja"))

    page.get_by_role("button", name="Ajukan ke verifikator").click()
    expect(page.get_by_text("Jawaban diajukan ke verifikator.")).to_be_visible()
    expect(page.get_by_test_id("answer-status")).to_have_text("Diajukan")
    saved = answer(41)
    assert saved.status == AnswerStatus.SUBMITTED and saved.explanation.startswith("FAKTA: aplikasi e-Kinerja")
    assert StageValue.objects.get(answer=saved, stage=Stage.MANDIRI).value == 3
    version = EvidenceVersion.objects.get(evidence__links__answer=saved)
    assert version.original_name == "SK Bupati e-Kinerja.pdf" and len(version.sha256) == 64
    assert Path(version.file.path).read_bytes() == pdf()  # stored privately, byte for byte


def test_a_reviewer_previews_a_pdf_in_the_browser_and_downloads_it(page: Page, site: str, tmp_path: Path) -> None:
    staff = answer(25)  # a BKPSDM draft, so evidence can still be attached
    owner = staff.evaluation.instansi.members.get(user__username="opd.bkpsdm.siak").user
    evidence = evidence_service.add_file(
        instansi=staff.evaluation.instansi,
        opd=staff.lead_opd,
        user=owner,
        title="Laporan SIMPEG",
        document_date=None,
        upload=check_upload(SimpleUploadedFile("simpeg.pdf", pdf(), "application/pdf")),
        answer=staff,
    )
    version = evidence.versions.get()
    login(page, site, "verifikator.siak")
    response = page.request.get(f"{site}/bukti/versi/{version.pk}/pratinjau/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    page.goto(f"{site}/penilaian/periksa/{staff.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="simpeg.pdf").click()
    saved = tmp_path / "unduhan.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == pdf()
    assert page.request.get(f"{site}/media/{version.file.name}").status == 404


def test_reviewer_returns_one_and_approves_another_at_a_different_level(page: Page, site: str) -> None:
    login(page, site, "verifikator.siak")
    page.get_by_role("link", name="Antrean periksa").first.click()
    page.get_by_role("link", name="7. Tingkat Kematangan Kebijakan Internal Penggunaan Sistem Penghubung").click()
    page.get_by_label("Dikembalikan untuk perbaikan").check()
    page.get_by_label("Alasan / catatan verifikator").fill("Lampirkan SK yang sudah ditandatangani.")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("Jawaban dikembalikan ke OPD.")).to_be_visible()

    page.get_by_role("link", name="8. Tingkat Kematangan Kebijakan Internal Manajemen Keamanan Informasi").click()
    expect(page.get_by_test_id("claimed-level")).to_have_text("4")
    page.get_by_label("Disetujui").check()
    page.get_by_label("Tingkat terverifikasi").select_option("3")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("berbeda dari klaim OPD")).to_be_visible()  # a reason is required
    page.get_by_label("Alasan / catatan verifikator").fill("Belum ada reviu berkala; memenuhi tingkat 3.")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("Jawaban disetujui.")).to_be_visible()
    assert answer(7).status == AnswerStatus.RETURNED
    approved = answer(8)
    assert approved.status == AnswerStatus.APPROVED
    assert StageValue.objects.get(answer=approved, stage=Stage.VERIFIKASI).value == 3


def test_opd_fixes_the_returned_answer(page: Page, site: str) -> None:
    login(page, site, "opd.diskominfo.siak")
    page.goto(f"{site}/penilaian/jawaban/{answer(11).pk}/")
    expect(page.get_by_role("alert").filter(has_text="Lampirkan SK yang telah ditandatangani")).to_be_visible()
    page.get_by_label("Penjelasan").fill(
        "FAKTA: Perbup Siak No. 21/2026 tentang Arsitektur SPBE, ditandatangani. ANALISIS: tingkat 3."
    )
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Jawaban tersimpan.")).to_be_visible()
    page.get_by_role("button", name="Ajukan ke verifikator").click()
    expect(page.get_by_test_id("answer-status")).to_have_text("Diajukan")
    fixed = answer(11)
    assert fixed.status == AnswerStatus.SUBMITTED and fixed.round == 2


def test_sekda_finalises_once_everything_is_approved(page: Page, site: str) -> None:
    evaluation = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    verifier = evaluation.instansi.members.get(role="verifikator").user
    for item in evaluation.answers.exclude(status=AnswerStatus.APPROVED):
        StageValue.objects.update_or_create(answer=item, stage=Stage.MANDIRI, defaults={"value": Decimal(2)})
        item.explanation = item.explanation or "FAKTA. ANALISIS."
        item.status = AnswerStatus.SUBMITTED
        item.save()
        workflow.decide(
            item, verifier, decision=Decision.APPROVED, reason="", verified_value=None, seen_version=item.version
        )
    login(page, site, "sekda.siak")
    page.goto(f"{site}/indeks/evaluasi/{evaluation.pk}/")
    expect(page.get_by_text("Semua indikator telah disetujui")).to_be_visible()
    page.get_by_role("button", name="Finalkan penilaian mandiri").click()
    expect(page.get_by_text("Penilaian mandiri 2026 telah difinalkan dan dikunci.")).to_be_visible()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINALISED and evaluation.finalised_by is not None
    assert evaluation.finalised_by.username == "sekda.siak"
