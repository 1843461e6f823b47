"""Admins, reviewers and the assigned external assessors record the official stages' levels."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment.access import answer_for, evaluation_for, require_capability
from assessment.forms.stages import StageForm, StageItemsForm
from assessment.models import STAGE_ORDER, EvidenceItem, ScaleLevel, Stage, StageItemNote, StageValue
from assessment.services.evaluations import WorkflowError
from assessment.services.stages import OFFICIAL_STAGES, record_item_notes, record_stage, stage_items


@require_http_methods(["GET", "POST"])
def stage_record(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    member = require_capability(request, "record_stages")
    evaluation = evaluation_for(member, pk)  # for an assessor: assigned and in force, else 404
    if stage not in OFFICIAL_STAGES:
        raise Http404
    answers = list(evaluation.answers.select_related("indicator").order_by("indicator__number"))
    values: dict[int, dict[str, StageValue]] = defaultdict(dict)
    for sv in StageValue.objects.filter(answer__evaluation=evaluation):
        values[sv.answer_id][sv.stage] = sv
    earlier = STAGE_ORDER[: STAGE_ORDER.index(stage)]
    carried: dict[int, Decimal | Fraction | None] = {}
    for answer in answers:
        previous = [values[answer.pk][s].number for s in earlier if s in values[answer.pk]]
        carried[answer.pk] = previous[-1] if previous else None
    initial = {}
    for answer in answers:
        own = values[answer.pk].get(stage)
        if own is not None:
            initial[f"v{answer.pk}"] = own.number if own.exact else str(own.value.normalize())
            initial[f"n{answer.pk}"] = own.note
    levels: dict[int, list[ScaleLevel]] = defaultdict(list)
    for level in ScaleLevel.objects.filter(scale__framework=evaluation.framework):
        levels[level.scale_id].append(level)
    form = StageForm(
        request.POST or None, initial=initial, framework=evaluation.framework, levels=levels, answers=answers
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = record_stage(evaluation, stage, form.entries(), request.user)  # type: ignore[arg-type]
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(n)s nilai tahap tersimpan.") % {"n": changed})
            return redirect("assessment:stage-record", pk=pk, stage=stage)
    context = {
        "evaluation": evaluation,
        "stage": stage,
        "stage_label": dict(Stage.choices)[stage],
        "stages": [(s, dict(Stage.choices)[s]) for s in OFFICIAL_STAGES],
        "rows": [(answer, carried[answer.pk], value, note) for answer, value, note in form.rows()],
        "form": form,
        "has_items": EvidenceItem.objects.filter(level__indicator__framework_id=evaluation.framework_id).exists(),
    }
    return render(request, "assessment/stage_record.html", context)


@require_http_methods(["GET", "POST"])
def stage_item_record(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """An official stage's finding per evidence item of one answer (frameworks with items)."""
    member = require_capability(request, "record_stages")
    answer = answer_for(member, pk)  # for an assessor: an assigned evaluation in force, else 404
    if stage not in OFFICIAL_STAGES:
        raise Http404
    items = stage_items(answer)
    notes = StageItemNote.objects.filter(answer_item__answer=answer, stage=stage).select_related("answer_item")
    initial = {}
    for note in notes:
        initial[f"verdict-{note.answer_item.item_id}"] = note.verdict
        initial[f"note-{note.answer_item.item_id}"] = note.note
    form = StageItemsForm(request.POST or None, initial=initial, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            changed = record_item_notes(answer, stage, form.entries(), request.user, items)  # type: ignore[arg-type]
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(n)s temuan butir tersimpan.") % {"n": changed})
            return redirect("assessment:stage-item-record", pk=pk, stage=stage)
    context = {
        "answer": answer,
        "evaluation": answer.evaluation,
        "stage": stage,
        "stage_label": dict(Stage.choices)[stage],
        "form": form,
    }
    return render(request, "assessment/stage_item_record.html", context)
