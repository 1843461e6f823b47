"""The indicator page: OPD staff read the criteria, choose a level, explain, attach evidence, submit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import answer_for, is_answerer, membership
from assessment.catalog import external_points
from assessment.conversion import ConversionError, convert, level_of
from assessment.forms.answers import AnswerForm, band_of, comma, span
from assessment.models import Answer, CarryOverSuggestion, Framework, Role, ScaleLevel, Stage, StageValue, ValueKind
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError
from assessment.services.timeline import timeline
from spbe_portal.http import HtmxHttpRequest
from spbe_portal.numbers import parse_int


def _levels(answer: Answer) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(scale_id=answer.indicator.scale_id))


def _figure(framework: Framework, value: Decimal) -> str:
    return comma(value, framework.value_places) if framework.value_kind == ValueKind.DECIMAL else str(value.normalize())


def _initial_value(framework: Framework, levels: list[ScaleLevel], claimed: StageValue | None) -> dict[str, Any]:
    if claimed is None:
        return {}
    if framework.value_kind == ValueKind.LEVEL:
        return {"value": str(claimed.value.normalize())}
    bands = [b for lv in levels if (b := band_of(lv, framework.value_places))]
    return {"value": claimed.value, "level": level_of(bands, claimed.value), "source_value": claimed.source_value,
            "source_missing": claimed.source_value is None}  # fmt: skip


def _conversion(answer: Answer, claimed: StageValue | None) -> dict[str, Any] | None:
    """The stored figure's conversion, to show it: None unless the indicator is externally fed."""
    points = external_points(answer.indicator.extra)
    if not points:
        return None
    feed = answer.indicator.extra["external"]
    places = answer.evaluation.framework.value_places
    table = [(comma(x, places), comma(y, places)) for x, y in points]
    result: dict[str, Any] = {"feed": feed, "table": table, "source": None}
    if claimed is not None and claimed.source_value is not None:
        try:
            done = convert(points, claimed.source_value, places)
        except ConversionError:
            return result
        x0, x1, y0, y1 = done.segment
        result.update(
            source=comma(done.source, places),
            value=comma(done.value, places),
            segment=f"{span(x0, x1, places)} → {span(y0, y1, places)}",
        )
    elif claimed is not None:
        result["missing"] = comma(claimed.value, places)
    return result


def _page(request: HttpRequest, answer: Answer, *, form: AnswerForm | None = None, conflict: Answer | None = None,
          status: int = 200) -> HttpResponse:  # fmt: skip
    member = membership(request)
    levels = _levels(answer)
    values = {sv.stage: sv for sv in answer.stage_values.all()}
    claimed = values.get(Stage.MANDIRI)
    blocker = workflow.edit_blocker(answer)
    can_edit = is_answerer(member, answer) and blocker is None
    framework = answer.evaluation.framework
    if form is None:
        form = AnswerForm(
            initial={"explanation": answer.explanation, "version": answer.version, **_initial_value(framework,
                     levels, claimed)},
            framework=framework, levels=levels, indicator=answer.indicator,
        )  # fmt: skip
    context: dict[str, Any] = {
        "answer": answer,
        "indicator": answer.indicator,
        "criteria": list(answer.indicator.levels.all()),
        "scale_levels": {lv.level: lv.name for lv in levels},
        "stage_values": [(label, values.get(stage)) for stage, label in Stage.choices if stage in values],
        "claimed_level": claimed.value if claimed else None,
        "claimed_text": _figure(framework, claimed.value) if claimed else None,
        "conversion": _conversion(answer, claimed),
        "suggestion": CarryOverSuggestion.objects.filter(answer=answer)
        .select_related("source_evaluation__framework")
        .first(),
        "form": form,
        "can_edit": can_edit,
        "is_answerer": is_answerer(member, answer),
        "blocker": blocker,
        "conflict": conflict,
        "latest_review": answer.reviews.select_related("reviewer").first(),
        "events": timeline(answer),
        "today": timezone.localdate(),
        "can_review": member is not None and member.role in {Role.VERIFIKATOR, Role.ADMIN},
    }
    return render(request, "assessment/answer_page.html", context, status=status)


@require_GET
def answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, answer_for(request, pk))


@require_POST
def save_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save a draft, and submit it when the "Ajukan" button was pressed.

    Autosave (htmx) gets a status fragment; a plain POST redirects back to the page, or
    re-renders it with the user's text when there is an error or a conflict.
    """
    answer = answer_for(request, pk)
    if not is_answerer(membership(request), answer):
        raise PermissionDenied
    form = AnswerForm(
        request.POST, framework=answer.evaluation.framework, levels=_levels(answer), indicator=answer.indicator
    )
    fragment = "assessment/_save_status.html"
    if not form.is_valid():
        if request.htmx:
            return render(request, fragment, {"errors": form.errors})
        return _page(request, answer, form=form)
    seen = form.cleaned_data["version"]
    overwrite = parse_int(request.POST.get("overwrite_version"))
    if request.POST.get("overwrite") and overwrite is not None:
        seen = overwrite  # the user chose to save over the other change
    try:
        saved = workflow.save_draft(
            answer, request.user,  # type: ignore[arg-type]
            value=form.cleaned_data["value"], explanation=form.cleaned_data["explanation"], seen_version=seen,
            source_value=form.cleaned_data.get("source_value"),
        )  # fmt: skip
    except workflow.StaleEditError as stale:
        current = stale.current
        context = {"conflict": current, "conflict_value": workflow.self_value(current)}
        if request.htmx:
            return render(request, fragment, context)
        return _page(request, answer_for(request, pk), form=form, conflict=current, status=409)
    except WorkflowError as error:
        if request.htmx:
            return render(request, fragment, {"blocked": str(error)})
        messages.error(request, str(error))
        return _page(request, answer, form=form)
    if request.htmx:
        converted = form.cleaned_data.get("source_value") is not None or form.cleaned_data.get("source_missing")
        value = form.cleaned_data["value"]
        shown = _figure(answer.evaluation.framework, value) if converted and value is not None else ""
        return render(request, fragment, {"saved": saved, "converted": shown})
    if request.POST.get("action") != "submit":
        messages.success(request, _("Jawaban tersimpan."))
        return redirect("assessment:answer", pk=pk)
    try:
        workflow.submit(saved, request.user, seen_version=saved.version)  # type: ignore[arg-type]
    except WorkflowError as error:
        messages.error(request, _("Jawaban tersimpan, tetapi belum dapat diajukan: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("Jawaban diajukan ke verifikator."))
    return redirect("assessment:answer", pk=pk)
