"""Issue 14 items 6, 7, 8, 10, 11 and 16 in Chromium: what the user sees, and what the database holds."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Answer, AnswerEvidence, Evaluation, Framework
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.browser.test_workflow_journeys import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, pemdi: Framework) -> str:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def evaluation(slug: str, year: int) -> Evaluation:
    return Evaluation.objects.get(instansi__slug=f"kabupaten-{slug}", year=year)


def test_a_missing_page_is_indonesian_with_the_menu_and_english_when_switched(page: Page, site: str) -> None:
    login(page, site, "opd.bkpsdm.siak")
    other = evaluation("sumedang", 2026).answers.first()
    assert other is not None
    response = page.goto(f"{site}/penilaian/jawaban/{other.pk}/")  # another instansi's answer
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    expect(page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Penilaian")).to_be_visible()
    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Back to the home page").click()
    expect(page).to_have_url(f"{site}/")


def test_pemdi_pages_explain_the_provisional_framework_and_name_pemdi(page: Page, site: str) -> None:
    login(page, site, "sekda.siak")
    siak = evaluation("siak", 2026)
    page.goto(f"{site}/indeks/evaluasi/{siak.pk}/")
    notice = page.get_by_test_id("provisional")
    notice.locator("summary").click()
    expect(notice).to_contain_text("Indeks Pemdi bersifat sementara")
    expect(notice).to_contain_text("Jangan mengutipnya sebagai hasil resmi")
    expect(notice).not_to_contain_text("EVERYTHING")
    page.goto(f"{site}/indeks/evaluasi/{siak.pk}/simulasi/")
    expect(page.locator("#sim-result").locator("..")).to_contain_text("Indeks Pemdi:")
    page.goto(f"{site}/laporan/evaluasi/{siak.pk}/")
    page.get_by_label("Jenis laporan").select_option("hasil")
    expect(page.get_by_label("Jenis laporan")).to_contain_text("Laporan Hasil Penilaian Mandiri Pemdi")
    expect(page.get_by_label("Jenis laporan")).not_to_contain_text("Mandiri SPBE")


def test_the_review_page_shows_each_evidence_decision_and_no_default(page: Page, site: str) -> None:
    link = AnswerEvidence.objects.filter(
        answer__evaluation__instansi__slug="kabupaten-siak", answer__status="submitted", status="pending"
    ).first()
    assert link is not None
    login(page, site, "verifikator.siak")
    page.goto(f"{site}/penilaian/periksa/{link.answer_id}/")
    control = page.locator(f"#id_e{link.pk}-status")
    expect(control).to_have_value("")
    expect(page.get_by_test_id("evidence-status").first).to_have_class("badge text-bg-secondary")
    control.select_option("approved")
    control.locator("xpath=ancestor::form").get_by_role("button", name="Simpan").click()
    expect(page.locator(f"#id_e{link.pk}-status")).to_have_value("approved")
    assert AnswerEvidence.objects.get(pk=link.pk).status == "approved"


def test_a_new_evaluation_defaults_to_the_framework_in_force(page: Page, site: str, pemdi: Framework) -> None:  # noqa: F811
    login(page, site, "admin.sumedang")
    page.goto(f"{site}/kelola/evaluasi/")
    page.locator("#id_year").fill("2027")
    expect(page.get_by_label("Kerangka penilaian")).to_have_value(str(pemdi.pk))
    page.get_by_label("Kerangka penilaian").select_option(label="Indeks SPBE")
    page.get_by_role("button", name="Buka evaluasi").click()
    expect(page.get_by_text("Indeks SPBE sudah dicabut untuk tahun 2027 dan diganti Indeks Pemdi")).to_be_visible()
    assert not Evaluation.objects.filter(instansi__slug="kabupaten-sumedang", year=2027).exists()
    page.get_by_label("Saya tetap memakai kerangka yang tidak berlaku untuk tahun ini").check()
    page.get_by_role("button", name="Buka evaluasi").click()
    expect(page.get_by_text("Evaluasi 2027 dibuka.")).to_be_visible()
    assert evaluation("sumedang", 2027).framework.short_name == "Indeks SPBE"


def test_contributors_are_checkboxes_a_keyboard_can_use(page: Page, site: str) -> None:
    siak = evaluation("siak", 2026)
    answer = siak.answers.select_related("indicator").order_by("indicator__number").first()
    assert answer is not None
    taken = {answer.lead_opd_id, *answer.contributors.values_list("pk", flat=True)}
    opd = siak.instansi.opds.exclude(pk__in=[pk for pk in taken if pk]).order_by("short_name").first()
    assert opd is not None
    login(page, site, "admin.siak")
    page.goto(f"{site}/kelola/evaluasi/{siak.pk}/penugasan/")
    group = page.get_by_role("group", name=f"OPD pendukung indikator {answer.indicator.number}", exact=True)
    box = group.get_by_label(opd.short_name, exact=True)
    expect(box).to_be_visible()
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Simpan penugasan").click()
    expect(page.get_by_role("status").first).not_to_contain_text("Tidak ada penugasan yang berubah")
    group = page.get_by_role("group", name=f"OPD pendukung indikator {answer.indicator.number}", exact=True)
    expect(group.get_by_label(opd.short_name, exact=True)).to_be_checked()
    assert Answer.objects.get(pk=answer.pk).contributors.filter(pk=opd.pk).exists()
