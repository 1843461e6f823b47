"""Issue 14 item 9 in Chromium: the carry-over note says what happened, and goes once submitted."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.catalog import external_points
from assessment.models import Answer, AnswerEvidence, AnswerStatus, CarryOverSuggestion, Framework
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.browser.test_workflow_journeys import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, pemdi: Framework) -> str:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def old_evidence(answer: Answer) -> int:
    """Counted apart from the page: evidence of this answer that also served last framework's evaluation."""
    source = CarryOverSuggestion.objects.get(answer=answer).source_evaluation
    old = set(AnswerEvidence.objects.filter(answer__evaluation=source).values_list("evidence_id", flat=True))
    return len(set(AnswerEvidence.objects.filter(answer=answer).values_list("evidence_id", flat=True)) & old)


def test_the_note_matches_the_evidence_list_and_leaves_once_submitted(page: Page, site: str) -> None:
    drafts = Answer.objects.filter(
        evaluation__instansi__slug="kabupaten-siak", evaluation__year=2026, lead_opd__short_name="Diskominfo",
        status=AnswerStatus.DRAFT, suggestion__isnull=False,
    ).select_related("indicator")  # fmt: skip
    counted = {a.pk: old_evidence(a) for a in drafts}
    assert counted and any(counted.values()), "the demo has carried-over drafts, some with old evidence"
    login(page, site, "opd.diskominfo.siak")
    for answer in drafts:
        page.goto(f"{site}/penilaian/jawaban/{answer.pk}/")
        note = page.get_by_test_id("suggestion")
        if counted[answer.pk]:
            expect(note).to_contain_text(f"{counted[answer.pk]} bukti dukung lama dilampirkan")
        else:
            expect(note).to_contain_text("Tidak ada bukti dukung lama yang dilampirkan")
            expect(note).not_to_contain_text("bukti dukung lama dilampirkan untuk")
    answer = next(a for a in drafts if not external_points(a.indicator.extra))  # a value typed, not converted
    page.goto(f"{site}/penilaian/jawaban/{answer.pk}/")
    page.get_by_label("Tingkat", exact=True).select_option("3")
    page.get_by_label("Nilai indikator").fill("3,00")
    page.get_by_label("Penjelasan").fill("FAKTA: data 2026. ANALISIS: sesuai kriteria.")
    page.get_by_role("button", name="Ajukan ke verifikator").click()
    expect(page.get_by_test_id("answer-status")).to_have_text("Diajukan")
    expect(page.get_by_test_id("suggestion")).to_have_count(0)
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.SUBMITTED
