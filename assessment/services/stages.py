"""Recording the official stages (dokumen, interviu, visitasi) after the self-assessment."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.models import Evaluation, Stage, StageValue
from assessment.services.evaluations import WorkflowError

OFFICIAL_STAGES = (Stage.DOKUMEN, Stage.INTERVIU, Stage.VISITASI)


@transaction.atomic
def record_stage(
    evaluation: Evaluation,
    stage: str,
    entries: dict[int, tuple[Decimal | Fraction | None, str]],
    user: AbstractBaseUser,
) -> int:
    """Set an official stage's value and note per answer id; returns how many rows changed.

    A blank value means the stage did not revisit that indicator: any value recorded for it in
    this stage is removed, so the indicator carries the previous stage's value again.
    """
    if stage not in OFFICIAL_STAGES:
        raise WorkflowError(_("Tahap ini tidak dicatat di sini."))
    existing = {sv.answer_id: sv for sv in StageValue.objects.filter(answer__evaluation=evaluation, stage=stage)}
    valid = set(evaluation.answers.values_list("pk", flat=True))
    changed = 0
    for answer_id, (value, note) in entries.items():
        if answer_id not in valid:
            continue
        current = existing.get(answer_id)
        if value is None:
            if current is not None:
                current._history_user = user  # type: ignore[attr-defined]
                current.delete()
                changed += 1
            continue
        if current is not None and current.number == value and current.note == note:
            continue
        row = current or StageValue(answer_id=answer_id, stage=stage)
        row.set_exact(value)
        row.note, row.recorded_by_id = note, user.pk
        row._history_user = user  # type: ignore[attr-defined]
        row.save()
        changed += 1
    return changed
