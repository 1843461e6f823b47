"""The self-assessment journeys in a real browser, on the demo's open 2026 evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.demo import DEMO_PASSWORD
from assessment.models import Answer, AnswerStatus, Decision, Evaluation, EvaluationStatus, Stage, StageValue
from assessment.services import answers as workflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, framework59: object) -> str:
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


def test_opd_staff_answer_and_submit(page: Page, site: str) -> None:
    login(page, site, "opd.bkpsdm.siak")
    page.get_by_role("link", name="Penilaian").first.click()
    page.get_by_role("link", name="41. Tingkat Kematangan Layanan Kinerja Pegawai").click()
    expect(page.get_by_role("heading", name="Kriteria tingkat")).to_be_visible()
    page.get_by_label("Tingkat", exact=True).select_option("3")
    page.get_by_label("Penjelasan").fill(
        "FAKTA: aplikasi e-Kinerja dipakai semua OPD (SK Bupati 7/2026). ANALISIS: tingkat 3."
    )
    expect(page.locator("#save-status")).to_contain_text("Tersimpan")  # autosaved, no button pressed
    page.get_by_role("button", name="Ajukan ke verifikator").click()
    expect(page.get_by_text("Jawaban diajukan ke verifikator.")).to_be_visible()
    expect(page.get_by_test_id("answer-status")).to_have_text("Diajukan")
    saved = answer(41)
    assert saved.status == AnswerStatus.SUBMITTED and saved.explanation.startswith("FAKTA: aplikasi e-Kinerja")
    assert StageValue.objects.get(answer=saved, stage=Stage.MANDIRI).value == 3


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
    assert evaluation.status == EvaluationStatus.FINALISED and evaluation.finalised_by.username == "sekda.siak"
