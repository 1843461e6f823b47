"""Improvement plans, saved scenarios and follow-up items (use cases, inside transactions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from assessment.models import Answer, Evaluation, Indicator, IndicatorLevel, Membership, Opd, ValueKind
from scoring import engine
from scoring.models import FollowUp, FollowUpStatus, Scenario
from scoring.services import engine_framework, stage_values
from spbe_portal import formatting
from spbe_portal.numbers import parse_decimal


class TargetError(ValueError):
    """A target that is neither a predikat of the framework nor a figure within its range."""


def latest_values(evaluation: Evaluation, answers: Q | None = None) -> dict[str, Decimal | Fraction]:
    """The latest stage's value per indicator; `answers` (`access.values_visible`) hides the rest."""
    return stage_values([evaluation.pk], answers=answers).get(evaluation.pk, {})


def hidden_keys(evaluation: Evaluation, answers: Q | None) -> set[str]:
    """The indicators (keys) whose values `answers` hides from the viewer: shown as not assessed."""
    if answers is None:
        return set()
    hidden = evaluation.answers.exclude(pk__in=Answer.objects.filter(answers).values("pk"))
    return {str(n) for n in hidden.values_list("indicator__number", flat=True)}


def parse_target(raw: str | None, spec: engine.Framework, index: Fraction | None) -> Decimal | None:
    """The plan's target: a predikat name, a figure ('3,00' or '3.00'), or by default the next band.

    None means there is nothing above the current index (already in the top band).
    """
    text = (raw or "").strip()
    if not text:
        above = sorted(b.lower for b in spec.bands if index is None or Fraction(b.lower) > index)
        return above[0] if above else None
    for band in spec.bands:
        if band.name.casefold() == text.casefold():
            return band.lower
    value = parse_decimal(text)
    if value is None:
        raise TargetError(
            _("Target “%(target)s” tidak dikenal: tulis nama predikat atau angka seperti 3,00.") % {"target": text}
        )
    if not spec.value_min <= value <= spec.value_max:
        raise TargetError(
            _("Target harus antara %(low)s dan %(high)s.")
            % {"low": formatting.number(spec.value_min), "high": formatting.number(spec.value_max)}
        )
    return value


@dataclass(frozen=True)
class PlanStep:
    step: engine.Step
    indicator: Indicator
    gain: Decimal  # rounded for display
    index_after: Decimal
    criterion: str
    lead_opd: Opd | None


def improvement_plan(evaluation: Evaluation, values: Mapping[str, engine.Value], target: Decimal) -> list[PlanStep]:
    """engine.improvement_steps with the indicator, next criterion and lead OPD (3 queries)."""
    spec = engine_framework(evaluation.framework)
    steps = engine.improvement_steps(spec, values, target)
    if not steps:
        return []
    numbers = [int(s.key) for s in steps]
    indicators = {i.number: i for i in Indicator.objects.filter(framework=evaluation.framework, number__in=numbers)}
    criteria = {
        (number, level): criterion
        for number, level, criterion in IndicatorLevel.objects.filter(
            indicator__framework=evaluation.framework, indicator__number__in=numbers
        ).values_list("indicator__number", "level", "criterion")
    }
    leads = {
        a.indicator.number: a.lead_opd
        for a in Answer.objects.filter(evaluation=evaluation, indicator__number__in=numbers).select_related(
            "indicator", "lead_opd"
        )
    }
    places = spec.places
    return [
        PlanStep(
            step=s,
            indicator=indicators[int(s.key)],
            gain=engine.round_half_up(s.gain, places),
            index_after=engine.round_half_up(s.index_after, places),
            criterion=criteria.get((int(s.key), s.level), ""),
            lead_opd=leads.get(int(s.key)),
        )
        for s in steps
    ]


def plan_summary(evaluation: Evaluation, raw_target: str | None, answers: Q | None = None) -> dict[str, object]:
    """Everything the plan page and the plan report show: the index now, the target, the steps.

    `answers` (`access.values_visible` of the viewer) leaves out values the viewer may not see:
    those indicators count as not assessed, so the plan is built on what the viewer may know.
    """
    spec = engine_framework(evaluation.framework)
    values = latest_values(evaluation, answers)
    result = engine.score(spec, values, engine.PredicateBasis(evaluation.predicate_basis))
    index = result.index.exact if result.index else None
    error = None
    target = None
    try:
        target = parse_target(raw_target, spec, index)
    except TargetError as exc:
        error = str(exc)
    steps: list[PlanStep] = improvement_plan(evaluation, values, target) if target is not None and index else []
    reached_exact = steps[-1].step.index_after if steps else None
    return {
        "evaluation": evaluation,
        "result": result,
        # Shown like an index ("2,60"); band bounds are stored with three decimals.
        "target": target.quantize(Decimal("0.01"))
        if target is not None and target == target.quantize(Decimal("0.01"))
        else target,
        "target_raw": raw_target or "",
        "error": error,
        "steps": steps,
        "reached": bool(steps) and target is not None and steps[-1].step.index_after >= target,
        "reached_index": engine.round_half_up(reached_exact, spec.places) if reached_exact is not None else None,
        "reached_predicate": spec.predicate(reached_exact) if reached_exact is not None else None,
        "bands": spec.bands,
        "simulate": ",".join(s.step.key for s in steps),
        "hidden": len(hidden_keys(evaluation, answers)),
    }


