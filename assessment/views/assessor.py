"""The external assessor's start page: the evaluations assigned to them now, and their stages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessment.access import assignments_in_force, require_membership
from assessment.models import Role, Stage
from assessment.services.stages import OFFICIAL_STAGES


@require_safe
def assessor_home(request: HttpRequest) -> HttpResponse:
    member = require_membership(request, Role.ASESOR)
    assignments = assignments_in_force(member.user_id).select_related("evaluation__instansi", "evaluation__framework")
    stages = [(s, dict(Stage.choices)[s]) for s in OFFICIAL_STAGES]
    return render(request, "assessment/assessor_home.html", {"assignments": assignments, "stages": stages})
