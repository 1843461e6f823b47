"""The home page (published ranking) and an evaluation's progress and index by stage."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessment.access import capabilities, evaluation_for, finalised_evaluations, membership, own_evaluations
from assessment.models import STAGE_ORDER, AnswerStatus, FrameworkGroup, InstansiKind, Stage, StageValue
from assessment.services.evaluations import finalise_blockers
from assessment.services.items import item_progress
from scoring.charts import charts_for
from scoring.engine import Score, round_half_up
from scoring.models import IMPORTED_STAGE, StoredResult
from scoring.results import EMPTY, as_result, stage_label, stage_results, standings, stored_summaries
from scoring.services import ScoredEvaluation, engine_framework
from scoring.stages import StageResult
from spbe_portal.numbers import parse_int


def _national_series(scored: list[ScoredEvaluation]) -> dict[int, Decimal]:
    series: dict[int, Decimal] = {}
    for item in scored:
        for row in item.evaluation.framework.meta.get("national_results", []):
            series.setdefault(int(row["year"]), Decimal(str(row["index"])))
    return series


RANKING_PAGE = 50  # rows per ranking page: 700 instansi in one table cost most of the request
# What the ranking (and storing a stale result) reads of its 700 evaluations: loading every
# column of three models per row, JSON fields included, cost a quarter of the request's CPU.
RANKED_FIELDS = (
    *("instansi_id", "framework_id", "year", "status", "predicate_basis", "is_demo"),
    *("instansi__name", "instansi__slug", "instansi__kind"),
    *("framework__short_name", "framework__structure_hash", "framework__meta", "framework__value_min"),
    *("framework__value_max", "framework__value_places", "framework__rounding_places"),
)


@dataclass
class RankRow:
    number: int
    item: ScoredEvaluation
    domains: list[Score | None]
    own: bool


@dataclass
class Ranking:
    rows: list[RankRow]
    columns: list[tuple[str, str]]
    national: Decimal | None
    page: Page | None  # type: ignore[type-arg]
    own_number: int | None  # the viewer's instansi's rank, so that any page can link to it
    own_page: int | None
    index_name: str = ""  # the framework's name of its index ("Indeks SPBE", "Indeks Pemdi")


def _ranking(year: int, framework_id: int, kind: str, page: str, instansi_id: int | None) -> Ranking:
    """One year's published results on one framework, best first, one page, a column per domain.

    Every evaluation is ranked by its exact index from the stored results' index columns alone
    (`standings`: one light query, no scoring unless values changed since they were stored);
    only the page's rows are then loaded in full and rendered. Queries are constant in the count.
    """
    query = finalised_evaluations().filter(year=year, framework_id=framework_id)
    if kind:
        query = query.filter(instansi__kind=kind)
    # Ordered by the exact index; the rounded one first, because comparing it is far cheaper
    # than comparing fractions and, rounding being monotonic, never contradicts the exact order.
    ranked = sorted(standings(query), key=lambda s: (-s.index, -s.exact, s.instansi_name))
    if not ranked:
        return Ranking([], [], None, None, None, None)
    own_number = next((n for n, s in enumerate(ranked, 1) if s.instansi_id == instansi_id), None)
    shown = Paginator(ranked, RANKING_PAGE).get_page(page)
    ids = [s.evaluation_id for s in shown]
    evaluations = query.filter(pk__in=[*ids, ranked[0].evaluation_id]).only(*RANKED_FIELDS).in_bulk()
    top = evaluations[ranked[0].evaluation_id]
    columns = [(g.code, g.code) for g in engine_framework(top.framework).groups if g.parent is None]
    codes = [code for code, _label in columns]
    stored = stored_summaries(ids)
    rows = []
    for number, standing in enumerate(shown, shown.start_index()):
        stages = stored[standing.evaluation_id]
        own = next((as_result(r, codes=()) for r in stages if r.stage == STAGE_ORDER[0]), EMPTY)
        latest = as_result(stages[-1], codes=codes)
        item = ScoredEvaluation(evaluation=evaluations[standing.evaluation_id], result=latest, self_assessed=own)
        domains = [latest.groups.get(code) for code in codes]
        rows.append(RankRow(number, item, domains, standing.instansi_id == instansi_id))
    national = _national_series([ScoredEvaluation(top, EMPTY, EMPTY)]).get(year)
    own_page = (own_number - 1) // RANKING_PAGE + 1 if own_number else None
    return Ranking(rows, columns, national, shown, own_number, own_page, top.framework.short_name)


def _frameworks_by_year() -> dict[int, list[tuple[int, str]]]:
    """Each year with published results and its framework versions, the most used first.

    A year can hold evaluations on two frameworks (SPBE 59/2020 and Pemdi 8/2026 side by side
    while instansi move over); their indices are on different scales, so they are ranked apart.
    """
    rows = (
        finalised_evaluations()
        .order_by()
        .values_list("year", "framework_id", "framework__short_name", "framework__version")
        .annotate(n=Count("pk"))
    )
    offered: dict[int, list[tuple[int, int, str]]] = {}
    for year, framework_id, name, version, n in rows:
        offered.setdefault(year, []).append((n, framework_id, f"{name} ({version})"))
    return {year: [(pk, label) for _n, pk, label in sorted(items, reverse=True)] for year, items in offered.items()}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The ranking of finalised evaluations: a published figure every logged-in user may see."""
    member = membership(request)
    offered = _frameworks_by_year()
    years = sorted(offered, reverse=True)
    requested = request.GET.get("tahun", "")
    asked = parse_int(requested)
    year = asked if asked in years else (years[0] if years else None)
    frameworks = offered.get(year, []) if year is not None else []
    chosen = request.GET.get("kerangka", "")
    framework_id = next((pk for pk, _label in frameworks if str(pk) == chosen), frameworks[0][0] if frameworks else 0)
    kind = request.GET.get("jenis", "")
    kind = kind if kind in InstansiKind.values else ""
    page = request.GET.get("halaman", "1")
    instansi_id = member.instansi_id if member else None
    ranking = _ranking(year, framework_id, kind, page, instansi_id) if year is not None else None
    elsewhere = None  # in a mixed year, the other table that ranks the viewer's instansi
    if year and ranking and ranking.own_number is None and instansi_id is not None and len(frameworks) > 1:
        own = finalised_evaluations().filter(year=year, instansi_id=instansi_id).exclude(framework_id=framework_id)
        elsewhere = next((f for f in frameworks if f[0] == own.values_list("framework_id", flat=True).first()), None)
    context = {
        "membership": member,
        "years": years,
        "year": year,
        "frameworks": frameworks,
        "framework_id": framework_id,
        "elsewhere": elsewhere,
        "kind": kind,
        "kinds": InstansiKind.choices,
        "ranking": ranking,
        "rows": ranking.rows if ranking else [],
        "columns": ranking.columns if ranking else [],
        "national": ranking.national if ranking else None,
        "own_open": list(own_evaluations(member).exclude(status="finalised")),
    }
    return render(request, "scoring/home.html", context)