# --- scenarios --------------------------------------------------------------------------------


@transaction.atomic
def save_scenario(
    evaluation: Evaluation, name: str, levels: Mapping[str, int | str], user: AbstractBaseUser
) -> Scenario:
    return Scenario.objects.create(evaluation=evaluation, name=name, levels=dict(levels), created_by_id=user.pk)


@transaction.atomic
def create_followups(
    evaluation: Evaluation, steps: Sequence[PlanStep], user: AbstractBaseUser, due_date: date | None
) -> list[FollowUp]:
    """One open item per step, unless the indicator already has an unfinished one this year."""
    pending = set(
        FollowUp.objects.filter(evaluation=evaluation)
        .exclude(status=FollowUpStatus.DONE)
        .values_list("indicator_id", flat=True)
    )
    created = []
    # "tingkat 3" for whole levels (59/2020); a decimal framework's target is a value ("nilai 2,50").
    if evaluation.framework.value_kind == ValueKind.DECIMAL:
        wording = _("Indikator %(number)s (%(name)s): naik ke nilai %(level)s")
    else:
        wording = _("Indikator %(number)s (%(name)s): naik ke tingkat %(level)s")
    for item in steps:
        if item.indicator.pk in pending:
            continue
        level = _level(item.step.after)
        title = wording % {"number": item.indicator.number, "name": item.indicator.name, "level": level}
        created.append(
            FollowUp(
                instansi=evaluation.instansi,
                evaluation=evaluation,
                indicator=item.indicator,
                title=title[:300],
                owner_opd=item.lead_opd,
                due_date=due_date,
                created_by_id=user.pk,
            )
        )
    return FollowUp.objects.bulk_create(created)


def _level(value: Decimal) -> str:
    return formatting.number(value.normalize() if value == value.to_integral_value() else value)


@transaction.atomic
def set_followup_status(item: FollowUp, status: str) -> None:
    FollowUp.objects.filter(pk=item.pk).update(status=status)
    item.status = status


@transaction.atomic
def carry_over_followups(from_year_evaluation: Evaluation, to_evaluation: Evaluation) -> list[FollowUp]:
    """Copy the unfinished items of one year into the next evaluation (idempotent).

    The copy points at the same-numbered indicator of the new evaluation's framework (items whose
    indicator no longer exists stay behind) and keeps its OPD, owner and due date.
    """
    if from_year_evaluation.instansi_id != to_evaluation.instansi_id or to_evaluation.year <= from_year_evaluation.year:
        raise ValueError(_("Tindak lanjut hanya dibawa ke evaluasi tahun berikutnya dari instansi yang sama."))
    already = set(
        FollowUp.objects.filter(evaluation=to_evaluation, carried_from__isnull=False).values_list(
            "carried_from_id", flat=True
        )
    )
    open_items = (
        FollowUp.objects.filter(evaluation=from_year_evaluation)
        .exclude(status=FollowUpStatus.DONE)
        .exclude(pk__in=already)
        .select_related("indicator")
    )
    items = list(open_items)
    indicators = {
        i.number: i
        for i in Indicator.objects.filter(
            framework=to_evaluation.framework, number__in=[item.indicator.number for item in items]
        )
    }
    copies = [
        FollowUp(
            instansi=to_evaluation.instansi,
            evaluation=to_evaluation,
            indicator=indicators[item.indicator.number],
            title=item.title,
            owner_opd_id=item.owner_opd_id,
            owner_id=item.owner_id,
            due_date=item.due_date,
            status=item.status,
            created_by_id=item.created_by_id,
            carried_from=item,
        )
        for item in items
        if item.indicator.number in indicators
    ]
    return FollowUp.objects.bulk_create(copies)


def carry_over_choices(member: Membership) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(instansi=member.instansi).order_by("-year")
