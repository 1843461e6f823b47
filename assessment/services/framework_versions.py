"""Moving open evaluations to a newer version of their framework (Pemdi 2026.1 -> 2026.2).

A new version that only corrects texts (same codes, weights and bands: the same structure hash)
may replace the old one under evaluations still in progress, so OPDs work from the corrected
criteria and evidence items. Nothing of the work is touched: answers keep their rows (only the
indicator they point to changes, matched by code), so stage values, evidence links, reviews,
comments and every history row stay as they are. Finalised evaluations keep their version: their
published figures were scored on it. A version with another structure is refused, because it
would change scores silently; that needs a new evaluation, not a move.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assessment.models import Answer, Evaluation, EvaluationStatus, Framework, Indicator
from assessment.services.evaluations import WorkflowError


@dataclass(frozen=True)
class MovePlan:
    target: Framework
    evaluations: list[Evaluation]
    answers: int
    finalised_kept: list[Evaluation]


def plan_move(code: str, version: str) -> MovePlan:
    """What `move_open_evaluations` would do, for review before it is applied."""
    target = Framework.objects.filter(code=code, version=version).first()
    if target is None:
        raise WorkflowError(f"framework {code} version {version} is not loaded")
    others = Evaluation.objects.filter(framework__code=code).exclude(framework=target).select_related("framework")
    moving = [e for e in others.order_by("year", "pk") if e.status == EvaluationStatus.OPEN]
    for evaluation in moving:
        if evaluation.framework.structure_hash != target.structure_hash:
            raise WorkflowError(
                f"{evaluation}: version {evaluation.framework.version} differs from {version} in codes, weights or "
                "bands; moving it would change its scores"
            )
    answers = Answer.objects.filter(evaluation__in=moving).count()
    kept = [e for e in others if e.status != EvaluationStatus.OPEN]
    return MovePlan(target=target, evaluations=moving, answers=answers, finalised_kept=kept)


@transaction.atomic
def move_open_evaluations(plan: MovePlan, user: AbstractBaseUser | None) -> int:
    """Apply a reviewed plan; returns how many evaluations moved. Idempotent."""
    target_ids = dict(Indicator.objects.filter(framework=plan.target).values_list("code", "pk"))
    moved = 0
    for evaluation in plan.evaluations:
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.framework_id == plan.target.pk or evaluation.status != EvaluationStatus.OPEN:
            continue
        answers = list(Answer.objects.filter(evaluation=evaluation).select_related("indicator"))
        missing = sorted({a.indicator.code for a in answers} - set(target_ids))
        if missing:
            raise WorkflowError(
                f"{evaluation}: indicators {', '.join(missing)} are not in version {plan.target.version}"
            )
        for answer in answers:
            # A queryset update: the answer's own history is not rewritten, and no row is added
            # to it; the move is recorded once, on the evaluation.
            Answer.objects.filter(pk=answer.pk).update(indicator_id=target_ids[answer.indicator.code])
        before = evaluation.framework.version
        evaluation.framework = plan.target
        evaluation._history_user = user  # type: ignore[attr-defined]
        evaluation._change_reason = f"Versi kerangka {before} -> {plan.target.version} (teks Modul Indikator)"  # type: ignore[attr-defined]
        evaluation.save(update_fields=["framework"])
        moved += 1
    return moved
