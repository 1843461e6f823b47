"""Excel import of a filled questionnaire: validate, preview, apply as drafts; nothing on errors."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from assessment import questionnaire
from assessment.models import Answer, AnswerStatus, Membership, Stage, StageValue
from assessment.services import answers as workflow
from reports.rendering import build
from tests.world import World

pytestmark = pytest.mark.django_db
LEVEL_COLUMN = "Penilaian Mandiri"


def workbook(world: World, edits: dict[int, tuple[Any, Any]]) -> bytes:
    """The evaluation's Excel export with {indicator number: (level, explanation)} filled in."""
    book = load_workbook(io.BytesIO(build("xlsx", world.evaluation).content))
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    level, text = header.index(LEVEL_COLUMN) + 1, header.index("Penjelasan") + 1
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row, 1).value
        if number in edits:
            sheet.cell(row, level).value, sheet.cell(row, text).value = edits[number]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def member(world: World, role: str = "opd.bkpsdm") -> Membership:
    return Membership.objects.select_related("opd").get(user=world.a.users[role])


def stored(answer: Answer) -> tuple[Decimal | None, str, int]:
    answer.refresh_from_db()
    value = StageValue.objects.filter(answer=answer, stage=Stage.MANDIRI).values_list("value", flat=True).first()
    return value, answer.explanation, answer.version


def test_the_preview_lists_old_and_new_and_writes_nothing(world: World) -> None:
    data = workbook(world, {36: (4, "FAKTA: SK Bupati 12/2026. ANALISIS: tingkat 4 terpenuhi.")})
    plan = questionnaire.read_plan(world.evaluation, member(world), data)
    assert plan.errors == [] and plan.skipped == []
    [change] = plan.changes
    assert (change.number, change.old_value, change.new_value) == (36, None, "4")
    assert change.row == 37  # the header is row 1, indicator 36 is row 37
    assert stored(world.answer) == (None, "", 0)


def test_applying_saves_drafts_through_the_workflow(world: World) -> None:
    data = workbook(world, {36: (4, "FAKTA dan ANALISIS")})
    plan = questionnaire.read_plan(world.evaluation, member(world), data)
    user = world.a.users["opd.bkpsdm"]
    assert questionnaire.apply_plan(world.evaluation, member(world), user, plan.to_session()) == 1
    assert stored(world.answer) == (Decimal(4), "FAKTA dan ANALISIS", 1)
    world.answer.refresh_from_db()
    assert world.answer.status == AnswerStatus.DRAFT and world.answer.updated_by == user


def test_another_opd_s_changed_indicator_is_a_row_error_and_nothing_is_written(world: World) -> None:
    data = workbook(world, {36: (4, "milik BKPSDM"), 1: (5, "milik Diskominfo")})
    plan = questionnaire.read_plan(world.evaluation, member(world), data)
    assert [(e.row, "bukan tugas OPD Anda" in e.message) for e in plan.errors] == [(2, True)]
    assert not plan.can_apply


def test_another_opd_s_unchanged_rows_are_ignored(world: World) -> None:
    """A whole-instansi export can be filled in and sent back: untouched rows are no business of ours."""
    plan = questionnaire.read_plan(world.evaluation, member(world), workbook(world, {36: (3, "x")}))
    assert plan.errors == [] and len(plan.changes) == 1
    assert plan.unchanged == world.evaluation.answers.count() - 1


@pytest.mark.parametrize(
    ("cell", "message"),
    [(6, "tingkat \u201c6\u201d tidak valid (1 sampai 5)"), ("tiga", "tidak valid"), (2.5, "tidak valid"),
     ("=1+2", "rumus tidak diterima")],
)  # fmt: skip
def test_a_bad_level_is_reported_with_its_row(world: World, cell: Any, message: str) -> None:
    plan = questionnaire.read_plan(world.evaluation, member(world), workbook(world, {36: (cell, "x")}))
    assert [(e.row, message in e.message) for e in plan.errors] == [(37, True)]


def test_unknown_and_repeated_indicators_are_row_errors(world: World) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["No", "Kode", LEVEL_COLUMN, "Penjelasan"])
    sheet.append([36, "I36", 3, "a"])
    sheet.append([36, "I36", 4, "b"])
    sheet.append([99, "I99", 3, "c"])
    sheet.append(["tiga", "", 3, "d"])
    out = io.BytesIO()
    book.save(out)
    plan = questionnaire.read_plan(world.evaluation, member(world), out.getvalue())
    assert [e.row for e in plan.errors] == [3, 4, 5]
    assert "lebih dari sekali" in plan.errors[0].message and "99" in plan.errors[1].message


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"bukan excel", "bukan lembar kerja Excel"), (b"PK\x03\x04rusak", "bukan lembar kerja Excel")],
)
def test_a_malformed_file_is_refused_as_a_whole(world: World, data: bytes, message: str) -> None:
    with pytest.raises(questionnaire.ImportRefused, match=message):
        questionnaire.read_plan(world.evaluation, member(world), data)


