from __future__ import annotations

from assessment.models.assessor import AssessorAssignment
from assessment.models.carryover import CarryOverLink, CarryOverSuggestion
from assessment.models.evaluation import (
    STAGE_ORDER,
    Answer,
    AnswerStatus,
    Evaluation,
    EvaluationStatus,
    Stage,
    StageValue,
    ValuesRevision,
)
from assessment.models.evidence import AnswerEvidence, Evidence, EvidenceKind, EvidenceStatus, EvidenceVersion
from assessment.models.framework import (
    EvidenceItem,
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
from assessment.models.identity import DocumentNumber, IndexTarget, Letterhead
from assessment.models.items import AnswerItem, IndexFigure, ItemEvidence, ItemVerdict, RevisionType, StageItemNote
from assessment.models.notification import Notification
from assessment.models.organisation import Instansi, InstansiKind, Membership, Opd, Role
from assessment.models.review import Decision, Review

__all__ = [
    "STAGE_ORDER",
    "Answer",
    "AnswerEvidence",
    "AnswerItem",
    "AnswerStatus",
    "AssessorAssignment",
    "CarryOverLink",
    "CarryOverSuggestion",
    "Decision",
    "DocumentNumber",
    "Evaluation",
    "EvaluationStatus",
    "Evidence",
    "EvidenceItem",
    "EvidenceKind",
    "EvidenceStatus",
    "EvidenceVersion",
    "Framework",
    "FrameworkGroup",
    "IndexFigure",
    "IndexTarget",
    "Indicator",
    "IndicatorLevel",
    "Instansi",
    "InstansiKind",
    "ItemEvidence",
    "ItemVerdict",
    "Letterhead",
    "LevelScale",
    "Membership",
    "Notification",
    "Opd",
    "PredicateBand",
    "PredicateBasis",
    "Review",
    "RevisionType",
    "Role",
    "ScaleLevel",
    "Stage",
    "StageItemNote",
    "StageValue",
    "ValueKind",
    "ValuesRevision",
]
