"""Issue 14 items 6 (CSRF page), 11 (worklist rows), 13, 14, 17 and 18 in Chromium, on the demo with Pemdi 8/2026 loaded.

Each test asserts what the user sees and what the database (or the sent mail, or the downloaded
file) holds. Items that share a page load share a test: a browser test costs seconds.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import (
    Answer,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    Framework,
    Membership,
    Notification,
    Stage,
    StageValue,
)
from assessment.services import answers as workflow
from assessment.services import evidence as evidence_service
from assessment.services.evaluations import create_evaluation
from assessment.uploads import check_upload
from reports.models import Report, ReportStatus
from spbe_portal import formatting
from tests.assessment.evidence.corpus import pdf
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.browser.test_answer_integrity import tabs  # noqa: F401  (fixture: one browser context per person)
from tests.browser.test_workflow_journeys import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]
README = Path(settings.BASE_DIR) / "README.md"


@pytest.fixture
def site(live_server: LiveServer, pemdi: Framework) -> str:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def siak_2026() -> Evaluation:
    return Evaluation.objects.select_related("framework").get(instansi__slug="kabupaten-siak", year=2026)


def switch_to_english(page: Page) -> None:
    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def row_of(page: Page, number: int) -> Any:
    return page.locator("tr", has=page.get_by_role("link", name=re.compile(rf"^{number}\. ")))


def test_items13_14_17_one_way_to_write_figures_and_times_and_a_notice_that_says_enough(
    tabs: Any,  # noqa: F811
    site: str,
) -> None:
    evaluation = siak_2026()
    # A whole minute in WIB a month ahead: the page must write it "23.59 WIB" (English "23:59 WIB").
    deadline = (timezone.now() + timedelta(days=30)).replace(hour=16, minute=59, second=0, microsecond=0)
    Evaluation.objects.filter(pk=evaluation.pk).update(deadline=deadline)
    target = Answer.objects.select_related("indicator").get(evaluation=evaluation, indicator__number=3)
    staff = Membership.objects.get(user__username="opd.bkpsdm.siak").user
    workflow.save_draft(target, staff, value=Decimal("2.3"), explanation="FAKTA: Perbup SDM 2026. ANALISIS: 2,3.",
                        seen_version=target.version)  # fmt: skip
    stored = StageValue.objects.get(answer=target, stage=Stage.MANDIRI)
    assert stored.value == Decimal("2.3") and evaluation.framework.value_places == 2

    opd = tabs()
    login(opd, site, "opd.bkpsdm.siak")
    opd.goto(f"{site}/penilaian/")
    # Item 13: the worklist and the answer page write the same figure the same way ("2,3" vs "2,30" before).
    expect(row_of(opd, 3)).to_contain_text("2,30")
    expect(opd.locator("main")).to_contain_text(f"Tenggat: {formatting.wib(deadline, language='id')}")
    assert formatting.wib(deadline, date=False, language="id") == "23.59 WIB"
    row_of(opd, 3).get_by_role("link", name=re.compile(r"^3\. ")).click()
    expect(opd.get_by_test_id("stage-value").first).to_have_text("2,30")
    # Item 17: the explanation's limit is said before the user reaches it.
    expect(opd.get_by_test_id("char-counter")).to_contain_text("dari 10.000 karakter")
    opd.get_by_role("button", name="Ajukan ke verifikator").click()
    expect(opd.get_by_test_id("answer-status")).to_have_text("Diajukan")
    assert Answer.objects.get(pk=target.pk).status == AnswerStatus.SUBMITTED

    # Item 14: the reviewer's e-mail names the instansi and the indicator and links absolutely.
    link = f"{settings.SITE_URL.rstrip('/')}/penilaian/periksa/{target.pk}/"
    [sent] = [m for m in mail.outbox if m.to == ["verifikator.siak@demo.spbe.invalid"] and link in m.body]
    assert link.startswith("http") and link in sent.body
    assert "Kabupaten Siak" in sent.body and target.indicator.name in sent.body and "BKPSDM" in sent.body
    notice = Notification.objects.filter(
        user__username="verifikator.siak", key="answer_submitted", params__number=3
    ).latest("pk")
    assert notice.params["number"] == 3 and notice.emailed_at is not None

    # Item 13 in English: the same figure and deadline in English digits and clock.
    switch_to_english(opd)
    opd.goto(f"{site}/penilaian/")
    expect(row_of(opd, 3)).to_contain_text("2.30")
    expect(row_of(opd, 3)).not_to_contain_text("2,30")
    expect(opd.locator("main")).to_contain_text(formatting.wib(deadline, language="en"))  # "... 23:59 WIB"

    # Item 14: the in-app notice follows the reader's language; its time follows the module.
    reviewer = tabs()
    login(reviewer, site, "verifikator.siak")
    reviewer.goto(f"{site}/notifikasi/")
    item = reviewer.get_by_role("listitem").filter(has_text=target.indicator.name)
    expect(item).to_contain_text(f"Kabupaten Siak: jawaban indikator 3 ({target.indicator.name}) dari BKPSDM")
    expect(item).to_contain_text(formatting.wib(notice.created_at, language="id"))
    switch_to_english(reviewer)
    reviewer.goto(f"{site}/notifikasi/")
    item = reviewer.get_by_role("listitem").filter(has_text=target.indicator.name)
    expect(item).to_contain_text(f"Kabupaten Siak: the answer to indicator 3 ({target.indicator.name}) from BKPSDM")
    expect(item).to_contain_text(formatting.wib(notice.created_at, language="en"))
    item.get_by_role("link").click()
    expect(reviewer).to_have_url(re.compile(rf"/penilaian/periksa/{target.pk}/$"))


def readme_accounts() -> dict[str, set[int]]:
    """The first "what to try" table of README.md: account -> the indicator numbers it names."""
    table = README.read_text(encoding="utf-8").split("| account | what to try |", 1)[1].split("\n\n", 1)[0]
    named: dict[str, set[int]] = {}
    for account, text in re.findall(r"^\| `([\w.]+\.siak)` \| (.*) \|$", table, flags=re.M):
        # "pre-filled from SPBE indicator 25" names the source, not the account's own indicator.
        numbers = re.findall(r"(?<!SPBE )[Ii]ndicators? (\d+)(?: and (\d+))?", text)
        named[account] = {int(n) for pair in numbers for n in pair if n}
    return named


def test_items6_17_18_what_the_readme_promises_each_account_and_the_small_things(
    tabs: Any,  # noqa: F811
    site: str,
    tmp_path: Path,
) -> None:
    evaluation = siak_2026()
    named = readme_accounts()
    assert named["opd.bkpsdm.siak"] == {3} and named["opd.diskominfo.siak"] == {16, 5}
    assert named["verifikator.siak"] == {13, 14}

    # Item 18: each account finds what the README's table says it will.
    bkpsdm = tabs()
    login(bkpsdm, site, "opd.bkpsdm.siak")
    bkpsdm.goto(f"{site}/penilaian/")
    # "belongs to BKPSDM": the rows it leads (it may contribute to others).
    leads = bkpsdm.locator("main tbody tr").filter(has_text="Penanggung jawab")
    shown = {int(text.split(".")[0]) for text in leads.get_by_role("link").all_inner_texts()}
    assert shown == named["opd.bkpsdm.siak"], bkpsdm.locator("main tbody").inner_text()
    # Item 17: checksum and file type sit behind "Detail teknis" for OPD staff.
    own = Answer.objects.select_related("evaluation__instansi", "lead_opd").get(
        evaluation=evaluation, indicator__number=3
    )
    evidence = evidence_service.add_file(
        instansi=own.evaluation.instansi, opd=own.lead_opd, user=Membership.objects.get(user__username="opd.bkpsdm.siak").user,
        title="Perbup SDM", document_date=None, answer=own,
        upload=check_upload(SimpleUploadedFile("perbup.pdf", pdf(), "application/pdf")),
    )  # fmt: skip
    digest = evidence.versions.get().sha256
    bkpsdm.goto(f"{site}/bukti/{evidence.pk}/")
    details = bkpsdm.get_by_test_id("technical-details").first
    expect(details.get_by_text(digest)).to_be_hidden()
    details.get_by_text("Detail teknis").click()
    expect(details.get_by_text(digest)).to_be_visible()
    bkpsdm.goto(f"{site}/penilaian/")

    # Item 6: a form whose CSRF token went stale answers the portal's Indonesian page with its menu
    # (not Django's English "CSRF verification failed"), and nothing is saved.
    row_of(bkpsdm, 3).get_by_role("link", name=re.compile(r"^3\. ")).click()
    bkpsdm.locator("#answer-form input[name=csrfmiddlewaretoken]").evaluate("input => input.value = 'x'.repeat(64)")
    bkpsdm.get_by_label("Penjelasan").fill("Teks dari formulir yang kedaluwarsa")
    bkpsdm.get_by_role("button", name="Simpan draf").click()
    expect(bkpsdm.get_by_role("heading", name="Formulir kedaluwarsa")).to_be_visible()
    expect(bkpsdm.get_by_role("navigation", name="Navigasi utama")).to_be_visible()
    expect(bkpsdm.locator("body")).not_to_contain_text("CSRF verification failed")
    assert Answer.objects.get(pk=own.pk).explanation == own.explanation

    diskominfo = tabs()
    login(diskominfo, site, "opd.diskominfo.siak")
    diskominfo.goto(f"{site}/penilaian/")
    for number in named["opd.diskominfo.siak"]:
        expect(row_of(diskominfo, number)).to_be_visible()
    expect(row_of(diskominfo, 16)).to_contain_text("Dikembalikan")
    returned = Answer.objects.get(evaluation=evaluation, indicator__number=16)
    assert returned.status == AnswerStatus.RETURNED
    reviewer = tabs()
    login(reviewer, site, "verifikator.siak")
    reviewer.goto(f"{site}/penilaian/periksa/")
    for number in named["verifikator.siak"]:
        expect(row_of(reviewer, number)).to_be_visible()
        assert Answer.objects.get(evaluation=evaluation, indicator__number=number).status == AnswerStatus.SUBMITTED

    # Item 17: a running evaluation's index is drawn as provisional on the trend page, never "Hasil akhir".
    sekda = tabs()
    login(sekda, site, "sekda.siak")
    sekda.goto(f"{site}/indeks/instansi/{evaluation.instansi_id}/tren/")
    section = sekda.locator("section", has=sekda.get_by_role("heading", name=re.compile(r"^Indeks Pemdi")))
    running = section.get_by_role("row", name=re.compile(r"^Indeks sementara \(evaluasi masih berjalan\)"))
    expect(running).to_contain_text("*")
    expect(section.get_by_role("row", name=re.compile(r"^Hasil akhir"))).to_have_count(0)
    assert evaluation.status == EvaluationStatus.OPEN

    # Item 17: in the embedded mode the page says what happened, and the Excel export has its summary sheet.
    sekda.goto(f"{site}/laporan/evaluasi/{evaluation.pk}/")
    sekda.get_by_label("Jenis laporan").select_option("xlsx")
    sekda.get_by_role("button", name="Buat laporan").click()
    expect(sekda.get_by_role("alert").or_(sekda.get_by_role("status")).first).to_contain_text(
        "Laporan selesai dibuat sekarang dan siap diunduh."
    )
    report = Report.objects.get(evaluation=evaluation, kind="xlsx")
    assert report.status == ReportStatus.DONE
    with sekda.expect_download() as download:
        sekda.get_by_role("link", name="Unduh").first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(io.BytesIO(saved.read_bytes()))
    assert book.sheetnames[0] == "Ringkasan"
    summary = list(book["Ringkasan"].iter_rows(values_only=True))
    assert summary[1][2] == "Indeks" and summary[-1][1] == "Predikat"
    assert {row[2] for row in summary[2:-1]} == {"Aspek"}  # Pemdi: aspects under the index, no domains

    # Item 11: with work in two open evaluations, each worklist row says its year and framework.
    later = create_evaluation(evaluation.instansi, evaluation.framework, 2027, None, evaluation.predicate_basis)
    assert later.answers.filter(lead_opd__code="bkpsdm").exists()
    bkpsdm.goto(f"{site}/penilaian/")
    labels = set(bkpsdm.get_by_test_id("row-evaluation").all_inner_texts())
    assert labels == {"2026 · Indeks Pemdi", "2027 · Indeks Pemdi"}, labels
