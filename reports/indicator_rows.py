"""The per-indicator rows every report kind shares, gathered with 6 queries whatever the size.

One row per indicator of the evaluation's framework (or per indicator an OPD leads): its answer's
state, the values recorded per stage, the reviewer's reason, the evidence, and the level name.
The report's "verified" level of an indicator is its verification-stage value, carried from the
self-assessment when the verifier recorded none; "final" is the latest stage's value (the same
unless the official document, interview or site-visit stages exist). Both follow
`scoring.stages.as_of`, the one rule for a stage carrying the previous stage's value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import OuterRef, Q, Subquery

from assessment.conversion import LevelBand, level_of
from assessment.models import (
    AnswerEvidence,
    AnswerStatus,
    Evaluation,
    EvidenceStatus,
    EvidenceVersion,
    Indicator,
    Opd,
    Review,
    ScaleLevel,
    Stage,
    StageValue,
)
from assessment.models.evaluation import exact_number
from scoring import engine
from scoring.stages import as_of
from spbe_portal import formatting


@dataclass(frozen=True)
class EvidenceItem:
    title: str
    file_name: str
    document_date: date | None
    status: str
    approved_by: str


@dataclass
class IndicatorRow:
    number: int
    code: str
    name: str
    domain: str
    aspect_code: str
    aspect: str
    lead_opd_id: int | None
    lead_opd: str
    status: str  # AnswerStatus value, "" without an answer
    status_label: str
    explanation: str
    values: dict[str, Decimal | Fraction]  # as recorded per stage, exact (a blank stage carries the previous one)
    note: str
    level_name: str = ""
    evidence: list[EvidenceItem] = field(default_factory=list)
    places: int = 0  # the framework's value places: whole levels print as "3", values as "3,25"

    @property
    def claimed(self) -> Decimal | Fraction | None:
        return self.values.get(Stage.MANDIRI)

    @property
    def verified(self) -> Decimal | Fraction | None:
        return as_of(self.values, Stage.VERIFIKASI)

    @property
    def final(self) -> Decimal | Fraction | None:
        return as_of(self.values)

    @property
    def verified_is_carried(self) -> bool:
        return Stage.VERIFIKASI not in self.values and self.claimed is not None

    def text(self, value: Decimal | Fraction | None) -> str:
        return level_text(value, self.places)

    @property
    def claimed_text(self) -> str:
        return self.text(self.claimed)

    @property
    def verified_text(self) -> str:
        return self.text(self.verified)

    @property
    def final_text(self) -> str:
        return self.text(self.final)


def level_text(value: Decimal | Fraction | None, places: int) -> str:
    """A level as printed: "3" for whole levels, "3,25" (localised) for decimal values; an exact
    value finer than that (7/6) is rounded half-up for print only."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = engine.round_half_up(value, places)
    return formatting.number(value, places)


def _person(first: str | None, last: str | None, username: str | None) -> str:
    """A user's full name as the portal shows it (get_full_name), else the username."""
    return f"{first or ''} {last or ''}".strip() or (username or "")


