"""The improvement plan as a report: the plan page's figures, read once for the PDF and Excel."""

from __future__ import annotations

from typing import Any

from assessment.models import Evaluation
from scoring.services_plan import PlanStep, plan_summary


def plan(evaluation: Evaluation, target: str) -> dict[str, Any]:
    """`plan_summary` plus the plain figures a document prints (levels, gains, indices)."""
    summary = plan_summary(evaluation, target)
    steps: list[PlanStep] = summary["steps"]  # type: ignore[assignment]
    result = summary["result"]
    return {
        **summary,
        "index": result.index,  # type: ignore[attr-defined]
        # The decimals a workbook shows: indices with the framework's rounding, levels with its scale's.
        "index_places": evaluation.framework.rounding_places,
        "value_places": evaluation.framework.value_places,
        "rows": [
            {
                "position": n,
                "number": s.indicator.number,
                "name": s.indicator.name,
                "before": s.step.before,
                "after": s.step.after,
                "gain": s.gain,
                "index_after": s.index_after,
                "criterion": s.criterion,
                "lead_opd": s.lead_opd.short_name if s.lead_opd else "",
            }
            for n, s in enumerate(steps, start=1)
        ],
    }
