"""Diskominfo's review: a queue across OPDs, and a decision page per submitted answer."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment.access import answer_for, answers_for, capabilities, require_capability
from assessment.filters import ReviewQueueFilter
from assessment.forms.answers import DecisionForm, EvidenceDecisionForm, comma
from assessment.models import (
    Answer,
    AnswerEvidence,
    Decision,
    EvaluationStatus,
    Framework,
    RevisionType,
    ScaleLevel,
    Stage,
    ValueKind,
)
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError
from assessment.services.index_figures import index_view
from assessment.services.items import ItemSummary, proposed_value
from assessment.services.items import summary as item_summary


def queue(request: HttpRequest) -> HttpResponse:
    """Submitted answers of the reviewer's instansi, oldest first, filterable."""
    member = require_capability(request, "follow_reviews")
    answers = answers_for(member).filter(evaluation__status=EvaluationStatus.OPEN)
    filters = ReviewQueueFilter(request.GET, answers, member=member)
    answers = filters.qs.select_related("indicator__group__parent", "lead_opd", "evaluation").order_by(
        "submitted_at", "indicator__number"
    )
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "now": timezone.now(),
        "form": filters.form,
        # The Sekda follows the queue but does not decide: the link opens the answer, not the review form.
        "can_review": capabilities(request).review,
    }
    return render(request, "assessment/review_queue.html", context)


def _initial(framework: Framework, claimed: Decimal | Fraction | None) -> Decimal | Fraction | str:
    """The claim as the verified value's starting point: a level's choice key, or the decimal itself."""
    if claimed is None:
        return ""
    if framework.value_kind == ValueKind.DECIMAL or isinstance(claimed, Fraction):
        return claimed
    return str(claimed.normalize())


def _outside_band(answer: Answer, items: ItemSummary, data: dict[str, Any]) -> str | None:
    """With items, an approved value must lie in the band of the level the accepted items support."""
    value = data.get("verified_value")
    if not items.has_items or data.get("decision") != Decision.APPROVED or value is None:
        return None
    level = max(items.supported, 1)  # nothing accepted yet: the lowest level
    band = ScaleLevel.objects.filter(scale=answer.indicator.scale, level=level).first()
    if band is None or band.lower is None or band.upper is None:
        return None
    if band.lower <= value and (value <= band.upper if band.upper_inclusive else value < band.upper):
        return None
    places = answer.evaluation.framework.value_places
    message = _(
        "Nilai harus di dalam rentang tingkat %(level)s yang didukung butir diterima (%(low)s sampai %(high)s)."
    )
    return message % {"level": level, "low": comma(band.lower, places), "high": comma(band.upper, places)}


@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "review")
    answer = answer_for(member, pk)
    levels = list(answer.indicator.scale.levels.all())
    framework = answer.evaluation.framework
    claimed = workflow.self_value(answer)
    items = item_summary(answer)
    # With items, the page proposes the lower edge of the level the accepted items support; the
    # reviewer sets the exact value inside that band (the framework's value rule).
    proposed = proposed_value(answer, items.supported) if items.has_items and items.supported else None
    form = DecisionForm(
        request.POST or None,
        initial={"version": answer.version, "verified_value": proposed or _initial(framework, claimed)},
        framework=framework,
        levels=levels,
    )
    if request.method == "POST" and form.is_valid():
        outside = _outside_band(answer, items, form.cleaned_data)
        if outside:
            form.add_error("verified_value", outside)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.decide(
                answer, request.user,  # type: ignore[arg-type]
                decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
                verified_value=form.cleaned_data["verified_value"], seen_version=form.cleaned_data["version"],
            )  # fmt: skip
        except workflow.StaleEditError:
            form.add_error(
                None,
                _("Jawaban telah berubah sejak halaman ini dibuka. Periksa versi terbaru; catatan Anda tetap ada."),
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            approved = form.cleaned_data["decision"] == Decision.APPROVED
            messages.success(request, _("Jawaban disetujui.") if approved else _("Jawaban dikembalikan ke OPD."))
            return redirect("assessment:review-queue")
    stage_rows = list(answer.stage_values.all())
    links = (
        AnswerEvidence.objects.filter(answer=answer).select_related("evidence").prefetch_related("evidence__versions")
    )
    context = {
        "answer": answer,
        "form": form,
        "claimed": claimed,
        "claimed_source": next((sv.source_value for sv in stage_rows if sv.stage == Stage.MANDIRI), None),
        "scale_levels": {lv.level: lv.name for lv in levels},
        "criteria": list(answer.indicator.levels.all()),
        # Each control starts at the decision already taken, or at none while the evidence is unchecked.
        "links": [
            (
                link,
                EvidenceDecisionForm(
                    prefix=f"e{link.pk}", initial={"status": "" if link.status == "pending" else link.status}
                ),
            )
            for link in links
        ],
        "reviews": answer.reviews.select_related("reviewer"),
        "stage_values": {sv.stage: sv.value for sv in stage_rows},
        "verifikasi": Stage.VERIFIKASI,
        "items": items,
        "index_ref": index_view(answer),
        "proposed": proposed,
        "revision_types": [(RevisionType.WRONG, RevisionType.WRONG.label),
                           (RevisionType.MISSING, RevisionType.MISSING.label)],
    }  # fmt: skip
    return render(request, "assessment/review_page.html", context)


@require_POST
def evidence_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject one piece of evidence attached to an answer, with a comment."""
    member = require_capability(request, "review")
    link = AnswerEvidence.objects.filter(pk=pk).values_list("answer_id", flat=True).first()
    answer = answer_for(member, link if link is not None else 0)
    form = EvidenceDecisionForm(request.POST, prefix=f"e{pk}")
    if form.is_valid():
        try:
            workflow.review_evidence(
                AnswerEvidence.objects.get(pk=pk), request.user,  # type: ignore[arg-type]
                status=form.cleaned_data["status"], comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Keputusan atas bukti dukung tersimpan."))
    else:
        messages.error(request, _("Pilih terima atau tolak."))
    return redirect("assessment:review", pk=answer.pk)
