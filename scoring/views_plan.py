"""The what-if simulator, the improvement plan and the follow-up items (thin views)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import evaluation_for, membership, require_membership
from assessment.models import Evaluation, Role
from scoring import engine
from scoring.forms import CarryOverForm, FollowUpCreateForm, FollowUpStatusForm, ScenarioForm
from scoring.models import FollowUpStatus, Scenario
from scoring.services import engine_framework
from scoring.services_plan import (
    PLANNERS,
    PlanStep,
    carry_over_choices,
    carry_over_followups,
    create_followups,
    followup_for,
    followups_for,
    latest_values,
    may_edit_followup,
    plan_summary,
    save_scenario,
    scenario_for,
    set_followup_status,
)
from scoring.simulator import from_units, simulator_data, to_units
from spbe_portal.numbers import parse_int


def _planner(request: HttpRequest) -> bool:
    member = membership(request)
    return member is not None and member.role in PLANNERS


@require_GET
def simulator(request: HttpRequest, pk: int) -> HttpResponse:
    """Every indicator's level with a hypothetical choice; simulator.js recomputes the index."""
    evaluation = evaluation_for(request, pk)
    current = latest_values(evaluation)
    scenario = scenario_for(evaluation, request.GET.get("skenario"))
    start = scenario.levels if scenario else current
    data, rows, groups = simulator_data(evaluation, current, start)
    spec = engine_framework(evaluation.framework)
    places = evaluation.framework.value_places
    initial = {key: Decimal(units).scaleb(-places) for key, units in data["start"].items()}
    result = engine.score(spec, initial, engine.PredicateBasis(evaluation.predicate_basis))
    context = {
        "evaluation": evaluation,
        "data": data,
        "rows": rows,
        "group_rows": [(g, result.groups.get(g.code)) for g in groups],
        "result": result,
        "scenario": scenario,
        "scenarios": Scenario.objects.filter(evaluation=evaluation).select_related("created_by"),
        "can_save": _planner(request),
        "form": ScenarioForm(initial={"name": scenario.name if scenario else ""}),
    }
    return render(request, "scoring/simulator.html", context)


@require_POST
def scenario_save(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request, pk)
    if not _planner(request):
        raise PermissionDenied
    back = reverse("scoring:simulator", args=[evaluation.pk])
    form = ScenarioForm(request.POST)
    levels = _posted_levels(request, evaluation)
    if not form.is_valid() or levels is None:
        messages.error(request, _("Skenario tidak disimpan: isi nama skenario dan pilih tingkat yang sah."))
        return redirect(back)
    scenario = save_scenario(evaluation, form.cleaned_data["name"], levels, request.user)  # type: ignore[arg-type]
    messages.success(request, _("Skenario “%(name)s” disimpan.") % {"name": scenario.name})
    return HttpResponseRedirect(f"{back}?{urlencode({'skenario': scenario.pk})}")


def _posted_levels(request: HttpRequest, evaluation: Evaluation) -> dict[str, int | str] | None:
    """The simulator's selects ("i<number>": value in units), validated against the framework."""
    spec = engine_framework(evaluation.framework)
    places = spec.value_places
    lowest, highest = to_units(spec.value_min, places), to_units(spec.value_max, places)
    levels: dict[str, int | str] = {}
    for key in spec.keys:
        raw = request.POST.get(f"i{key}", "").strip()
        if not raw:
            continue
        units = parse_int(raw, low=lowest, high=highest)
        if units is None:
            return None
        levels[key] = from_units(units, places)
    return levels


def _plan_context(request: HttpRequest, evaluation: Evaluation, raw_target: str | None) -> dict[str, object]:
    return plan_summary(evaluation, raw_target)


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-level steps that reach a target predikat or figure, heaviest first."""
    evaluation = evaluation_for(request, pk)
    context = _plan_context(request, evaluation, request.GET.get("target"))
    context["can_follow_up"] = _planner(request)
    context["form"] = FollowUpCreateForm(keys=[], initial={"target": context["target_raw"]})
    return render(request, "scoring/plan.html", context)


@require_POST
def plan_followups(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the selected steps of the plan into follow-up items (Sekda, admin, verifikator)."""
    evaluation = evaluation_for(request, pk)
    if not _planner(request):
        raise PermissionDenied
    context = _plan_context(request, evaluation, request.POST.get("target"))
    steps: list[PlanStep] = context["steps"]  # type: ignore[assignment]
    form = FollowUpCreateForm(request.POST, keys=[s.step.key for s in steps])
    if not form.is_valid():
        messages.error(request, _("Tindak lanjut tidak dibuat: pilih sedikitnya satu langkah dari rencana."))
        return HttpResponseRedirect(
            f"{reverse('scoring:plan', args=[evaluation.pk])}?{urlencode({'target': form.data.get('target', '')})}"
        )
    chosen = set(form.cleaned_data["steps"])
    created = create_followups(
        evaluation,
        [s for s in steps if s.step.key in chosen],
        request.user,  # type: ignore[arg-type]
        form.cleaned_data["due_date"],
    )
    messages.success(request, _("%(n)s tindak lanjut dibuat.") % {"n": len(created)})
    return redirect("scoring:followups")


@require_GET
def followups(request: HttpRequest) -> HttpResponse:
    member = require_membership(request)
    items = followups_for(member).select_related(
        "evaluation", "indicator", "owner_opd", "owner", "carried_from__evaluation"
    )
    rows = [(item, may_edit_followup(member, item)) for item in items]
    carry = CarryOverForm(evaluations=carry_over_choices(member)) if member.role == Role.ADMIN else None
    context = {"rows": rows, "carry": carry, "statuses": FollowUpStatus.choices}
    return render(request, "scoring/_followups.html", context)


@require_POST
def followup(request: HttpRequest, pk: int) -> HttpResponse:
    item = followup_for(request, pk)
    if not may_edit_followup(membership(request), item):
        raise PermissionDenied
    form = FollowUpStatusForm(request.POST)
    if form.is_valid():
        set_followup_status(item, form.cleaned_data["status"])
        messages.success(request, _("Status tindak lanjut diperbarui."))
    else:
        messages.error(request, _("Status tidak sah."))
    return redirect("scoring:followups")


@require_POST
def followups_carry(request: HttpRequest) -> HttpResponse:
    member = require_membership(request, Role.ADMIN)
    form = CarryOverForm(request.POST, evaluations=carry_over_choices(member))
    if form.is_valid():
        created = carry_over_followups(form.cleaned_data["source"], form.cleaned_data["target"])
        messages.success(request, _("%(n)s tindak lanjut dibawa ke tahun berikutnya.") % {"n": len(created)})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("scoring:followups")
