"""What the reports show, gathered with a fixed number of queries whatever the data size.

`indicator_rows` is shared by every kind (the per-indicator table, the OPD report and the
spreadsheets); `hasil` adds the index per stage, the groups, recommendations and charts.
Figures come from the engine (`stage_results`, `improvement_steps`): exact, rounded once for
display. The report's "verified" level of an indicator is its verification-stage value, carried
from the self-assessment when the verifier recorded none; "final" is the latest stage's value
(the same unless the official document, interview or site-visit stages exist).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from assessment.conversion import LevelBand, level_of
from assessment.models import (
    STAGE_ORDER,
    AnswerEvidence,
    AnswerStatus,
    Evaluation,
    EvidenceStatus,
    EvidenceVersion,
    Framework,
    FrameworkGroup,
    IndexTarget,
    Indicator,
    IndicatorLevel,
    Letterhead,
    Opd,
    Review,
    ScaleLevel,
    Stage,
    StageValue,
)
from assessment.models.evaluation import exact_number
from reports.models import abbreviation
from reports.summary import executive_summary
from scoring import charts, engine
from scoring.engine import round_half_up
from scoring.services import StageResult, engine_framework, stage_results
from spbe_portal import formatting

STRENGTH = Decimal(4)  # the guideline: levels 4-5 are strengths,
WEAKNESS = Decimal(3)  # levels 1-2 (below 3) weaknesses


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

    def _upto(self, stage: str) -> Decimal | Fraction | None:
        recorded = [self.values[s] for s in STAGE_ORDER[: STAGE_ORDER.index(stage) + 1] if s in self.values]
        return recorded[-1] if recorded else None

    @property
    def claimed(self) -> Decimal | Fraction | None:
        return self.values.get(Stage.MANDIRI)

    @property
    def verified(self) -> Decimal | Fraction | None:
        return self._upto(Stage.VERIFIKASI)

    @property
    def final(self) -> Decimal | Fraction | None:
        return self._upto(STAGE_ORDER[-1])

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


@dataclass(frozen=True)
class GroupRow:
    code: str
    name: str
    depth: int  # 0 the index, 1 a top-level group (domain), 2 below it (aspect)
    weight: Decimal | None
    scores: list[engine.Score | None]
    parent: str | None = None
    kind: str = ""  # the framework's group kind ("domain", "aspect"); "" for the index row

    @property
    def weight_text(self) -> str:
        if self.weight is None:
            return ""
        whole = self.weight == self.weight.to_integral_value()
        return formatting.number(self.weight, 0) if whole else formatting.number(self.weight.normalize())


@dataclass(frozen=True)
class Recommendation:
    row: IndicatorRow
    step: engine.Step
    gain: Decimal  # two places like every figure (issue 20): "+0,03", not "+0,030"
    index_after: Decimal
    criterion: str

    @property
    def levels_text(self) -> str:
        return f"{self.row.text(self.step.before)} → {self.row.text(self.step.after)}"


def _next_band(spec: engine.Framework, value: Fraction) -> tuple[str, Decimal] | None:
    """The predikat band just above `value`: its name and lower bound, the recommendations' target."""
    above = [(band.lower, band.name) for band in spec.bands if Fraction(band.lower) > value]
    return (min(above)[1], min(above)[0]) if above else None


def recommendations(evaluation: Evaluation, rows: list[IndicatorRow], result: engine.Result) -> dict[str, Any]:
    spec = engine_framework(evaluation.framework)
    if result.index is None:
        return {"target": None, "steps": []}
    band = _next_band(spec, result.index.exact)
    if band is None:
        return {"target": None, "steps": []}
    by_key = {str(r.number): r for r in rows}
    values = {key: r.final for key, r in by_key.items() if r.final is not None}
    steps = engine.improvement_steps(spec, values, band[1])
    criteria = {
        (number, level): criterion
        for number, level, criterion in IndicatorLevel.objects.filter(
            indicator__framework_id=evaluation.framework_id, indicator__number__in=[int(s.key) for s in steps]
        ).values_list("indicator__number", "level", "criterion")
    }
    items = [
        Recommendation(
            row=by_key[s.key],
            step=s,
            gain=round_half_up(s.gain, spec.places),
            index_after=round_half_up(s.index_after, spec.places),
            criterion=criteria.get((int(s.key), s.level), ""),
        )
        for s in steps
    ]
    reached = bool(steps) and steps[-1].index_after >= Fraction(band[1])
    lower = band[1].quantize(Decimal(1).scaleb(-spec.places))
    return {"target": {"name": band[0], "lower": lower}, "steps": items, "reached": reached}


def group_rows(evaluation: Evaluation, results: list[StageResult]) -> list[GroupRow]:
    groups = FrameworkGroup.objects.filter(framework_id=evaluation.framework_id).order_by("position")
    rows = [GroupRow("", evaluation.framework.short_name, 0, None, [r.result.index for r in results])]
    for code, name, weight, parent, kind in groups.values_list("code", "name", "weight", "parent__code", "kind"):
        scores = [r.result.groups.get(code) for r in results]
        rows.append(GroupRow(code, name, 1 if parent is None else 2, weight, scores, parent, kind))
    return rows


