"""The admin's evaluation pages: periods, their deadline and predicate basis, reopening, assignments.

`require_capability(request, "administer")` comes first: `evaluation_for` alone would also let the
instansi's other roles in, and these pages are the admin's.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessment.access import evaluation_for, require_capability
from assessment.forms.manage import AssignmentForm, EvaluationCreateForm, EvaluationEditForm, ReopenForm
from assessment.models import AnswerStatus, Evaluation, Opd
from assessment.services import manage
from assessment.services.evaluations import WorkflowError, reopen
from assessment.services.manage import ManageError


@require_http_methods(["GET", "POST"])
def evaluations(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "administer")
    form = EvaluationCreateForm(request.POST if request.method == "POST" else None, instansi=member.instansi)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = manage.open_evaluation(
                member.instansi,
                year=data["year"],
                framework=data["framework"],
                deadline=data["deadline"],
                predicate_basis=data["predicate_basis"],
                carry_over_by=request.user if data["carry_over"] else None,  # type: ignore[arg-type]
            )
        except ManageError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Evaluasi %(year)s dibuka.") % {"year": created.year})
            return redirect("assessment:manage-evaluation", pk=created.pk)
    items = (
        Evaluation.objects.filter(instansi=member.instansi)
        .select_related("framework")
        .annotate(
            total=Count("answers"),
            unassigned=Count("answers", filter=Q(answers__lead_opd__isnull=True)),
            approved=Count("answers", filter=Q(answers__status=AnswerStatus.APPROVED)),
        )
        .order_by("-year")
    )
    return render(request, "assessment/manage/evaluation_list.html", {"form": form, "items": items})


@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "administer")
    evaluation = evaluation_for(member, pk)
    form = EvaluationEditForm(request.POST if request.method == "POST" else None, evaluation=evaluation)
    if form.is_valid():
        try:
            changed = manage.update_evaluation(
                evaluation, deadline=form.cleaned_data["deadline"], predicate_basis=form.cleaned_data["predicate_basis"]
            )
        except ManageError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Perubahan disimpan.") if changed else _("Tidak ada yang berubah."))
            return redirect("assessment:manage-evaluation", pk=evaluation.pk)
    history = evaluation.history.select_related("history_user").order_by("-history_date")[:20]
    context = {"form": form, "evaluation": evaluation, "reopen_form": ReopenForm(), "history": history}
    return render(request, "assessment/manage/evaluation_edit.html", context)


@require_POST
def evaluation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "administer")
    evaluation = evaluation_for(member, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for error in form["reason"].errors:
            messages.error(request, str(error))
        return redirect("assessment:manage-evaluation", pk=evaluation.pk)
    try:
        reopen(evaluation, member.user, form.cleaned_data["reason"])
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evaluasi %(year)s dibuka kembali.") % {"year": evaluation.year})
    return redirect("assessment:manage-evaluation", pk=evaluation.pk)


@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "administer")
    evaluation = evaluation_for(member, pk)
    answers = list(
        evaluation.answers.select_related("indicator__group")
        .prefetch_related("contributors")
        .order_by("indicator__number")
    )
    opds = list(Opd.objects.filter(instansi=member.instansi))
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        answers=answers,
        opds=opds,
        locked=evaluation.is_finalised,
    )
    if form.is_valid():
        try:
            saved = manage.save_assignments(evaluation, form.changes())
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext("%(count)s penugasan disimpan.", "%(count)s penugasan disimpan.", saved) % {"count": saved}
                if saved
                else _("Tidak ada penugasan yang berubah."),
            )
            return redirect("assessment:manage-assignments", pk=evaluation.pk)
    context = {"form": form, "evaluation": evaluation, "has_opds": bool(opds)}
    return render(request, "assessment/manage/assignments.html", context)


@require_POST
def assignment_defaults(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "administer")
    evaluation = evaluation_for(member, pk)
    try:
        assigned = manage.apply_default_assignments(evaluation)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        if assigned:
            messages.success(
                request,
                ngettext(
                    "%(count)s indikator ditugaskan ke OPD bawaannya.",
                    "%(count)s indikator ditugaskan ke OPD bawaannya.",
                    assigned,
                )
                % {"count": assigned},
            )
        else:
            messages.info(request, _("Tidak ada indikator belum bertugas yang punya OPD bawaan di instansi ini."))
    return redirect("assessment:manage-assignments", pk=evaluation.pk)
