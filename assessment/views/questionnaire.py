"""The Excel questionnaire import: upload, preview, apply (assessment/questionnaire.py has the rules)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessment import questionnaire
from assessment.access import capabilities, evaluation_for, refuse_unless, require_membership
from assessment.models import Evaluation, Membership


class UploadForm(forms.Form):
    workbook = forms.FileField(label=gettext_lazy("Lembar kerja (.xlsx)"))


def _session_key(evaluation: Evaluation) -> str:
    return f"questionnaire-import-{evaluation.pk}"


def _scope(request: HttpRequest, pk: int) -> tuple[Membership, Evaluation]:
    member = require_membership(request)
    evaluation = evaluation_for(member, pk)  # 404 for an evaluation out of scope
    refuse_unless(capabilities(request).answer)  # 403: answers are written by OPD staff only, as on the pages
    return member, evaluation


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    member, evaluation = _scope(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"evaluation": evaluation, "form": form, "plan": None, "refused": None,
               "locked": questionnaire.lock_reason(evaluation)}  # fmt: skip
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        try:
            data = upload.read(questionnaire.MAX_BYTES + 1)
            plan = questionnaire.read_plan(evaluation, member, data)
        except questionnaire.ImportRefused as error:
            context["refused"] = str(error)
        else:
            context["plan"] = plan
            request.session[_session_key(evaluation)] = plan.to_session() if plan.can_apply else []
    return render(request, "assessment/questionnaire_import.html", context)


@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    member, evaluation = _scope(request, pk)
    changes = request.session.pop(_session_key(evaluation), None)
    if not changes:
        messages.error(request, _("Tidak ada pratinjau untuk diterapkan; unggah berkasnya lagi."))
        return redirect("exchange:import", pk=pk)
    try:
        count = questionnaire.apply_plan(evaluation, member, request.user, changes)  # type: ignore[arg-type]
    except (questionnaire.ImportConflict, questionnaire.ImportRefused) as error:
        messages.error(request, _("Tidak ada yang disimpan: %(reason)s") % {"reason": error})
        return redirect("exchange:import", pk=pk)
    messages.success(
        request, _("%(n)s jawaban disimpan sebagai draf. Periksa lalu ajukan dari halaman Penilaian.") % {"n": count}
    )
    return redirect("assessment:worklist")