@dataclass(frozen=True)
class Wording:
    """How a report names the framework's index and its groups, read from the framework's data.

    `index` is the framework's short name ("Indeks SPBE", "Indeks Pemdi"), `abbr` that name
    without "Indeks" (the roles: "Koordinator SPBE"), `subject` the spelled-out subject of the
    title page (the file's "subject", else the abbreviation), `levels` the group kinds' labels
    from the top of the tree down (["Domain", "Aspek"] in 59/2020, ["Aspek"] in Pemdi 8/2026).
    """

    index: str
    abbr: str
    subject: str
    levels: tuple[str, ...] = ()

    @property
    def top(self) -> str:
        return self.levels[0] if self.levels else "Kelompok"

    @property
    def groups_text(self) -> str:
        """ "domain dan aspek", or "aspek" where the tree has one kind of group."""
        return " dan ".join(label.lower() for label in self.levels) or "kelompok"

    @property
    def groups_header(self) -> str:
        return " / ".join(label.lower() if i else label for i, label in enumerate(self.levels)) or "Kelompok"


def wording(framework: Framework, groups: list[GroupRow] | None = None) -> Wording:
    abbr = abbreviation(framework.short_name)
    subject = framework.meta.get("subject") if isinstance(framework.meta, dict) else None
    kinds: list[str] = []
    for depth in (1, 2):  # the tree's kinds in order: top-level groups first
        for g in groups or []:
            if g.depth == depth and g.kind and g.kind not in kinds:
                kinds.append(g.kind)
    labels = framework.group_kinds if isinstance(framework.group_kinds, dict) else {}
    return Wording(
        framework.short_name, abbr, str(subject or abbr), tuple(str(labels.get(k) or k.capitalize()) for k in kinds)
    )


def strengths_by_aspect(rows: list[IndicatorRow]) -> list[dict[str, Any]]:
    aspects: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = aspects.setdefault(row.aspect_code, {"aspect": row.aspect, "strengths": [], "weaknesses": []})
        if row.final is not None and row.final >= STRENGTH:
            entry["strengths"].append(row)
        elif row.final is not None and row.final < WEAKNESS:
            entry["weaknesses"].append(row)
    return list(aspects.values())


def hasil(evaluation: Evaluation) -> dict[str, Any]:
    """The Laporan Hasil's context: 11 queries (13 with earlier finalised years for the trend)."""
    results = stage_results(evaluation)
    rows = indicator_rows(evaluation)
    final = results[-1] if results else None
    groups = group_rows(evaluation, results)
    history = charts.index_history(evaluation, results)
    national = charts.national_points(evaluation.framework.meta) if history else []
    tree = [(g.code, g.name, g.parent) for g in groups[1:]]
    words = wording(evaluation.framework, groups)
    ctx = {
        **base(evaluation),
        "charts_history": history,
        "national": national,
        "words": words,
        "results": results,
        "self_result": next((r for r in results if r.stage == Stage.MANDIRI), None),
        "final": final,
        "groups": groups,
        "rows": rows,
        "official": any(s in r.values for r in rows for s in STAGE_ORDER[2:]),
        "aspects": strengths_by_aspect(rows),
        "advice": recommendations(evaluation, rows, final.result) if final else {"target": None, "steps": []},
        "charts": charts.chart_set(
            tree, results, history, national, evaluation.instansi.name, top_label=words.top, index_name=words.index
        ),
        "has_evidence": any(r.evidence for r in rows),
        # Which answers the self-assessment figure includes: every recorded value, drafts too.
        "included": {
            "total": sum(1 for r in rows if r.claimed is not None),
            "drafts": sum(1 for r in rows if r.claimed is not None and r.status == AnswerStatus.DRAFT),
        },
    }
    # The region's own target for the year (IKU), when an admin has set one: the summary compares.
    ctx["index_target"] = IndexTarget.objects.filter(instansi_id=evaluation.instansi_id, year=evaluation.year).first()
    ctx["summary"] = executive_summary(ctx)
    return ctx


# The emblem's URL in the HTML; reports.pdf serves it from memory (pdf.MEMORY_PREFIX), never from storage.
EMBLEM_URL = "file:///portal-memory/lambang.png"


def base(evaluation: Evaluation) -> dict[str, Any]:
    letterhead = Letterhead.objects.filter(instansi_id=evaluation.instansi_id).first()
    return {
        "letterhead": letterhead,
        "emblem_url": EMBLEM_URL if letterhead and letterhead.emblem else "",
        "evaluation": evaluation,
        "instansi": evaluation.instansi,
        "framework": evaluation.framework,
        "words": wording(evaluation.framework),
        "printed_at": timezone.localtime(),
    }
