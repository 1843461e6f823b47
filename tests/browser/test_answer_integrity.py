"""Issue 14 items 1-5 and 9 in Chromium, on the demo: two browser contexts on the same answer.

Each test asserts what the user sees and what the database holds. Run on PostgreSQL in CI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessment.models import Answer, AnswerStatus, Decision, Evaluation, Notification, Review, Stage, StageValue
from assessment.services import answers as workflow
from tests.browser.test_workflow_journeys import answer, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: LiveServer, framework59: object) -> str:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


@pytest.fixture
def tabs(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Any]:
    """Opens pages in separate browser contexts (two people, or one person in two browsers)."""
    contexts = []

    def open_tab() -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def stored_draft(page: Page, pk: int) -> Any:
    raw = page.evaluate(f"localStorage.getItem('spbe-draft-answer-{pk}')")
    return json.loads(raw) if raw else None


def approve(item: Answer, text: str = "FAKTA: SK Bupati 2026. ANALISIS: tingkat 3.") -> Answer:
    opd = item.evaluation.instansi.members.get(user__username="opd.bkpsdm.siak").user
    verifier = item.evaluation.instansi.members.get(user__username="verifikator.siak").user
    saved = workflow.save_draft(item, opd, value=Decimal(3), explanation=text, seen_version=item.version)
    submitted = workflow.submit(saved, opd, seen_version=saved.version)
    workflow.decide(submitted, verifier, decision=Decision.APPROVED, reason="", verified_value=None,
                    seen_version=submitted.version)  # fmt: skip
    return answer(item.indicator.number)


def test_item1_an_approved_answer_is_read_only_and_withdrawn_only_on_purpose(tabs: Any, site: str) -> None:
    target = answer(41)
    first, second = tabs(), tabs()
    login(first, site, "opd.bkpsdm.siak")
    login(second, site, "opd.bkpsdm.siak")
    first.goto(f"{site}/penilaian/jawaban/{target.pk}/")  # opened while it is still a draft
    approve(target)  # meanwhile submitted (by a colleague) and approved
    first.get_by_label("Penjelasan").fill("FAKTA: SK Bupati 2026. ANALISIS: tingkat 3.x")  # one keystroke more
    expect(first.locator("#save-status")).to_contain_text("Tidak tersimpan")
    expect(first.get_by_test_id("answer-status")).to_have_text("Disetujui")  # the badge follows the stored state
    expect(first.get_by_label("Penjelasan")).to_have_value(re.compile(r"tingkat 3\.x$"))  # the text stays
    assert stored_draft(first, target.pk)["explanation"].endswith("tingkat 3.x")
    held = answer(41)
    assert held.status == AnswerStatus.APPROVED and held.explanation.endswith("tingkat 3.")
    assert Review.objects.get(answer=held, decision=Decision.APPROVED).voided_at is None

    second.goto(f"{site}/penilaian/jawaban/{target.pk}/")
    expect(second.get_by_test_id("answer-status")).to_have_text("Disetujui")
    expect(second.get_by_label("Penjelasan")).to_have_count(0)  # read-only for OPD staff
    second.get_by_text("Ubah jawaban yang sudah disetujui", exact=True).click()
    expect(second.get_by_text("Persetujuan verifikator akan ditarik")).to_be_visible()
    second.get_by_label("Alasan menarik persetujuan").fill("SK Bupati baru terbit Maret 2026")
    second.get_by_role("button", name="Tarik persetujuan dan ubah jawaban").click()
    expect(second.get_by_test_id("answer-status")).to_have_text("Draf")
    expect(second.get_by_label("Penjelasan")).to_be_editable()
    expect(second.get_by_text("Alasan: SK Bupati baru terbit Maret 2026")).to_be_visible()  # the history
    withdrawn = answer(41)
    assert withdrawn.status == AnswerStatus.DRAFT
    assert Review.objects.get(answer=withdrawn, decision=Decision.APPROVED).voided_at is not None
    row = withdrawn.history.order_by("-history_date", "-history_id").first()
    assert row is not None and row.history_user.username == "opd.bkpsdm.siak"
    assert row.history_change_reason == "SK Bupati baru terbit Maret 2026"
    assert Notification.objects.filter(user__username="verifikator.siak", message__contains="Maret 2026").exists()


def test_items2_and_3_no_silent_overwrite_and_a_refused_save_keeps_the_text(tabs: Any, site: str) -> None:
    target = answer(25)
    first, second = tabs(), tabs()
    for tab in (first, second):
        login(tab, site, "opd.bkpsdm.siak")
        tab.goto(f"{site}/penilaian/jawaban/{target.pk}/")
    first.get_by_label("Penjelasan").fill("FAKTA dari tab satu.")
    expect(first.locator("#save-status")).to_contain_text("Tersimpan")
    second.get_by_label("Penjelasan").fill("FAKTA dari tab dua.")
    expect(second.locator("#save-status")).to_contain_text("Tidak tersimpan")
    expect(second.get_by_test_id("their-text")).to_contain_text("FAKTA dari tab satu.")
    second.get_by_label("Penjelasan").fill("FAKTA dari tab dua, ditambah.")  # the next autosave: refused again
    second.wait_for_timeout(2500)
    expect(second.get_by_test_id("their-text")).to_contain_text("FAKTA dari tab satu.")
    assert answer(25).explanation == "FAKTA dari tab satu."
    assert stored_draft(second, target.pk)["explanation"] == "FAKTA dari tab dua, ditambah."
    second.get_by_role("button", name="Timpa versi tersimpan dengan teks saya").click()  # the explicit choice
    expect(second.get_by_text("Jawaban tersimpan.")).to_be_visible()
    assert answer(25).explanation == "FAKTA dari tab dua, ditambah."
    assert stored_draft(second, target.pk) is None  # the server confirmed it

    first.reload()
    first.get_by_label("Tingkat", exact=True).select_option("2")
    expect(first.locator("#save-status")).to_contain_text("Tersimpan")
    first.get_by_role("button", name="Ajukan ke verifikator").click()
    expect(first.get_by_test_id("answer-status")).to_have_text("Diajukan")
    second.get_by_label("Penjelasan").fill("Teks setelah diajukan, jangan hilang.")
    second.get_by_role("button", name="Simpan draf").click()
    expect(second.get_by_test_id("refused")).to_contain_text("telah diubah orang lain")
    kept = second.locator("#refused-text")
    expect(kept).to_have_value("Teks setelah diajukan, jangan hilang.")
    expect(kept).not_to_be_editable()  # shown read-only, selectable and copyable
    assert second.evaluate("(() => { const t = document.getElementById('refused-text'); t.select();"
                           " return t.value.substring(t.selectionStart, t.selectionEnd); })()"
                           ) == "Teks setelah diajukan, jangan hilang."  # fmt: skip
    assert stored_draft(second, target.pk)["explanation"] == "Teks setelah diajukan, jangan hilang."
    held = answer(25)
    assert held.status == AnswerStatus.SUBMITTED and held.explanation == "FAKTA dari tab dua, ditambah."


def test_item4_ajukan_while_autosaves_are_in_flight(tabs: Any, site: str) -> None:
    target = answer(41)
    first, second = tabs(), tabs()
    errors: list[int] = []
    for tab in (first, second):
        login(tab, site, "opd.bkpsdm.siak")
        tab.on("response", lambda r: errors.append(r.status) if r.status >= 500 else None)
        tab.goto(f"{site}/penilaian/jawaban/{target.pk}/")
    first.get_by_label("Tingkat", exact=True).select_option("3")  # an autosave starts at once
    first.get_by_label("Penjelasan").fill("FAKTA: tab satu mengajukan. ANALISIS: tingkat 3.")
    second.get_by_label("Penjelasan").fill("FAKTA: tab dua mengetik bersamaan.")
    second.get_by_label("Tingkat", exact=True).select_option("2")  # the second tab's autosave in flight
    first.get_by_role("button", name="Ajukan ke verifikator").click()  # the text's change event autosaves too
    first.wait_for_load_state()
    second.wait_for_timeout(2500)
    assert errors == []
    held = answer(41)
    if held.status == AnswerStatus.SUBMITTED:
        assert held.explanation == "FAKTA: tab satu mengajukan. ANALISIS: tingkat 3."
        expect(first.get_by_test_id("answer-status")).to_have_text("Diajukan")
        expect(second.locator("#save-status")).to_contain_text("Tidak tersimpan")
        expect(second.get_by_label("Penjelasan")).to_have_value("FAKTA: tab dua mengetik bersamaan.")
    else:  # the second tab saved first: the submission was refused with its text shown
        assert held.explanation == "FAKTA: tab dua mengetik bersamaan."
        expect(first.get_by_test_id("refused")).to_be_visible()
        expect(first.get_by_label("Penjelasan")).to_have_value("FAKTA: tab satu mengajukan. ANALISIS: tingkat 3.")


def test_item5_the_sekda_sees_counts_equal_to_an_independent_count(page: Page, site: str) -> None:
    evaluation = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    # more stage values on approved answers: the join that multiplied the counts had these
    for item in evaluation.answers.filter(status=AnswerStatus.APPROVED):
        for stage in (Stage.DOKUMEN, Stage.INTERVIU):
            StageValue.objects.update_or_create(answer=item, stage=stage, defaults={"value": Decimal(3)})
    rows = list(evaluation.answers.filter(lead_opd__short_name="Diskominfo").values_list("pk", "status"))
    own = set(StageValue.objects.filter(stage=Stage.MANDIRI).values_list("answer_id", flat=True))
    expected = [len(rows), sum(pk in own for pk, _s in rows)] + [
        sum(s == status for _pk, s in rows) for status in ("submitted", "returned", "approved")
    ]
    login(page, site, "sekda.siak")
    page.goto(f"{site}/indeks/evaluasi/{evaluation.pk}/")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="Diskominfo", exact=True))
    assert [int(c) for c in row.get_by_role("cell").all_inner_texts()[1:]] == expected
    assert expected[1] <= expected[0] and expected[-1] <= expected[0]
