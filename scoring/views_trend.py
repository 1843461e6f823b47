"""An instansi's index over the years, one chart per framework, beside the national index."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessment.access import membership, reads_instansi
from assessment.models import STAGE_ORDER, Evaluation, EvaluationStatus, Framework, Instansi
from scoring.charts import Point, national_points
from scoring.charts_trend import Line, trend_lines
from scoring.models import IMPORTED_STAGE, StoredResult
from scoring.results import results_for, stage_label


@dataclass
class FrameworkTrend:
    framework: Framework
    lines: list[Line] = field(default_factory=list)
    chart: SafeString | None = None


def _latest_label(finalised: bool) -> str:
    """A running evaluation's figure has its own series, so it is never read as a final result."""
    if finalised:
        return _("Hasil akhir evaluasi di portal")
    return _("Indeks sementara (evaluasi masih berjalan)")


@require_GET
def trend(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone sees published (finalised) figures; the instansi's own people and its provincial
    coordinator also see work in progress and the imported official results."""
    instansi = get_object_or_404(Instansi, pk=pk)
    private = reads_instansi(membership(request), instansi.pk)
    query = Evaluation.objects.filter(instansi=instansi).select_related("framework")
    if not private:
        query = query.filter(status=EvaluationStatus.FINALISED)
    evaluations = list(query)
    stored = results_for(evaluations)
    imported = (
        list(StoredResult.objects.filter(instansi=instansi, stage=IMPORTED_STAGE).select_related("framework"))
        if private
        else []
    )
    if not evaluations and not imported:
        raise Http404  # nothing this user may see: no existence oracle either
    series: dict[int, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    frameworks = {e.framework_id: e.framework for e in evaluations} | {r.framework_id: r.framework for r in imported}
    for row in imported:
        if row.index is not None:
            series[row.framework_id][stage_label(IMPORTED_STAGE)].append(Point(row.year, row.index))
    for evaluation in evaluations:
        rows = stored.get(evaluation.pk, [])
        latest = rows[-1] if rows else None
        own = next((r for r in rows if r.stage == STAGE_ORDER[0]), None)
        finalised = evaluation.status == EvaluationStatus.FINALISED
        if latest is not None and latest.index is not None:
            points = series[evaluation.framework_id][_latest_label(finalised)]
            points.append(Point(evaluation.year, latest.index, not finalised or bool(latest.missing)))
        if own is not None and own.index is not None and own is not latest:
            series[evaluation.framework_id][stage_label(STAGE_ORDER[0])].append(
                Point(evaluation.year, own.index, bool(own.missing))
            )
    trends = []
    for framework_id, lines in sorted(series.items(), key=lambda item: frameworks[item[0]].code):
        framework = frameworks[framework_id]
        item = FrameworkTrend(framework, [Line(label, points) for label, points in lines.items()])
        national = national_points(framework.meta)
        if national:
            item.lines.append(Line(_("%(index)s nasional") % {"index": framework.short_name}, national))
        title = _("Indeks %(name)s dari tahun ke tahun (%(framework)s)") % {
            "name": instansi.name,
            "framework": framework.short_name,
        }
        item.chart = trend_lines(f"trend-{framework_id}", item.lines, title)
        trends.append(item)
    years = sorted({p.year for t in trends for line in t.lines for p in line.points})
    tables = [
        (t, [(line.label, [next((p for p in line.points if p.year == y), None) for y in years]) for line in t.lines])
        for t in trends
    ]
    context = {"instansi": instansi, "private": private, "trends": tables, "years": years}
    return render(request, "scoring/trend.html", context)
