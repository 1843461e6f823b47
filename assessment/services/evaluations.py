"""Evaluation periods: creating one with default assignments, finalising, reopening."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessment.models import (
    Answer,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    Framework,
    Indicator,
    Instansi,
    Opd,
)


class WorkflowError(Exception):
    """A state change that is not allowed now; the message is shown to the user."""


@transaction.atomic
def create_evaluation(
    instansi: Instansi, framework: Framework, year: int, deadline: datetime | None, predicate_basis: str
) -> Evaluation:
    """Open an evaluation with one answer per indicator, each assigned to its usual OPD.

    The default lead OPD comes from the framework's `suggested_opd` (matched by OPD code);
    indicators whose suggested OPD the instansi does not have stay unassigned.
    """
    evaluation = Evaluation.objects.create(
        instansi=instansi, framework=framework, year=year, deadline=deadline, predicate_basis=predicate_basis
    )
    opds = {o.code: o for o in Opd.objects.filter(instansi=instansi)}
    # bulk_create sends no signals; the history helper writes the "created" audit rows too.
    bulk_create_with_history(
        [
            Answer(evaluation=evaluation, indicator=i, lead_opd=opds.get(i.extra.get("suggested_opd", "")))
            for i in framework.indicators.all()
        ],
        Answer,
    )
    return evaluation


def finalise_blockers(evaluation: Evaluation) -> list[str]:
    """Why the evaluation cannot be finalised now; empty when it can. The page and `finalise` ask this."""
    if evaluation.is_finalised:
        return [_("Evaluasi ini sudah final.")]
    # One query: the framework's indicators and the evaluation's approved answers.
    per_framework = Indicator.objects.filter(framework=OuterRef("framework")).order_by().values("framework")
    total, approved = (
        Evaluation.objects.filter(pk=evaluation.pk)
        .annotate(
            total=Subquery(per_framework.annotate(n=Count("pk")).values("n")),
            approved=Count("answers", filter=Q(answers__status=AnswerStatus.APPROVED)),
        )
        .values_list("total", "approved")
        .get()
    )
    indicators = total or 0
    if approved < indicators:
        return [
            _("Belum bisa difinalkan: %(approved)s dari %(total)s indikator telah disetujui.")
            % {"approved": approved, "total": indicators}
        ]
    return []


@transaction.atomic
def finalise(evaluation: Evaluation, user: AbstractBaseUser) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    blockers = finalise_blockers(evaluation)
    if blockers:
        raise WorkflowError(" ".join(blockers))
    evaluation.status = EvaluationStatus.FINALISED
    evaluation.finalised_by_id = user.pk
    evaluation.finalised_at = timezone.now()
    evaluation.save(update_fields=["status", "finalised_by", "finalised_at"])
    return evaluation


@transaction.atomic
def reopen(evaluation: Evaluation, user: AbstractBaseUser, reason: str) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not evaluation.is_finalised:
        raise WorkflowError(_("Evaluasi ini belum final."))
    if not reason.strip():
        raise WorkflowError(_("Tuliskan alasan membuka kembali evaluasi."))
    evaluation.status = EvaluationStatus.OPEN
    evaluation.reopen_reason = reason.strip()
    evaluation._change_reason = reason.strip()  # type: ignore[attr-defined]  # simple-history
    evaluation._history_user = user  # type: ignore[attr-defined]  # who reopened, outside requests too
    evaluation.save(update_fields=["status", "reopen_reason"])
    return evaluation