def test_a_workbook_without_the_columns_is_refused_naming_them(world: World) -> None:
    book = Workbook()
    book.active.append(["Nomor", "Nilai"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(questionnaire.ImportRefused, match=r"Baris 1: kolom .No., .Penilaian Mandiri., .Penjelasan."):
        questionnaire.read_plan(world.evaluation, member(world), out.getvalue())


def test_after_the_deadline_the_file_is_refused(world: World) -> None:
    world.evaluation.deadline = timezone.now() - timedelta(minutes=1)
    world.evaluation.save()
    with pytest.raises(questionnaire.ImportRefused, match="Tenggat"):
        questionnaire.read_plan(world.evaluation, member(world), workbook(world, {36: (3, "x")}))


def test_submitted_and_approved_answers_are_skipped_with_the_reason(world: World) -> None:
    user = world.a.users["opd.bkpsdm"]
    workflow.save_draft(world.answer, user, value=Decimal(3), explanation="siap", seen_version=0)
    workflow.submit(world.answer, user, seen_version=1)
    plan = questionnaire.read_plan(world.evaluation, member(world), workbook(world, {36: (5, "lebih baik")}))
    assert plan.changes == [] and "sedang diperiksa" in plan.skipped[0].message
    workflow.decide(world.answer, world.a.users["verifikator"], decision="approved", reason="", verified_value=None,
                    seen_version=2)  # fmt: skip
    plan = questionnaire.read_plan(world.evaluation, member(world), workbook(world, {36: (5, "lebih baik")}))
    assert plan.changes == [] and "sudah disetujui" in plan.skipped[0].message


def test_blank_cells_keep_what_is_stored(world: World) -> None:
    user = world.a.users["opd.bkpsdm"]
    workflow.save_draft(world.answer, user, value=Decimal(2), explanation="lama", seen_version=0)
    plan = questionnaire.read_plan(world.evaluation, member(world), workbook(world, {36: (None, "baru")}))
    [change] = plan.changes
    assert (change.old_value, change.new_value, change.new_explanation) == ("2", "2", "baru")


def test_a_change_made_after_the_preview_stops_the_whole_import(world: World) -> None:
    user = world.a.users["opd.bkpsdm"]
    world.answer.contributors.add(world.a.bkpsdm)
    other = world.evaluation.answers.get(indicator__number=25)  # also BKPSDM's
    plan = questionnaire.read_plan(world.evaluation, member(world), workbook(world, {25: (3, "a"), 36: (3, "b")}))
    assert len(plan.changes) == 2
    workflow.save_draft(world.answer, user, value=Decimal(1), explanation="di halaman", seen_version=0)
    with pytest.raises(questionnaire.ImportConflict, match="36"):
        questionnaire.apply_plan(world.evaluation, member(world), user, plan.to_session())
    assert stored(other) == (None, "", 0)


def test_the_pages_preview_then_apply(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    url = reverse("exchange:import", args=[world.evaluation.pk])
    upload = SimpleUploadedFile("kuesioner.xlsx", workbook(world, {36: (4, "FAKTA")}))
    preview = client.post(url, {"workbook": upload})
    assert preview.status_code == 200
    assert "Pratinjau perubahan" in preview.content.decode() and stored(world.answer)[2] == 0
    applied = client.post(reverse("exchange:import-apply", args=[world.evaluation.pk]))
    assert applied.status_code == 302
    assert stored(world.answer) == (Decimal(4), "FAKTA", 1)
    again = client.post(reverse("exchange:import-apply", args=[world.evaluation.pk]))
    assert again.status_code == 302 and stored(world.answer)[2] == 1  # the preview was used once


def test_the_page_shows_row_errors_and_offers_no_apply(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    url = reverse("exchange:import", args=[world.evaluation.pk])
    upload = SimpleUploadedFile("kuesioner.xlsx", workbook(world, {36: (9, "x")}))
    page = client.post(url, {"workbook": upload}).content.decode()
    assert "Baris 37" in page and "tidak ada yang disimpan" in page
    assert reverse("exchange:import-apply", args=[world.evaluation.pk]) not in page


def test_the_template_holds_the_opd_s_own_indicators(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    response = client.get(reverse("exchange:import-template", args=[world.evaluation.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Indikator"]
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(numbers) == set(
        world.evaluation.answers.filter(lead_opd=world.a.bkpsdm).values_list("indicator__number", flat=True)
    )
    # ... and the template imports back without a change.
    plan = questionnaire.read_plan(world.evaluation, member(world), response.content)
    assert plan.errors == [] and plan.changes == []
