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

from assessment import values
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
from assessment.models.evaluation import EXPLANATION_MAX_CHARS, split_exact
from assessment.notices import Notice
from assessment.services.evaluations import WorkflowError
from assessment.services.notifications import notify, reviewers_of, staff_of

EDITABLE = {AnswerStatus.DRAFT, AnswerStatus.RETURNED}


@dataclass
class StaleEditError(Exception):
    """The answer changed since the editor loaded it; `current` is what is there now."""

    current: Answer


def _locked(answer: Answer) -> Answer:
    return Answer.objects.select_for_update().select_related("evaluation__framework", "indicator").get(pk=answer.pk)


def period_blocker(answer: Answer) -> str | None:
    """Why nobody on the OPD side may change this answer now (final, past the deadline); None if they may."""
    evaluation = answer.evaluation
    if evaluation.is_finalised:
        return _("Evaluasi ini sudah final dan terkunci.")
    if evaluation.deadline_passed(timezone.now()):
        return _("Tenggat pengisian telah lewat; jawaban tidak dapat diubah lagi.")
    return None


def edit_blocker(answer: Answer) -> str | None:
    """Why OPD staff cannot edit this answer now, in the user's language; None when they can.

    An approved answer is read-only: only `withdraw_approval`, an explicit step with a reason,
    makes it editable again, so no keystroke or autosave can undo an approval.
    """
    blocker = period_blocker(answer)
    if blocker:
        return blocker
    if answer.status == AnswerStatus.SUBMITTED:
        return _("Jawaban sedang diperiksa verifikator; tunggu keputusannya.")
    if answer.status == AnswerStatus.APPROVED:
        return _(
            "Jawaban ini sudah disetujui verifikator dan terkunci. Untuk mengubahnya, pilih "
            "“Ubah jawaban yang sudah disetujui”: persetujuannya akan ditarik."
        )
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


def _about(answer: Answer) -> dict[str, str | int]:
    """What a notification names: the instansi and the indicator (number and name)."""
    return {
        "instansi": answer.evaluation.instansi.name,
        "number": answer.indicator.number,
        "indicator": answer.indicator.name,
    }


def explanation_too_long(length: int) -> str:
    return _(
        "Penjelasan paling banyak %(max)s karakter; yang Anda tulis %(n)s karakter. Persingkat lalu simpan lagi."
    ) % {
        "max": f"{EXPLANATION_MAX_CHARS:,}".replace(",", "."),
        "n": f"{length:,}".replace(",", "."),
    }


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
    A save never changes the answer's status (an approved answer refuses it: `edit_blocker`).
    A value the rule refuses (`values.check_claim`: range, step, a fed value without its
    figure) raises `values.ValueRefused`, a WorkflowError, with the reason shown everywhere.
    """
    answer = _locked(answer)
    if answer.version != seen_version:
        if answer.explanation == explanation and self_value(answer) == value:
            return answer
        raise StaleEditError(answer)
    blocker = edit_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    if len(explanation) > EXPLANATION_MAX_CHARS:
        raise WorkflowError(explanation_too_long(len(explanation)))
    # The one value rule (assessment/values.py): whatever the entry point, the same values pass.
    values.check_claim(answer.indicator, answer.evaluation.framework, value, source_value)
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
        Notice("answer_submitted", {**_about(answer), "opd": answer.lead_opd.short_name if answer.lead_opd else "-"}),
        reverse("assessment:review", args=[answer.pk]),
    )
    return answer


@dataclass(frozen=True)
class Submission:
    answer: Answer
    refused: str | None  # why the text was saved but not submitted (level or explanation missing)


@transaction.atomic
def save_and_submit(
    answer: Answer,
    user: AbstractBaseUser,
    *,
    value: Decimal | None,
    explanation: str,
    seen_version: int,
    source_value: Decimal | None = None,
) -> Submission:
    """ "Ajukan ke verifikator": save what the form holds and submit it, in one transaction.

    The row lock taken by the save is held until the submission commits, so no autosave can
    slip in between. A conflict or a locked answer raises before anything is written; an
    answer that is complete enough to save but not to submit is saved and `refused` says why.
    Pressing the button twice submits once: the second press finds the same text already
    submitted and reports success.
    """
    saved = save_draft(
        answer, user, value=value, explanation=explanation, seen_version=seen_version, source_value=source_value
    )
    if saved.status == AnswerStatus.SUBMITTED:  # only when the same content was already submitted
        return Submission(saved, None)
    try:
        with transaction.atomic():
            return Submission(submit(saved, user, seen_version=saved.version), None)
    except WorkflowError as error:
        return Submission(saved, str(error))


@transaction.atomic
def withdraw_approval(answer: Answer, user: AbstractBaseUser, *, reason: str, seen_version: int) -> Answer:
    """ "Ubah jawaban yang sudah disetujui": void the approval, back to draft, with a reason.

    The reason is kept in the answer's history (`history_change_reason`) beside the actor, the
    approving review is marked voided, and the reviewers are told.
    """
    answer = _locked(answer)
    if answer.version != seen_version:
        raise StaleEditError(answer)
    blocker = period_blocker(answer)
    if blocker:
        raise WorkflowError(blocker)
    if answer.status != AnswerStatus.APPROVED:
        raise WorkflowError(_("Jawaban ini tidak berstatus disetujui; tidak ada persetujuan yang ditarik."))
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Tuliskan alasan menarik persetujuan agar verifikator tahu apa yang berubah."))
    _void_approval(answer)
    answer.version += 1
    answer.updated_by_id = user.pk
    answer._history_user = user  # type: ignore[attr-defined]
    answer._change_reason = reason  # type: ignore[attr-defined]  # simple-history stores it on the row
    answer.save()
    notify(
        reviewers_of(answer.evaluation.instansi_id),
        _("Persetujuan jawaban indikator %(number)s ditarik oleh OPD: %(reason)s")
        % {"number": answer.indicator.number, "reason": reason[:200]},
        reverse("assessment:answer", args=[answer.pk]),
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
    key = "answer_approved" if decision == Decision.APPROVED else "answer_returned"
    notice = Notice(key, {**_about(answer), "reason": reason.strip()[:1000]})
    notify(
        staff_of([answer.lead_opd, *answer.contributors.all()]), notice, reverse("assessment:answer", args=[answer.pk])
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
