"""The answer workflow: draft -> submitted -> (returned -> submitted)* -> approved.

Every function runs in one transaction and locks the answer row, so two people acting on the
same answer queue up instead of overwriting each other (SQLite serialises writers with its
IMMEDIATE transactions, PostgreSQL with the row lock).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerStatus,
    Decision,
    EvidenceStatus,
    Review,
    Stage,
    StageValue,
)
from assessment.models.evaluation import split_exact
from assessment.services.evaluations import WorkflowError
from assessment.services.notifications import notify, reviewers_of, staff_of

EDITABLE = {AnswerStatus.DRAFT, AnswerStatus.RETURNED, AnswerStatus.APPROVED}


@dataclass
class StaleEditError(Exception):
    """The answer changed since the editor loaded it; `current` is what is there now."""

    current: Answer


def _locked(answer: Answer) -> Answer:
    return Answer.objects.select_for_update().select_related("evaluation", "indicator").get(pk=answer.pk)


def edit_blocker(answer: Answer) -> str | None:
    """Why OPD staff cannot edit this answer now, in the user's language; None when they can."""
    evaluation = answer.evaluation
    if evaluation.is_finalised:
        return _("Evaluasi ini sudah final dan terkunci.")
    if evaluation.deadline_passed(timezone.now()):
        return _("Tenggat pengisian telah lewat; jawaban tidak dapat diubah lagi.")
    if answer.status == AnswerStatus.SUBMITTED:
        return _("Jawaban sedang diperiksa verifikator; tunggu keputusannya.")
    return None


def self_value(answer: Answer) -> Decimal | Fraction | None:
    row = answer.stage_values.filter(stage=Stage.MANDIRI).first()
    return row.number if row else None


def snapshot(answer: Answer) -> dict[str, object]:
    """What a reviewer decides on: the claim, the explanation and the exact evidence files."""
    links = (
        AnswerEvidence.objects.filter(answer=answer).select_related("evidence").prefetch_related("evidence__versions")
    )
    value = self_value(answer)
    return {
        "value": str(value) if value is not None else None,
        "explanation": answer.explanation,
        "version": answer.version,
        "evidence": [
            {
                "id": link.evidence_id,
                "title": link.evidence.title,
                "url": link.evidence.url,
                "sha256": [v.sha256 for v in link.evidence.versions.all()][:1],
                "status": link.status,
            }
            for link in links
        ],
    }


def _void_approval(answer: Answer) -> bool:
    """An approval covers the content it saw; when the content changes it no longer holds."""
    if answer.status != AnswerStatus.APPROVED:
        return False
    answer.reviews.filter(decision=Decision.APPROVED, voided_at=None).update(voided_at=timezone.now())
    answer.status = AnswerStatus.DRAFT
    return True


def evidence_changed(answer: Answer, user: AbstractBaseUser) -> None:
    """Evidence was attached or removed (call inside the caller's transaction, answer locked).

    The version is bumped only when an approval is voided, so an OPD's own attachment does
    not turn their next autosave into a conflict.
    """
    if _void_approval(answer):
        answer.version += 1
        answer._history_user = user  # type: ignore[attr-defined]
        answer.save()


@transaction.atomic
def save_draft(
    answer: Answer,
    user: AbstractBaseUser,
    *,
    value: Decimal | Fraction | None,
    explanation: str,
    seen_version: int,
    source_value: Decimal | None = None,
) -> Answer:
    """Save the OPD's level and explanation; refuse a save based on an older version.

    `source_value` is the agency's figure an externally fed value was converted from; it is
    kept beside the value (and in its history) to show the conversion.

    A save whose content is already what is stored is not a conflict (an autosave and a
    button press racing each other from the same page), so it succeeds without a change.
    """
    answer = _locked(answer)
    if answer.version != seen_version:
        if answer.explanation == explanation and self_value(answer) == value:
            return answer
        raise StaleEditError(answer)
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    _void_approval(answer)
    answer.explanation = explanation
    answer.version += 1
    answer.updated_by_id = user.pk
    answer._history_user = user  # type: ignore[attr-defined]  # audit the actor outside requests too
    answer.save()
    if value is None:
        StageValue.objects.filter(answer=answer, stage=Stage.MANDIRI).delete()
    else:
        stored, exact = split_exact(value)
        StageValue.objects.update_or_create(
            answer=answer,
            stage=Stage.MANDIRI,
            defaults={"value": stored, "exact": exact, "source_value": source_value, "recorded_by_id": user.pk},
        )
    return answer


