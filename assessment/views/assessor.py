"""The external assessor's start page, and the provincial coordinator's assignment page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import (
    assignment_for,
    assignments_in_force,
    coordinated_evaluations,
    membership,
    require_capability,
)
from assessment.forms.assessors import AssignForm
from assessment.models import AssessorAssignment, Stage
from assessment.services import assessors
from assessment.services.evaluations import WorkflowError
from assessment.services.stages import OFFICIAL_STAGES


@require_safe
def assessor_home(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "assess")
    assignments = assignments_in_force(member.user_id).select_related("evaluation__instansi", "evaluation__framework")
    stages = [(s, dict(Stage.choices)[s]) for s in OFFICIAL_STAGES]
    return render(request, "assessment/assessor_home.html", {"assignments": assignments, "stages": stages})


@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    """The provincial coordinator assigns assessors to its kabupaten's evaluations."""
    member = require_capability(request, "assign_assessors")
    evaluations = coordinated_evaluations(member)
    form = AssignForm(request.POST or None, evaluations=evaluations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessors.assign(request.user, data["assessor"], data["evaluation"], data["starts_on"], data["ends_on"])  # type: ignore[arg-type]
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Asesor ditugaskan."))
            return redirect("assessment:assessor-assignments")
    rows = (
        AssessorAssignment.objects.filter(evaluation__in=evaluations.values("pk"))
        .select_related("assessor", "evaluation__instansi", "assigned_by")
        .order_by("-ends_on", "pk")
    )
    context = {"form": form, "rows": rows, "today": timezone.localdate()}
    return render(request, "assessment/manage/assessor_assignments.html", context)


@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    row = assignment_for(membership(request), pk)
    assessors.end_now(request.user, row)  # type: ignore[arg-type]
    messages.success(request, _("Penugasan diakhiri; asesor tidak lagi dapat membuka evaluasi ini."))
    return redirect("assessment:assessor-assignments")