@dataclass
class Row:
    label: str
    code: str
    depth: int
    scores: list[Score | None]

    @property
    def diff(self) -> Decimal | None:
        """The change from self-assessment to the latest stage, from exact values, rounded once."""
        first, last = (self.scores[0], self.scores[-1]) if len(self.scores) > 1 else (None, None)
        return round_half_up(last.exact - first.exact) if first and last else None


@require_GET
def evaluation_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress per OPD and the index per stage, for the instansi's own staff (404 elsewhere)."""
    member = membership(request)
    evaluation = evaluation_for(member, pk)
    # The stored rows, refreshed here if the data changed: finalising redirects to this page, so
    # an evaluation's results are stored as it is finalised (and the ranking reads them).
    results = stage_results(evaluation, stored=True)
    charts = charts_for(evaluation, results)  # the portal's own stages, without an imported one
    official = StoredResult.objects.filter(
        instansi_id=evaluation.instansi_id,
        framework_id=evaluation.framework_id,
        year=evaluation.year,
        stage=IMPORTED_STAGE,
    ).first()
    if official is not None:  # an imported official result sits beside the portal's own stages
        results = [*results, StageResult(IMPORTED_STAGE, stage_label(IMPORTED_STAGE), as_result(official))]
    groups = list(FrameworkGroup.objects.filter(framework=evaluation.framework).select_related("parent"))
    answers = evaluation.answers.all()
    # `answered` is an EXISTS, not a join: a join over stage values counted an answer once per stage.
    self_assessed = StageValue.objects.filter(answer=OuterRef("pk"), stage=Stage.MANDIRI)
    per_opd = (
        answers.values("lead_opd__short_name")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Exists(self_assessed)),
            submitted=Count("pk", filter=Q(status=AnswerStatus.SUBMITTED)),
            returned=Count("pk", filter=Q(status=AnswerStatus.RETURNED)),
            approved=Count("pk", filter=Q(status=AnswerStatus.APPROVED)),
        )
        .order_by("lead_opd__short_name")
    )
    waiting = (
        answers.filter(status=AnswerStatus.SUBMITTED)
        .select_related("indicator", "lead_opd")
        .order_by("submitted_at")[:5]
    )
    overdue = evaluation.deadline_passed(timezone.now())
    rows = [Row(_("Indeks"), "", 0, [r.result.index for r in results])] + [
        Row(g.name, g.code, 1 if g.parent_id is None else 2, [r.result.groups.get(g.code) for r in results])
        for g in groups
    ]
    # Evidence items (frameworks whose levels list them): counted per lead OPD and per indicator.
    items = item_progress(evaluation.pk)
    opd_rows = list(per_opd)
    if items is not None:
        opd_rows = [{**row, "items": items.per_opd.get(row["lead_opd__short_name"])} for row in opd_rows]
    can_finalise = capabilities(request).finalise and not evaluation.is_finalised
    context = {
        "evaluation": evaluation,
        "charts": charts,
        "results": results,
        "rows": rows,
        "per_opd": opd_rows,
        "items": items,
        "waiting": waiting,
        "overdue_count": answers.exclude(status=AnswerStatus.APPROVED).count() if overdue else 0,
        "can_finalise": can_finalise,
        "finalise_blockers": finalise_blockers(evaluation) if can_finalise else [],
        "now": timezone.now(),
    }
    return render(request, "scoring/evaluation_progress.html", context)