@transaction.atomic
def submit(answer: Answer, user: AbstractBaseUser, *, seen_version: int) -> Answer:
    answer = _locked(answer)
    if answer.version != seen_version:
        raise StaleEditError(answer)
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    if answer.status not in {AnswerStatus.DRAFT, AnswerStatus.RETURNED}:
        raise WorkflowError(
            _("Jawaban ini tidak dapat diajukan dari status %(status)s.") % {"status": answer.get_status_display()}
        )
    if self_value(answer) is None:
        raise WorkflowError(_("Pilih tingkat sebelum mengajukan."))
    if not answer.explanation.strip():
        raise WorkflowError(_("Tuliskan penjelasan (FAKTA dan ANALISIS) sebelum mengajukan."))
    answer.status = AnswerStatus.SUBMITTED
    answer.round += 1
    answer.submitted_at = timezone.now()
    answer.version += 1
    answer.updated_by_id = user.pk
    answer._history_user = user  # type: ignore[attr-defined]
    answer.save()
    notify(
        reviewers_of(answer.evaluation.instansi_id),
        _("Jawaban indikator %(number)s diajukan untuk diperiksa.") % {"number": answer.indicator.number},
        reverse("assessment:review", args=[answer.pk]),
    )
    return answer


@transaction.atomic
def decide(
    answer: Answer,
    reviewer: AbstractBaseUser,
    *,
    decision: str,
    reason: str,
    verified_value: Decimal | Fraction | None,
    seen_version: int,
) -> Review:
    """Approve (setting the verified level) or return a submitted answer; keeps the round's state."""
    answer = _locked(answer)
    if answer.version != seen_version:
        raise StaleEditError(answer)
    if answer.evaluation.is_finalised:
        raise WorkflowError(_("Evaluasi ini sudah final dan terkunci."))
    if answer.status != AnswerStatus.SUBMITTED:
        raise WorkflowError(_("Hanya jawaban yang diajukan yang dapat diperiksa."))
    claimed = self_value(answer)
    reason = reason.strip()
    if decision == Decision.RETURNED and not reason:
        raise WorkflowError(_("Tuliskan alasan pengembalian agar OPD tahu apa yang harus diperbaiki."))
    if decision == Decision.APPROVED:
        verified_value = claimed if verified_value is None else verified_value
        if verified_value is None:
            raise WorkflowError(_("Pilih tingkat terverifikasi: jawaban ini tidak memiliki tingkat klaim."))
        if verified_value != claimed and not reason:
            raise WorkflowError(_("Tingkat terverifikasi berbeda dari klaim OPD; tuliskan alasannya."))
    kept = verified_value if decision == Decision.APPROVED else None
    stored, exact = split_exact(kept) if kept is not None else (None, "")
    review = Review.objects.create(
        answer=answer,
        round=answer.round,
        decision=decision,
        reason=reason,
        verified_value=stored,
        verified_exact=exact,
        reviewer_id=reviewer.pk,
        snapshot=snapshot(answer),
    )
    if decision == Decision.APPROVED and verified_value is not None:
        StageValue.objects.update_or_create(
            answer=answer,
            stage=Stage.VERIFIKASI,
            defaults={"value": stored, "exact": exact, "note": reason, "recorded_by_id": reviewer.pk},
        )
    answer.status = AnswerStatus.APPROVED if decision == Decision.APPROVED else AnswerStatus.RETURNED
    answer.version += 1
    answer.updated_by_id = reviewer.pk
    answer._history_user = reviewer  # type: ignore[attr-defined]
    answer.save()
    message = (
        _("Jawaban indikator %(number)s disetujui.")
        if decision == Decision.APPROVED
        else _("Jawaban indikator %(number)s dikembalikan untuk perbaikan.")
    ) % {"number": answer.indicator.number}
    notify(
        staff_of([answer.lead_opd, *answer.contributors.all()]), message, reverse("assessment:answer", args=[answer.pk])
    )
    return review


@transaction.atomic
def review_evidence(link: AnswerEvidence, reviewer: AbstractBaseUser, *, status: str, comment: str) -> AnswerEvidence:
    if status not in {EvidenceStatus.APPROVED, EvidenceStatus.REJECTED}:
        raise WorkflowError(_("Pilih terima atau tolak."))
    if status == EvidenceStatus.REJECTED and not comment.strip():
        raise WorkflowError(_("Tuliskan alasan penolakan bukti dukung."))
    link = AnswerEvidence.objects.select_for_update().get(pk=link.pk)
    link.status = status
    link.comment = comment.strip()
    link.reviewed_by_id = reviewer.pk
    link.reviewed_at = timezone.now()
    link.save()
    return link
