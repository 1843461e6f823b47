"""The bridge between the catalog and answers in the database and the pure engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from assessment.catalog import FrameworkDef, GroupDef
from assessment.models import STAGE_ORDER, Answer, Evaluation, Framework, FrameworkGroup, Indicator, StageValue
from scoring import engine
from scoring.stages import RECORDED_FIELDS, Number, carried_at, recorded

_SPEC_CACHE: dict[tuple[int, str], engine.Framework] = {}


def engine_framework(framework: Framework) -> engine.Framework:
    """The engine's view of a framework version (3 queries, then cached per structure)."""
    cache_key = (framework.pk, framework.structure_hash)
    if cache_key not in _SPEC_CACHE:
        groups = FrameworkGroup.objects.filter(framework=framework).values_list(
            "code", "kind", "weight", "parent__code"
        )
        # One row per indicator and level of its scale: the level value bands (decimal frameworks)
        # come with the indicators, in the same query.
        rows = Indicator.objects.filter(framework=framework).values_list(
            "number", "weight", "group__code", "scale__levels__level", "scale__levels__lower"
        )
        indicators: dict[int, tuple[Decimal, str, list[tuple[int, Decimal]]]] = {}
        for number, weight, group, level, lower in rows:
            entry = indicators.setdefault(number, (weight, group, []))
            if level is not None and lower is not None:
                entry[2].append((level, lower))
        _SPEC_CACHE[cache_key] = engine.Framework(
            groups=[engine.Group(code, kind, weight, parent) for code, kind, weight, parent in groups],
            indicators=[
                engine.Indicator(str(number), weight, group, tuple(sorted(levels)))
                for number, (weight, group, levels) in indicators.items()
            ],
            bands=[
                engine.Band(b.name, b.lower, b.upper, b.lower_inclusive, b.upper_inclusive)
                for b in framework.bands.all()
            ],
            value_min=framework.value_min,
            value_max=framework.value_max,
            value_places=framework.value_places,
            places=framework.rounding_places,
            exact_values=framework.value_kind == "decimal",
        )
    return _SPEC_CACHE[cache_key]


def framework_from_definition(definition: FrameworkDef) -> engine.Framework:
    """The engine's view of a parsed framework file, without the database."""
    groups = [
        engine.Group(child.code, child.kind, child.weight, parent.code if parent else None)
        for parent, child in _walk(definition)
    ]
    return engine.Framework(
        groups=groups,
        indicators=[
            engine.Indicator(str(i.number), i.weight, group.code, _level_edges(definition, i.level_scale))
            for group in definition.all_groups()
            for i in group.indicators
        ],
        bands=[engine.Band(b.name, b.lower, b.upper, b.lower_inclusive, b.upper_inclusive) for b in definition.bands],
        value_min=definition.value_min,
        value_max=definition.value_max,
        value_places=definition.value_places,
        places=definition.rounding_places,
        exact_values=definition.value_kind == "decimal",
    )


def _level_edges(definition: FrameworkDef, scale: str) -> tuple[tuple[int, Decimal], ...]:
    bands = next((s.bands for s in definition.scales if s.code == scale), {})
    return tuple(sorted((level, band.lower) for level, band in bands.items()))


def _walk(definition: FrameworkDef) -> list[tuple[GroupDef | None, GroupDef]]:
    pairs: list[tuple[GroupDef | None, GroupDef]] = []
    stack: list[tuple[GroupDef | None, GroupDef]] = [(None, g) for g in definition.groups]
    while stack:
        parent, group = stack.pop()
        pairs.append((parent, group))
        stack.extend((group, child) for child in group.groups)
    return pairs


def current_framework(code: str) -> Framework | None:
    return Framework.objects.filter(code=code, is_current=True).first()


def stage_values(
    evaluation_ids: Iterable[int], stage: str = STAGE_ORDER[-1], answers: Q | None = None
) -> dict[int, dict[str, Number]]:
    """Each evaluation's value per indicator as of `stage`, in one query.

    An indicator that a stage did not revisit carries the latest earlier stage's value. `answers`
    (a filter on Answer, `access.values_visible`) leaves the other answers out, as not assessed.
    """
    return values_at_stages(evaluation_ids, [stage], answers)[stage]


def values_at_stages(
    evaluation_ids: Iterable[int], stages: list[str], answers: Q | None = None
) -> dict[str, dict[int, dict[str, Number]]]:
    """`stage_values` for several stages from one query (the ranking needs two)."""
    last = max(STAGE_ORDER.index(s) for s in stages)
    query = StageValue.objects.filter(answer__evaluation_id__in=list(evaluation_ids), stage__in=STAGE_ORDER[: last + 1])
    if answers is not None:
        query = query.filter(answer__in=Answer.objects.filter(answers).values("pk"))
    at_stage: dict[str, dict[int, dict[str, Number]]] = {stage: {} for stage in stages}
    for evaluation_id, per_stage in recorded(query.values_list(*RECORDED_FIELDS)).items():
        for stage in stages:
            if values := carried_at(per_stage, stage):
                at_stage[stage][evaluation_id] = values
    return at_stage


@dataclass(frozen=True)
class ScoredEvaluation:
    evaluation: Evaluation
    result: engine.Result
    self_assessed: engine.Result


def score_evaluations(evaluations: Iterable[Evaluation]) -> list[ScoredEvaluation]:
    """Score evaluations at their latest stage and at self-assessment, with constant queries."""
    evaluations = list(evaluations)
    ids = [e.pk for e in evaluations]
    both = values_at_stages(ids, [STAGE_ORDER[-1], STAGE_ORDER[0]])
    latest, own = both[STAGE_ORDER[-1]], both[STAGE_ORDER[0]]
    scored = []
    for evaluation in evaluations:
        spec = engine_framework(evaluation.framework)
        basis = engine.PredicateBasis(evaluation.predicate_basis)
        scored.append(
            ScoredEvaluation(
                evaluation=evaluation,
                result=engine.score(spec, latest.get(evaluation.pk, {}), basis),
                self_assessed=engine.score(spec, own.get(evaluation.pk, {}), basis),
            )
        )
    return scored
