"""What the reports show, gathered with a fixed number of queries whatever the data size.

`reports.indicator_rows` gives the per-indicator rows every kind shares (the per-indicator
table, the OPD report and the spreadsheets); `hasil` adds the index per stage, the groups,
recommendations and charts. Figures come from the engine (`scoring.results.stage_results`,
`improvement_steps`): exact, rounded once for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone

from assessment.models import (
    STAGE_ORDER,
    AnswerStatus,
    Evaluation,
    Framework,
    FrameworkGroup,
    IndexTarget,
    IndicatorLevel,
    Letterhead,
    Stage,
)
from reports.indicator_rows import IndicatorRow, indicator_rows
from reports.models import abbreviation
from reports.summary import executive_summary
from scoring import charts, engine
from scoring.engine import round_half_up
from scoring.results import stage_results
from scoring.services import engine_framework
from scoring.stages import StageResult
from spbe_portal import formatting

STRENGTH = Decimal(4)  # the guideline: levels 4-5 are strengths,
WEAKNESS = Decimal(3)  # levels 1-2 (below 3) weaknesses


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
