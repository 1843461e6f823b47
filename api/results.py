"""Index results for the API: every stage's figures from `scoring.results.stage_results`, as decimal strings."""

from __future__ import annotations

from typing import Any

from assessment.models import Evaluation, FrameworkGroup
from scoring import engine
from scoring.results import stage_results


def _figure(score: engine.Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"value": f"{score.display:f}", "predicate": score.predicate}


def index_payload(evaluation: Evaluation) -> dict[str, Any]:
    """3 queries: the stage values, the groups (names and order), and the framework cache."""
    groups = list(
        FrameworkGroup.objects.filter(framework_id=evaluation.framework_id)
        .order_by("position")
        .values_list("code", "kind", "name", "parent__code")
    )
    stages = []
    for stage in stage_results(evaluation):
        result = stage.result
        stages.append(
            {
                "stage": stage.stage,
                "label": stage.label,
                "index": _figure(result.index),
                "provisional": result.provisional,
                "missing": list(result.missing),
                "groups": [
                    {"code": code, "kind": kind, "name": name, "parent": parent, **_figure(result.groups[code])}  # type: ignore[dict-item]
                    for code, kind, name, parent in groups
                    if code in result.groups
                ],
            }
        )
    return {
        "evaluation": evaluation.pk,
        "framework": evaluation.framework.code,
        "predicate_basis": evaluation.predicate_basis,
        "final": stages[-1] if stages else None,
        "stages": stages,
    }
