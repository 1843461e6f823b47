"""Every state transition of an answer and an evaluation, and the ones that must be refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from assessment.models import AnswerStatus, Decision, EvaluationStatus, Notification, Review, Stage, StageValue
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError, finalise, finalise_blockers, reopen
from tests.world import World

pytestmark = pytest.mark.django_db


def draft(world: World, level: int = 3, text: str = "FAKTA: SK Bupati. ANALISIS: tingkat 3.") -> None:
    workflow.save_draft(
        world.answer, world.a.users["opd.bkpsdm"], value=Decimal(level), explanation=text,
        seen_version=world.answer.version,
    )  # fmt: skip
    world.answer.refresh_from_db()


def submitted(world: World, level: int = 3) -> None:
    draft(world, level)
    workflow.submit(world.answer, world.a.users["opd.bkpsdm"], seen_version=world.answer.version)
    world.answer.refresh_from_db()


def decide(world: World, decision: str, reason: str = "", verified: int | None = None) -> Review:
    review = workflow.decide(
        world.answer, world.a.users["verifikator"], decision=decision, reason=reason,
        verified_value=Decimal(verified) if verified is not None else None, seen_version=world.answer.version,
    )  # fmt: skip
    world.answer.refresh_from_db()
    return review


def test_a_new_evaluation_assigns_each_indicator_to_its_usual_opd(world: World) -> None:
    assert world.answer.lead_opd == world.a.bkpsdm  # Layanan Kepegawaian -> BKPSDM
    assert world.other_answer.lead_opd == world.a.diskominfo
    assert world.evaluation.answers.filter(lead_opd=None).count() > 0  # OPDs the instansi lacks


def test_draft_to_submitted_starts_round_one_and_notifies_reviewers(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submitted(world)
    assert (world.answer.status, world.answer.round) == (AnswerStatus.SUBMITTED, 1)
    assert Notification.objects.filter(user=world.a.users["verifikator"], message__contains="36").exists()
    assert not Notification.objects.filter(user=world.b.users["verifikator"]).exists()


def test_submitting_needs_a_level_and_an_explanation(world: World) -> None:
    with pytest.raises(WorkflowError, match="Pilih tingkat"):
        workflow.submit(world.answer, world.a.users["opd.bkpsdm"], seen_version=world.answer.version)
    draft(world, text="   ")
    with pytest.raises(WorkflowError, match="FAKTA dan ANALISIS"):
        workflow.submit(world.answer, world.a.users["opd.bkpsdm"], seen_version=world.answer.version)


@pytest.mark.usefixtures("eager_tasks")
def test_returned_then_resubmitted_then_approved_keeps_every_round(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, Decision.RETURNED, "SK belum ditandatangani.")
    assert world.answer.status == AnswerStatus.RETURNED
    assert any("dikembalikan" in m.subject for m in mail.outbox)
    draft(world, 3, "FAKTA: SK Bupati No. 12/2026 telah ditandatangani. ANALISIS: tingkat 3.")
    workflow.submit(world.answer, world.a.users["opd.bkpsdm"], seen_version=world.answer.version)
    world.answer.refresh_from_db()
    assert world.answer.round == 2
    decide(world, Decision.APPROVED)
    rounds = list(Review.objects.filter(answer=world.answer).order_by("round").values_list("round", "decision"))
    assert rounds == [(1, "returned"), (2, "approved")]
    first = Review.objects.get(answer=world.answer, round=1)
    assert "belum" not in first.snapshot["explanation"] and first.snapshot["value"] == "3.00"
    assert StageValue.objects.get(answer=world.answer, stage=Stage.VERIFIKASI).value == 3


def test_returning_needs_a_reason(world: World) -> None:
    submitted(world)
    with pytest.raises(WorkflowError, match="alasan pengembalian"):
        decide(world, Decision.RETURNED, "  ")
    assert world.answer.status == AnswerStatus.SUBMITTED


def test_a_verified_level_different_from_the_claim_needs_a_reason(world: World) -> None:
    submitted(world, level=4)
    with pytest.raises(WorkflowError, match="berbeda dari klaim"):
        decide(world, Decision.APPROVED, verified=3)
    decide(world, Decision.APPROVED, "Reviu belum dilakukan; tingkat 3.", verified=3)
    values = dict(StageValue.objects.filter(answer=world.answer).values_list("stage", "value"))
    assert values == {"mandiri": Decimal("4.00"), "verifikasi": Decimal("3.00")}


def test_approving_an_answer_without_a_claimed_level_needs_a_verified_level(world: World) -> None:
    submitted(world)
    StageValue.objects.filter(answer=world.answer, stage=Stage.MANDIRI).delete()  # e.g. an imported answer
    with pytest.raises(WorkflowError, match="tidak memiliki tingkat klaim"):
        decide(world, Decision.APPROVED)
    decide(world, Decision.APPROVED, "Dinilai dari bukti.", verified=2)
    assert StageValue.objects.get(answer=world.answer, stage=Stage.VERIFIKASI).value == 2


def test_only_submitted_answers_can_be_decided(world: World) -> None:
    draft(world)
    with pytest.raises(WorkflowError, match="Hanya jawaban yang diajukan"):
        decide(world, Decision.APPROVED)


def test_a_submitted_answer_cannot_be_edited_until_decided(world: World) -> None:
    submitted(world)
    with pytest.raises(WorkflowError, match="sedang diperiksa"):
        draft(world, 5)
    assert StageValue.objects.get(answer=world.answer, stage=Stage.MANDIRI).value == 3


def test_an_approved_answer_refuses_a_save_and_keeps_its_approval(world: World) -> None:
    submitted(world)
    review = decide(world, Decision.APPROVED)
    with pytest.raises(WorkflowError, match="sudah disetujui"):
        draft(world, 4, "FAKTA: reviu kebijakan 2026. ANALISIS: tingkat 4.")
    review.refresh_from_db()
    world.answer.refresh_from_db()
    assert world.answer.status == AnswerStatus.APPROVED and review.voided_at is None
    assert world.answer.explanation == "FAKTA: SK Bupati. ANALISIS: tingkat 3."


def test_withdrawing_an_approval_needs_a_reason_then_voids_it_and_allows_editing(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    submitted(world)
    review = decide(world, Decision.APPROVED)
    opd = world.a.users["opd.bkpsdm"]
    with pytest.raises(WorkflowError, match="alasan"):
        workflow.withdraw_approval(world.answer, opd, reason="  ", seen_version=world.answer.version)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw_approval(
            world.answer, opd, reason="SK baru terbit, tingkat naik", seen_version=world.answer.version
        )
    world.answer.refresh_from_db()
    review.refresh_from_db()
    assert world.answer.status == AnswerStatus.DRAFT and review.voided_at is not None
    last = world.answer.history.order_by("-history_date", "-history_id").first()
    assert last is not None
    assert (last.history_user, last.history_change_reason) == (opd, "SK baru terbit, tingkat naik")
    assert Notification.objects.filter(
        user=world.a.users["verifikator"], message__contains="SK baru terbit, tingkat naik"
    ).exists()
    draft(world, 4, "FAKTA: reviu kebijakan 2026. ANALISIS: tingkat 4.")
    assert world.answer.status == AnswerStatus.DRAFT
    with pytest.raises(WorkflowError, match="tidak berstatus disetujui"):
        workflow.withdraw_approval(world.answer, opd, reason="lagi", seen_version=world.answer.version)


def test_a_stale_save_is_refused_and_nothing_is_overwritten(world: World) -> None:
    draft(world, 3, "teks pertama")
    seen = world.answer.version - 1  # the version a second tab loaded before the first save
    with pytest.raises(workflow.StaleEditError) as stale:
        workflow.save_draft(
            world.answer, world.a.users["opd.bkpsdm"], value=Decimal(2), explanation="tab lama", seen_version=seen
        )
    assert stale.value.current.explanation == "teks pertama"
    world.answer.refresh_from_db()
    assert world.answer.explanation == "teks pertama"


def test_after_the_deadline_opd_staff_can_no_longer_edit(world: World) -> None:
    world.evaluation.deadline = timezone.now() - timedelta(minutes=1)
    world.evaluation.save()
    world.answer.refresh_from_db()
    with pytest.raises(WorkflowError, match="Tenggat pengisian telah lewat"):
        draft(world)
    assert world.answer.version == 0


def approve_everything(world: World) -> None:
    verifier = world.a.users["verifikator"]
    for answer in world.evaluation.answers.all():
        StageValue.objects.create(answer=answer, stage=Stage.MANDIRI, value=3)
        answer.explanation = "FAKTA. ANALISIS."
        answer.status = AnswerStatus.SUBMITTED
        answer.save()
        workflow.decide(
            answer, verifier, decision=Decision.APPROVED, reason="", verified_value=None, seen_version=answer.version
        )


def test_finalising_needs_every_indicator_approved_then_locks_and_records_who(world: World) -> None:
    sekda = world.a.users["sekda"]
    with pytest.raises(WorkflowError, match="0 dari 47"):
        finalise(world.evaluation, sekda)
    approve_everything(world)
    evaluation = finalise(world.evaluation, sekda)
    assert evaluation.status == EvaluationStatus.FINALISED
    assert evaluation.finalised_by == sekda and evaluation.finalised_at is not None
    world.answer.refresh_from_db()
    with pytest.raises(WorkflowError, match="sudah final"):
        draft(world, 5)
    with pytest.raises(WorkflowError, match="sudah final"):
        finalise(world.evaluation, sekda)


def test_reopening_needs_a_reason_and_is_recorded(world: World) -> None:
    approve_everything(world)
    finalise(world.evaluation, world.a.users["sekda"])
    with pytest.raises(WorkflowError, match="alasan"):
        reopen(world.evaluation, world.a.users["admin"], " ")
    reopen(world.evaluation, world.a.users["admin"], "Koreksi bukti indikator 36.")
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.OPEN
    last = world.evaluation.history.first()
    assert last is not None and last.history_change_reason == "Koreksi bukti indikator 36."


def test_reopening_records_who_reopened_outside_a_request_too(world: World) -> None:
    """Issue 16: `reopen` took the user and dropped it; only a page request's middleware named them."""
    approve_everything(world)
    finalise(world.evaluation, world.a.users["sekda"])
    reopen(world.evaluation, world.a.users["admin"], "Koreksi bukti indikator 36.")
    last = world.evaluation.history.first()
    assert last is not None and (last.status, last.history_user) == (EvaluationStatus.OPEN, world.a.users["admin"])


def test_the_finalise_blockers_are_what_finalise_refuses(world: World) -> None:
    sekda = world.a.users["sekda"]
    assert finalise_blockers(world.evaluation) == ["Belum bisa difinalkan: 0 dari 47 indikator telah disetujui."]
    approve_everything(world)
    assert finalise_blockers(world.evaluation) == []
    assert finalise_blockers(finalise(world.evaluation, sekda)) == ["Evaluasi ini sudah final."]
