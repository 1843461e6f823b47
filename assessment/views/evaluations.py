"""The worklist (what is waiting for me) and finalisation by the Sekretaris Daerah."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import (
    answers_for,
    capabilities,
    evaluation_for,
    own_evaluations,
    require_capability,
    require_membership,
)
from assessment.models import EvaluationStatus, Stage, StageValue
from assessment.services.evaluations import WorkflowError, finalise
from assessment.services.items import ItemCounts, item_counts


@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    member = require_membership(request)
    evaluations = list(own_evaluations(member).filter(status=EvaluationStatus.OPEN).order_by("-year"))
    counts = {
        (row["evaluation_id"], row["status"]): row["n"]
        for row in answers_for(member)
        .filter(evaluation__in=evaluations)
        .values("evaluation_id", "status")
        .annotate(n=Count("pk"))
    }
    cards = [
        (evaluation, {s: counts.get((evaluation.pk, s), 0) for s in ("draft", "submitted", "returned", "approved")})
        for evaluation in evaluations
    ]
    answers = []
    if capabilities(request).answer:
        answers = list(
            answers_for(member)
            .filter(evaluation__in=evaluations)
            .select_related("indicator", "evaluation__framework", "lead_opd")
            .prefetch_related(
                Prefetch("stage_values", StageValue.objects.filter(stage=Stage.MANDIRI), to_attr="claims")
            )
            .order_by("evaluation__year", "indicator__number")
        )
    # Evidence items (Pemdi 2026.2): counted per answer and summed per evaluation.
    scoped = list(answers_for(member).filter(evaluation__in=evaluations).only("pk", "evaluation_id", "indicator_id"))
    per_answer = item_counts(scoped)
    per_evaluation: dict[int, ItemCounts] = {}
    for item in scoped:
        if item.pk in per_answer:
            per_evaluation.setdefault(item.evaluation_id, ItemCounts()).add(per_answer[item.pk])
    for answer in answers:
        answer.item_counts = per_answer.get(answer.pk)  # type: ignore[attr-defined]
    for evaluation in evaluations:
        evaluation.item_totals = per_evaluation.get(evaluation.pk)  # type: ignore[attr-defined]
    # With work in more than one open evaluation, each row says which year and framework it is.
    several = len({answer.evaluation_id for answer in answers}) > 1
    context = {"member": member, "cards": cards, "answers": answers, "several": several, "now": timezone.now()}
    return render(request, "assessment/worklist.html", context)


@require_POST
def finalise_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "finalise")
    evaluation = evaluation_for(member, pk)
    try:
        finalise(evaluation, request.user)  # type: ignore[arg-type]
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Penilaian mandiri %(year)s telah difinalkan dan dikunci.") % {"year": evaluation.year}
        )
    return redirect("scoring:evaluation", pk=pk)
