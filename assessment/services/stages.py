"""Recording the official stages (dokumen, interviu, visitasi) after the self-assessment."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.models import Answer, AnswerItem, Evaluation, EvidenceItem, Stage, StageItemNote, StageValue
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


def stage_items(answer: Answer) -> list[EvidenceItem]:
    """The evidence items of the answer's indicator, level by level (none for 59/2020)."""
    items = EvidenceItem.objects.filter(level__indicator_id=answer.indicator_id)
    return list(items.order_by("level__level", "position"))


@transaction.atomic
def record_item_notes(
    answer: Answer,
    stage: str,
    entries: dict[int, tuple[str, str]],
    user: AbstractBaseUser,
    items: list[EvidenceItem] | None = None,
) -> int:
    """Set an official stage's verdict and note per evidence item id; returns how many changed.

    Both blank removes the stage's finding on that item. Items of other indicators are ignored.
    The item's review verdict and the stage values are not touched. `items` is `stage_items(answer)`
    when the caller has already read it (the page has, to build its form).
    """
    if stage not in OFFICIAL_STAGES:
        raise WorkflowError(_("Tahap ini tidak dicatat di sini."))
    items_by_id = {item.pk: item for item in (stage_items(answer) if items is None else items)}
    # The answer's work rows, read once; a missing one is created (with its history) only when needed.
    work_rows = {row.item_id: row for row in AnswerItem.objects.filter(answer=answer)}
    existing = {
        n.answer_item.item_id: n
        for n in StageItemNote.objects.filter(answer_item__answer=answer, stage=stage).select_related("answer_item")
    }
    changed = 0
    for item_id, (verdict, note) in entries.items():
        if item_id not in items_by_id:
            continue
        current = existing.get(item_id)
        if not verdict and not note:
            if current is not None:
                current._history_user = user  # type: ignore[attr-defined]
                current.delete()
                changed += 1
            continue
        if current is not None and (current.verdict, current.note) == (verdict, note):
            continue
        if current is None:
            work = work_rows.get(item_id)
            if work is None:
                work, _created = AnswerItem.objects.get_or_create(answer=answer, item=items_by_id[item_id])
            current = StageItemNote(answer_item=work, stage=stage)
        current.verdict, current.note, current.recorded_by_id = verdict, note, user.pk
        current._history_user = user  # type: ignore[attr-defined]
        current.save()
        changed += 1
    return changed
