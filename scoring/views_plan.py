"""The what-if simulator, the improvement plan and the follow-up items (thin views)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import (
    capabilities,
    evaluation_for,
    membership,
    refuse_unless,
    require_capability,
    require_membership,
    values_visible,
)
from assessment.models import Evaluation
from scoring import engine
from scoring.access import followup_for, followups_for, may_edit_followup, scenario_for
from scoring.forms import CarryOverForm, FollowUpCreateForm, FollowUpStatusForm, ScenarioForm
from scoring.models import FollowUpStatus, Scenario
from scoring.services import engine_framework
from scoring.services_plan import (
    PlanStep,
    carry_over_choices,
    carry_over_followups,
    create_followups,
    hidden_keys,
    latest_values,
    plan_summary,
    save_scenario,
    set_followup_status,
)
from scoring.simulator import figure, from_units, parse, raise_one_level, simulate, to_units
from spbe_portal.http import HtmxHttpRequest


@require_GET
def simulator(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Every indicator's value with a hypothetical one; each change comes back over htmx, scored here.

    The fields ("i<number>") in the query win over the saved scenario (?skenario=) and the current
    values; ?naik=<keys> applies the plan's one-level steps.
    """
    evaluation = evaluation_for(membership(request), pk)
    visible = values_visible(membership(request))
    spec = engine_framework(evaluation.framework)
    # The simulator steps in 10**-places units, so an exact value finer than that (an
    # assessor's 7/6) starts from its half-up rounding there; the plan and the index stay exact.
    latest = latest_values(evaluation, visible)
    current = {k: engine.round_half_up(Fraction(v), spec.value_places) for k, v in latest.items()}
    typed, errors = parse(spec, request.GET)
    if request.htmx:
        result, rows, group_rows = simulate(evaluation, current, typed, errors)
        context = {"evaluation": evaluation, "result": result, "rows": rows, "group_rows": group_rows, "oob": True}
        return render(request, "scoring/_simulator_result.html", context)
    scenario = scenario_for(evaluation, request.GET.get("skenario"))
    start: dict[str, Decimal | None] = dict(current)
    hidden = hidden_keys(evaluation, visible)
    if scenario:  # a scenario starts from its author's view: values hidden from this viewer are left out
        start = {
            key: Decimal(str(value))
            for key, value in scenario.levels.items()
            if value not in (None, "") and key not in hidden
        }
    start = raise_one_level(spec, {**start, **typed}, request.GET.get("naik", "").split(","))
    result, rows, group_rows = simulate(evaluation, current, start, errors)
    context = {
        "evaluation": evaluation,
        "rows": rows,
        "group_rows": group_rows,
        "result": result,
        "places": spec.value_places,
        # The number field's own notation ("0.01"), whatever the page's language.
        "field_step": figure(Decimal(1).scaleb(-spec.value_places), spec.value_places),
        "field_min": figure(spec.value_min, spec.value_places),
        "field_max": figure(spec.value_max, spec.value_places),
        "scenario": scenario,
        "hidden": len(hidden),
        "scenarios": Scenario.objects.filter(evaluation=evaluation).select_related("created_by"),
        "can_save": capabilities(request).plan,
        "form": ScenarioForm(initial={"name": scenario.name if scenario else ""}),
    }
    return render(request, "scoring/simulator.html", context)


@require_POST
def scenario_save(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(membership(request), pk)
    refuse_unless(capabilities(request).plan)
    back = reverse("scoring:simulator", args=[evaluation.pk])
    form = ScenarioForm(request.POST)
    spec = engine_framework(evaluation.framework)
    typed, errors = parse(spec, request.POST)
    if not form.is_valid() or errors:
        messages.error(request, _("Skenario tidak disimpan: isi nama skenario dan pilih tingkat yang sah."))
        return redirect(back)
    places = spec.value_places
    levels = {key: from_units(to_units(value, places), places) for key, value in typed.items() if value is not None}
    scenario = save_scenario(evaluation, form.cleaned_data["name"], levels, request.user)  # type: ignore[arg-type]
    messages.success(request, _("Skenario “%(name)s” disimpan.") % {"name": scenario.name})
    return HttpResponseRedirect(f"{back}?{urlencode({'skenario': scenario.pk})}")


def _plan_context(request: HttpRequest, evaluation: Evaluation, raw_target: str | None) -> dict[str, object]:
    return plan_summary(evaluation, raw_target, values_visible(membership(request)))


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-level steps that reach a target predikat or figure, heaviest first."""
    evaluation = evaluation_for(membership(request), pk)
    context = _plan_context(request, evaluation, request.GET.get("target"))
    context["can_follow_up"] = capabilities(request).plan
    context["form"] = FollowUpCreateForm(keys=[], initial={"target": context["target_raw"]})
    return render(request, "scoring/plan.html", context)


@require_POST
def plan_followups(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the selected steps of the plan into follow-up items (Sekda, admin, verifikator)."""
    evaluation = evaluation_for(membership(request), pk)
    refuse_unless(capabilities(request).plan)
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
    carry = CarryOverForm(evaluations=carry_over_choices(member)) if capabilities(request).administer else None
    context = {"rows": rows, "carry": carry, "statuses": FollowUpStatus.choices}
    return render(request, "scoring/_followups.html", context)


@require_POST
def followup(request: HttpRequest, pk: int) -> HttpResponse:
    member = membership(request)
    item = followup_for(member, pk)
    refuse_unless(may_edit_followup(member, item))
    form = FollowUpStatusForm(request.POST)
    if form.is_valid():
        set_followup_status(item, form.cleaned_data["status"])
        messages.success(request, _("Status tindak lanjut diperbarui."))
    else:
        messages.error(request, _("Status tidak sah."))
    return redirect("scoring:followups")


@require_POST
def followups_carry(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "administer")
    form = CarryOverForm(request.POST, evaluations=carry_over_choices(member))
    if form.is_valid():
        created = carry_over_followups(form.cleaned_data["source"], form.cleaned_data["target"])
        messages.success(request, _("%(n)s tindak lanjut dibawa ke tahun berikutnya.") % {"n": len(created)})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("scoring:followups")