def indicator_rows(evaluation: Evaluation, opd: Opd | None = None) -> list[IndicatorRow]:
    """Every indicator of the evaluation's framework (or only those `opd` leads), 6 queries."""
    indicators = Indicator.objects.filter(framework_id=evaluation.framework_id).select_related("group__parent")
    answers = {a.indicator_id: a for a in evaluation.answers.select_related("lead_opd").filter(_lead(opd, prefix=""))}
    in_scope = Q(answer__evaluation=evaluation) & _lead(opd)
    values: dict[int, dict[str, Decimal | Fraction]] = defaultdict(dict)
    stage_notes: dict[int, str] = {}
    for answer_id, stage, value, exact, note in StageValue.objects.filter(in_scope).values_list(
        "answer_id", "stage", "value", "exact", "note"
    ):
        values[answer_id][stage] = exact_number(value, exact)
        if stage == Stage.VERIFIKASI and note:
            stage_notes[answer_id] = note
    # The latest standing decision's reason; an older round's reason was about content since fixed.
    reasons: dict[int, str] = {}
    latest_first = Review.objects.filter(in_scope, voided_at__isnull=True).order_by("-decided_at", "-pk")
    for answer_id, reason in latest_first.values_list("answer_id", "reason"):
        reasons.setdefault(answer_id, reason)
    evidence = _evidence(in_scope)
    scale_levels = ScaleLevel.objects.filter(scale__framework_id=evaluation.framework_id)
    names: dict[tuple[int, int], str] = {}
    bands: dict[int, list[LevelBand]] = defaultdict(list)
    for scale_id, level, name, lower, upper, closed in scale_levels.values_list(
        "scale_id", "level", "name", "lower", "upper", "upper_inclusive"
    ):
        names[(scale_id, level)] = name
        if lower is not None and upper is not None:
            bands[scale_id].append(LevelBand(level, lower, upper, closed))
    statuses = dict(AnswerStatus.choices)
    rows = []
    for indicator in indicators:
        answer = answers.get(indicator.pk)
        if answer is None and opd is not None:
            continue
        group, parent = indicator.group, indicator.group.parent
        row = IndicatorRow(
            number=indicator.number, code=indicator.code, name=indicator.name,
            domain=f"{parent.code} {parent.name}" if parent else "", aspect_code=group.code,
            aspect=f"{group.code} {group.name}",
            lead_opd_id=answer.lead_opd_id if answer else None,
            lead_opd=answer.lead_opd.short_name if answer and answer.lead_opd else "",
            status=answer.status if answer else "",
            status_label=str(statuses[answer.status]) if answer else "Belum ada jawaban",
            explanation=answer.explanation if answer else "",
            values=values.get(answer.pk, {}) if answer else {},
            note=(reasons.get(answer.pk) or stage_notes.get(answer.pk, "")) if answer else "",
            evidence=evidence.get(answer.pk, []) if answer else [],
            places=evaluation.framework.value_places,
        )  # fmt: skip
        final = row.final
        if final is not None and indicator.scale_id in bands:  # decimal values: the band that holds it (Pemdi)
            held = level_of(bands[indicator.scale_id], final)
            row.level_name = names.get((indicator.scale_id, held), "") if held else ""
        elif isinstance(final, Decimal) and final == final.to_integral_value():
            row.level_name = names.get((indicator.scale_id, int(final)), "")
        rows.append(row)
    return rows


def _lead(opd: Opd | None, prefix: str = "answer__") -> Q:
    return Q(**{f"{prefix}lead_opd": opd}) if opd is not None else Q()


def _evidence(in_scope: Q) -> dict[int, list[EvidenceItem]]:
    latest_name = EvidenceVersion.objects.filter(evidence_id=OuterRef("evidence_id")).order_by("-number")
    links = (
        AnswerEvidence.objects.filter(in_scope)
        .order_by("added_at", "pk")
        .values(
            "answer_id", "status", "evidence__title", "evidence__url", "evidence__document_date",
            "reviewed_by__first_name", "reviewed_by__last_name", "reviewed_by__username",
            file_name=Subquery(latest_name.values("original_name")[:1]),
        )
    )  # fmt: skip
    labels = dict(EvidenceStatus.choices)
    out: dict[int, list[EvidenceItem]] = defaultdict(list)
    for link in links:
        approved = link["status"] == EvidenceStatus.APPROVED
        out[link["answer_id"]].append(
            EvidenceItem(
                title=link["evidence__title"],
                file_name=link["file_name"] or link["evidence__url"] or "",
                document_date=link["evidence__document_date"],
                status=str(labels[link["status"]]),
                approved_by=_person(
                    link["reviewed_by__first_name"], link["reviewed_by__last_name"], link["reviewed_by__username"]
                )
                if approved
                else "",
            )
        )
    return out
