from __future__ import annotations

from assessment.models.evaluation import (
    STAGE_ORDER,
    Answer,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    Stage,
    StageValue,
)
from assessment.models.framework import (
    Framework,
    FrameworkGroup,
    Indicator,
    IndicatorLevel,
    LevelScale,
    PredicateBand,
    PredicateBasis,
    ScaleLevel,
    ValueKind,
)
from assessment.models.organisation import Instansi, InstansiKind, Membership, Opd, Role

__all__ = [
    "STAGE_ORDER",
    "Answer",
    "AnswerStatus",
    "Evaluation",
    "EvaluationStatus",
    "Framework",
    "FrameworkGroup",
    "Indicator",
    "IndicatorLevel",
    "Instansi",
    "InstansiKind",
    "LevelScale",
    "Membership",
    "Opd",
    "PredicateBand",
    "PredicateBasis",
    "Role",
    "ScaleLevel",
    "Stage",
    "StageValue",
    "ValueKind",
]
