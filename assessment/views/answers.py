"""The indicator page: OPD staff read the criteria, choose a level, explain, attach evidence, submit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import answer_for, answer_to_write, capabilities, is_answerer, membership
from assessment.catalog import external_points
from assessment.conversion import ConversionError, convert, level_of, round_half_up
from assessment.forms.answers import AnswerForm, band_of, comma, span
from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerStatus,
    CarryOverSuggestion,
    Framework,
    ScaleLevel,
    Stage,
    StageValue,
    ValueKind,
)
from assessment.services import answers as workflow
from assessment.services.evaluations import WorkflowError
from assessment.services.index_figures import index_view
from assessment.services.items import summary as item_summary
from assessment.services.timeline import timeline
from spbe_portal.http import HtmxHttpRequest
from spbe_portal.numbers import parse_int


def _levels(answer: Answer) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(scale_id=answer.indicator.scale_id))


def _figure(framework: Framework, value: Decimal | Fraction) -> str:
    if isinstance(value, Fraction):  # an exact value finer than the places: shown rounded half-up
        return comma(round_half_up(value, framework.value_places), framework.value_places)
    return comma(value, framework.value_places) if framework.value_kind == ValueKind.DECIMAL else str(value.normalize())


def _initial_value(framework: Framework, levels: list[ScaleLevel], claimed: StageValue | None) -> dict[str, Any]:
    if claimed is None:
        return {}
    if framework.value_kind == ValueKind.LEVEL:
        return {"value": str(claimed.value.normalize())}
    bands = [b for lv in levels if (b := band_of(lv))]
    return {"value": claimed.number, "level": level_of(bands, claimed.number), "source_value": claimed.source_value,
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


@dataclass(frozen=True)
class Suggestion:
    """The carry-over note, saying only what is true of the answer now."""

    row: CarryOverSuggestion
    evidence: int  # old evidence still attached to this answer
    copied: bool  # the old explanations are still in the draft text


def _suggestion(answer: Answer) -> Suggestion | None:
    """The carry-over note while the answer is being drafted; gone once it is submitted or approved."""
    if answer.status not in workflow.EDITABLE:
        return None
    row = CarryOverSuggestion.objects.filter(answer=answer).select_related("source_evaluation__framework").first()
    if row is None:
        return None
    evidence = (
        AnswerEvidence.objects.filter(answer=answer, evidence__links__answer__evaluation=row.source_evaluation_id)
        .values("evidence_id")
        .distinct()
        .count()
    )
    return Suggestion(row, evidence, bool(row.notes.strip()) and row.notes in answer.explanation)


def _page(request: HttpRequest, answer: Answer, *, form: AnswerForm | None = None, conflict: Answer | None = None,
          refused: str | None = None, withdraw_reason: str = "", status: int = 200) -> HttpResponse:  # fmt: skip
    """The indicator page; after a refused save, `form` holds the user's text and `refused` says why.

    The user's text is always drawn: in the form when they may still edit, read-only (selectable)
    otherwise, so a refusal never loses what they typed.
    """
    member = membership(request)
    levels = _levels(answer)
    values = {sv.stage: sv for sv in answer.stage_values.all()}
    claimed = values.get(Stage.MANDIRI)
    blocker = workflow.edit_blocker(answer)
    answerer = is_answerer(member, answer)
    can_edit = answerer and blocker is None
    framework = answer.evaluation.framework
    confirmed = form is None  # the page shows what the server holds, not a refused submission
    if form is None or not can_edit:
        if form is not None and form.data:  # refused and no longer editable: keep the typed text to show
            refused_text = str(form.data.get("explanation", ""))
            refused_value = str(form.data.get("value", ""))
        else:
            refused_text = refused_value = ""
        form = AnswerForm(
            initial={"explanation": answer.explanation, "version": answer.version, **_initial_value(framework,
                     levels, claimed)},
            framework=framework, levels=levels, indicator=answer.indicator,
        )  # fmt: skip
    else:
        refused_text = refused_value = ""
    context: dict[str, Any] = {
        "answer": answer,
        "indicator": answer.indicator,
        "criteria": list(answer.indicator.levels.prefetch_related("items")),
        "scale_levels": {lv.level: lv.name for lv in levels},
        "stage_values": [(label, values.get(stage)) for stage, label in Stage.choices if stage in values],
        "claimed_level": claimed.value if claimed else None,
        # An exact value finer than the places is shown rounded, with the fraction kept: 1,17 (7/6).
        "claimed_text": (_figure(framework, claimed.value) + (f" ({claimed.exact})" if claimed.exact else ""))
        if claimed
        else None,
        "conversion": _conversion(answer, claimed),
        "suggestion": _suggestion(answer),
        "form": form,
        "confirmed": confirmed,
        "can_edit": can_edit,
        "is_answerer": answerer,
        "can_withdraw": answerer and answer.status == AnswerStatus.APPROVED and workflow.period_blocker(answer) is None,
        "withdraw_reason": withdraw_reason,
        "blocker": blocker,
        "conflict": conflict,
        "conflict_value": _figure(framework, v)
        if conflict and (v := workflow.self_value(conflict)) is not None
        else None,
        "refused": refused,
        "refused_text": refused_text,
        "refused_value": refused_value,
        "latest_review": answer.reviews.select_related("reviewer").first(),
        "events": timeline(answer),
        "today": timezone.localdate(),
        "can_review": capabilities(request).review,
        "items": item_summary(answer),
        "index_ref": index_view(answer),
        "item_files": [link.evidence for link in answer.evidence_links.select_related("evidence")],
    }
    return render(request, "assessment/answer_page.html", context, status=status)


@require_GET
def answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, answer_for(membership(request), pk))


@require_POST
def save_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Autosave (htmx), "Simpan draf", "Ajukan ke verifikator" and the explicit overwrite.

    Autosave gets a status fragment and never overwrites anything. A plain POST redirects back to
    the page, or re-renders it (409 on a conflict or a lock) with the user's text and the reason.
    """
    member = membership(request)
    answer = answer_to_write(member, pk)
    form = AnswerForm(
        request.POST, framework=answer.evaluation.framework, levels=_levels(answer), indicator=answer.indicator
    )
    fragment = "assessment/_save_status.html"
    if not form.is_valid():
        if request.htmx:
            return render(request, fragment, {"errors": form.errors})
        return _page(request, answer, form=form, refused=_("Periksa isian yang ditandai; teks Anda belum disimpan."))
    action = request.POST.get("action", "")
    seen = form.cleaned_data["version"]
    overwrite = parse_int(request.POST.get("overwrite_version"))
    if not request.htmx and action == "overwrite" and overwrite is not None:
        seen = overwrite  # the user saw the other text (at that version) and chose to replace it
    data = form.cleaned_data
    fields = {"value": data["value"], "explanation": data["explanation"], "seen_version": seen,
              "source_value": data.get("source_value")}  # fmt: skip
    user = request.user
    try:
        if action == "submit" and not request.htmx:
            outcome = workflow.save_and_submit(answer, user, **fields)  # type: ignore[arg-type]
            saved = outcome.answer
        else:
            saved = workflow.save_draft(answer, user, **fields)  # type: ignore[arg-type]
    except workflow.StaleEditError as stale:
        current = stale.current
        if request.htmx:
            return render(request, fragment, {"conflict": current, "conflict_value": workflow.self_value(current)})
        reason = _("Tidak tersimpan: jawaban ini telah diubah orang lain sejak Anda membukanya.")
        return _page(request, answer_for(member, pk), form=form, conflict=current, refused=reason, status=409)
    except WorkflowError as error:
        if request.htmx:
            return render(request, fragment, {"blocked": str(error), "current": answer_for(member, pk)})
        return _page(request, answer_for(member, pk), form=form, refused=str(error), status=409)
    if request.htmx:
        converted = data.get("source_value") is not None or data.get("source_missing")
        value = data["value"]
        shown = _figure(answer.evaluation.framework, value) if converted and value is not None else ""
        return render(request, fragment, {"saved": saved, "converted": shown})
    if action != "submit":
        messages.success(request, _("Jawaban tersimpan."))
    elif outcome.refused:
        messages.error(
            request, _("Jawaban tersimpan, tetapi belum dapat diajukan: %(reason)s") % {"reason": outcome.refused}
        )
    else:
        messages.success(request, _("Jawaban diajukan ke verifikator."))
    return redirect("assessment:answer", pk=pk)


@require_POST
def withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Ubah jawaban yang sudah disetujui": withdraw the approval with a reason, then edit."""
    member = membership(request)
    answer = answer_to_write(member, pk)
    reason = request.POST.get("reason", "")
    version = parse_int(request.POST.get("version"))
    seen = -1 if version is None else version
    try:
        workflow.withdraw_approval(answer, request.user, reason=reason, seen_version=seen)  # type: ignore[arg-type]
    except workflow.StaleEditError:
        refused = _("Jawaban ini telah berubah sejak Anda membukanya; periksa statusnya sekarang lalu coba lagi.")
        return _page(request, answer_for(member, pk), refused=refused, withdraw_reason=reason, status=409)
    except WorkflowError as error:
        return _page(request, answer_for(member, pk), refused=str(error), withdraw_reason=reason, status=409)
    messages.success(request, _("Persetujuan ditarik; jawaban kembali menjadi draf dan verifikator sudah diberi tahu."))
    return redirect("assessment:answer", pk=pk)
