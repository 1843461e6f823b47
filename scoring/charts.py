"""Server-side SVG charts as strings: the same markup on the web dashboard and in the PDF reports.

No chart library: three small drawings (a radar over the top-level groups, bars per leaf group,
the index over the years beside the national index) are a few lines of SVG each, render in
WeasyPrint's own SVG engine, and need no JavaScript. Every chart carries a <title> and a <desc>
that state all its numbers, so a screen reader gets the data, not a picture. Figures are the
engine's display values (rounded once), localised by spbe_portal.formatting ("2,35" in Indonesian).
Text from the database is escaped; the result is marked safe for templates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from assessment.models import Evaluation, EvaluationStatus, FrameworkGroup
from scoring.results import stage_results, standings
from scoring.stages import StageResult
from spbe_portal import formatting

FONT = "DejaVu Sans, Arial, sans-serif"
# Dark blue solid for the latest stage, orange dashed for the self-assessment: the two stay
# distinguishable when a report is printed in black and white.
STYLES = (("#1f4e79", ""), ("#c55a11", "5 3"))
NATIONAL = ("#6c757d", "2 3")
HIGH = 5  # the maturity scale's top; charts start at 0 so that level 1 is a visible mark
# Small print: the reports print the radar 460 units wide at 125 mm, the bars 600 at 170 mm and the
# trend 480 at 140 mm (static/reports/print.css), so 10.5 units is at least 8 pt on paper.
SMALL = 10.5
# On the web the same SVG is drawn larger, so that its smallest text reads at 12 px; a narrow screen
# scrolls the chart sideways instead of shrinking it (templates/scoring/_charts.html).
ON_SCREEN = 12 / SMALL


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | None]


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal
    provisional: bool = False
    # The index the value belongs to (the framework's short name): points of different indices
    # (Indeks SPBE to 2025, Indeks Pemdi from 2026) are separate, labelled lines, never joined.
    series: str = ""


# Further series of the instansi's own index after the first (a later framework): green, long dash.
OWN_NEXT = (("#2e7d32", "7 3"), ("#6a1b9a", "1 2"))


def _num(value: Decimal | None) -> str:
    return formatting.number(value)


def _svg(uid: str, width: int, height: int, title: str, desc: str, body: list[str], scale: float = 1) -> SafeString:
    """The chart element; `scale` draws it larger than its viewBox (the web's ON_SCREEN), 1 for print."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width * scale:.0f}" height="{height * scale:.0f}" font-family="{FONT}" font-size="11" '
        f'aria-labelledby="{uid}-title {uid}-desc">'
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308  (every text above is escaped)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _legend(entries: Sequence[tuple[str, str, str]], x: float, y: float, bars: bool = False) -> list[str]:
    """A one-line legend of (label, colour, dash pattern) entries; `bars` draws filled boxes, the
    marks of a bar chart, instead of line swatches (the second series' box as pale as its bars)."""
    parts = []
    for k, (label, colour, dash) in enumerate(entries):
        if bars:
            opacity = 1 if k == 0 else 0.55
            swatch = (
                f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="18" height="9" fill="{colour}" fill-opacity="{opacity}"/>'
            )
        else:
            swatch = (
                f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 18:.1f}" y2="{y - 4:.1f}" stroke="{colour}" '
                f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
            )
        parts.append(swatch + f'<text x="{x + 23:.1f}" y="{y:.1f}">{escape(label)}</text>')
        x += 36 + 6.9 * len(label)
    return parts


def _series_legend(series: Sequence[Series]) -> list[tuple[str, str, str]]:
    return [(s.label, *STYLES[k % len(STYLES)]) for k, s in enumerate(series)]


def _describe(labels: Sequence[str], series: Sequence[Series]) -> str:
    return " ".join(
        f"{label}: " + "; ".join(f"{s.label} {_num(s.values[i])}" for s in series) + "."
        for i, label in enumerate(labels)
    )


def radar(uid: str, axes: Sequence[str], series: Sequence[Series], title: str, scale: float = 1) -> SafeString:
    """A radar over `axes` (3 or more), one polygon per series; the first series' values labelled."""
    width, height, cx, cy, r = 460, 330, 230, 160, 100
    n = len(axes)
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]

    def at(value: float, i: int) -> tuple[float, float]:
        return cx + r * value / HIGH * math.cos(angles[i]), cy + r * value / HIGH * math.sin(angles[i])

    body = []
    for ring in range(1, HIGH + 1):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(ring, i) for i in range(n)))
        body.append(f'<polygon points="{points}" fill="none" stroke="#ced4da" stroke-width="0.8"/>')
        # On the bisector between the last and the first axis: no value label sits there.
        bisector = -math.pi / 2 - math.pi / n
        rx, ry = cx + r * ring / HIGH * math.cos(bisector), cy + r * ring / HIGH * math.sin(bisector)
        body.append(
            f'<text x="{rx - 2:.1f}" y="{ry + 3:.1f}" text-anchor="end" fill="#6c757d" '
            f'font-size="{SMALL}">{ring}</text>'
        )
    for i, label in enumerate(axes):
        x, y = at(HIGH, i)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ced4da" stroke-width="0.8"/>')
        cos, sin = math.cos(angles[i]), math.sin(angles[i])
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lines = _wrap(label, 20)
        lx, ly = cx + (r + 12) * cos, cy + (r + 12) * sin + (4 if sin > 0.3 else 0)
        if sin < -0.3:  # above the chart: the last line sits just outside the ring
            ly -= 13 * (len(lines) - 1) + 2
        elif abs(sin) <= 0.3:
            ly -= 6.5 * (len(lines) - 1) - 4
        tspans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if j == 0 else 13}">{escape(t)}</tspan>' for j, t in enumerate(lines)
        )
        body.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{tspans}</text>')
    for k, s in reversed(list(enumerate(series))):
        colour, dash = STYLES[k % len(STYLES)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(float(v or 0), i) for i, v in enumerate(s.values)))
        opacity = "0.18" if k == 0 else "0"
        body.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="{opacity}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
        )
    if series:
        for i, v in enumerate(series[0].values):
            x, y = at(float(v or 0), i)
            cos, sin = math.cos(angles[i]), math.sin(angles[i])
            # The value sits just outside its vertex, away from the centre, clear of the polygon.
            anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
            tx, ty = (
                x + 7 * cos + (4 if abs(cos) <= 0.3 else 0),
                y + 7 * sin + (9 if sin > 0.3 else -1 if sin < -0.3 else -4),
            )
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{STYLES[0][0]}"/>')
            body.append(
                f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" font-weight="bold" '
                f'fill="{STYLES[0][0]}">{_num(v)}</text>'
            )
    body += _legend(_series_legend(series), 20, height - 10)
    return _svg(uid, width, height, title, _describe(axes, series), body, scale)


def bars(uid: str, labels: Sequence[str], series: Sequence[Series], title: str, scale: float = 1) -> SafeString:
    """Horizontal bars per label, one bar per series, each with its value at the end."""
    label_w, plot_w, bar_h, gap = 290, 270, 12, 10
    top = 18
    group_h = bar_h * max(len(series), 1) + gap
    height = top + group_h * len(labels) + 40
    width = label_w + plot_w + 40
    body = []
    for tick in range(HIGH + 1):
        x = label_w + plot_w * tick / HIGH
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + group_h * len(labels)}" stroke="#dee2e6"/>'
            f'<text x="{x:.1f}" y="{top - 7}" text-anchor="middle" fill="#6c757d" font-size="{SMALL}">{tick}</text>'
        )
    for i, label in enumerate(labels):
        y0 = top + group_h * i
        # Full names, wrapped onto two lines (a third line would not fit the group's height).
        lines = _wrap(label, 40)
        lines = lines if len(lines) <= 2 else [lines[0], " ".join(lines[1:])]
        first = y0 + group_h / 2 + 1 - 6 * (len(lines) - 1)
        tspans = "".join(
            f'<tspan x="{label_w - 6}" dy="{0 if j == 0 else 12}">{escape(t)}</tspan>' for j, t in enumerate(lines)
        )
        body.append(f'<text x="{label_w - 6}" y="{first:.1f}" text-anchor="end">{tspans}</text>')
        for k, s in enumerate(series):
            value = s.values[i]
            colour, _ = STYLES[k % len(STYLES)]
            w = plot_w * float(value or 0) / HIGH
            y = y0 + k * bar_h
            opacity = 1 if k == 0 else 0.55
            body.append(
                f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 1}" fill="{colour}" '
                f'fill-opacity="{opacity}"/>'
                f'<text x="{label_w + w + 3:.1f}" y="{y + bar_h - 2:.1f}" font-size="{SMALL}">{_num(value)}</text>'
            )
    body += _legend(_series_legend(series), 20, height - 10, bars=True)
    return _svg(uid, width, height, title, _describe(labels, series), body, scale)


def year_grid(
    years: Sequence[int], width: int, height: int, margins: tuple[int, int, int, int], size: float = SMALL
) -> tuple[Callable[[Point], tuple[float, float]], list[str]]:
    """The frame of a chart over the years: where a point goes, and the 0..5 grid with year labels.

    `margins` are (left, right, top, bottom); the trend charts of the dashboard and of the trend
    page share it, so both read the same scale. `size` is the axis labels' font size.
    """
    left, right, top, bottom = margins
    first, span = years[0], max(years[-1] - years[0], 1)
    single = len(years) == 1  # one year: its point in the middle, not on the axis

    inset = 22  # the first and last year stand clear of the axis labels, so their figures do too

    def x_of(year: int) -> float:
        return left + inset + (width - left - right - 2 * inset) * (0.5 if single else (year - first) / span)

    def xy(p: Point) -> tuple[float, float]:
        x = x_of(p.year)
        return x, top + (height - top - bottom) * (1 - float(p.value) / HIGH)

    body = []
    for tick in range(HIGH + 1):
        y = top + (height - top - bottom) * (1 - tick / HIGH)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 6}" y="{y + size * 2 / 7:.1f}" text-anchor="end" fill="#6c757d" '
            f'font-size="{size}">{tick}</text>'
        )
    for year in years:
        body.append(
            f'<text x="{x_of(year):.1f}" y="{height - bottom + 3.5 + size:g}" text-anchor="middle" '
            f'font-size="{size}">{year}</text>'
        )
    return xy, body


def trend(
    uid: str,
    own: Sequence[Point],
    national: Sequence[Point],
    own_label: str,
    title: str,
    index_name: str = "Indeks SPBE",
    scale: float = 1,
) -> SafeString:
    """The instansi's index over the years beside the national index; hollow points are provisional.

    `national` is the national figure of the framework named `index_name` (its file's
    national_results), so its legend names that index, never another framework's.
    """
    national_label = f"{index_name} nasional"
    width, height, left, right, top, bottom = 480, 250, 34, 16, 16, 56
    years = sorted({p.year for p in [*own, *national]})
    xy, body = year_grid(years, width, height, (left, right, top, bottom))
    series: dict[str, list[Point]] = {}
    for p in own:
        series.setdefault(p.series, []).append(p)
    styles = [(STYLES[0][0], ""), *OWN_NEXT]
    named = len(series) > 1
    lines: list[tuple[Sequence[Point], tuple[str, str], int, str]] = [(national, NATIONAL, 12, "#6c757d")]
    legend = []
    for (name, members), style in zip(series.items(), styles, strict=False):
        lines.append((members, style, -7, style[0]))
        legend.append((f"{own_label} · {name}" if named else own_label, *style))
    for points, (colour, dash), offset, text_colour in lines:
        coords = [xy(p) for p in points]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        for p, (x, y) in zip(points, coords, strict=True):
            fill = "#fff" if p.provisional else colour
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>')
            mark = "*" if p.provisional else ""
            body.append(
                f'<text x="{x:.1f}" y="{y + offset:.1f}" text-anchor="middle" font-size="{SMALL}" '
                f'fill="{text_colour}">{_num(p.value)}{mark}</text>'
            )
    if national or not named:
        legend.append((national_label, *NATIONAL))
    body += _legend(legend, 20, height - 12)
    if any(p.provisional for p in own):
        body.append(
            f'<text x="20" y="{height - 30}" font-size="{SMALL}">* sementara: belum semua indikator dinilai</text>'
        )

    def listing(points: Sequence[Point]) -> str:
        return "; ".join(f"{p.year} {_num(p.value)}{' (sementara)' if p.provisional else ''}" for p in points)

    if named:
        desc = " ".join(f"{own_label} · {name}: {listing(points)}." for name, points in series.items())
        desc += " Indeks dari kerangka yang berbeda; garisnya tidak disambung."
    else:
        desc = f"{own_label}: {listing(own)}."
    if national or not named:
        desc += f" {national_label}: " + "; ".join(f"{p.year} {_num(p.value)}" for p in national) + "."
    return _svg(uid, width, height, title, desc, body, scale)


def chart_set(
    groups: Sequence[tuple[str, str, str | None]],
    results: Sequence[StageResult],
    history: Sequence[Point],
    national: Sequence[Point],
    own_label: str,
    top_label: str = "Domain",
    index_name: str = "Indeks SPBE",
    scale: float = 1,
) -> dict[str, SafeString]:
    """The charts for one evaluation from data already gathered (the reports reuse their own).

    `groups` are (code, name, parent code) in framework order; the radar covers the top-level
    groups (domains; `top_label` is their kind's label) when they are not themselves the leaves
    (an aspects-only tree has only the bars), the bars the leaf groups (aspects). The series are the self-assessment and
    the latest stage, or the one stage there is. `history` is empty unless earlier finalised
    evaluations exist, and then includes this evaluation as its last point.
    """
    if not results:
        return {}
    chosen = [results[-1]] + ([results[0]] if len(results) > 1 else [])
    parents = {parent for _, _, parent in groups if parent}
    tops = [(code, name) for code, name, parent in groups if parent is None]
    leaves = [(code, name) for code, name, _ in groups if code not in parents]

    def series(codes: Sequence[str]) -> list[Series]:
        return [Series(r.label, [s.display if (s := r.result.groups.get(c)) else None for c in codes]) for r in chosen]

    charts: dict[str, SafeString] = {}
    if len(tops) >= 3 and tops != leaves:
        axes = [f"{code} {name}" for code, name in tops]
        title = f"Indeks per {top_label.lower()}"
        charts["radar"] = radar("chart-radar", axes, series([c for c, _ in tops]), title, scale)
    labels = [f"{code} {name}" for code, name in leaves]
    charts["aspects"] = bars("chart-aspects", labels, series([c for c, _ in leaves]), "Indeks per aspek", scale)
    if history:
        title = "Indeks dari tahun ke tahun"
        charts["trend"] = trend("chart-trend", history, national, own_label, title, index_name, scale)
    return charts


def national_points(meta: dict[str, object]) -> list[Point]:
    rows = meta.get("national_results", [])
    return [Point(int(row["year"]), Decimal(str(row["index"]))) for row in rows] if isinstance(rows, list) else []


def index_history(evaluation: Evaluation, results: Sequence[StageResult]) -> list[Point]:
    """Earlier finalised evaluations of the instansi (published figures) and this one, by year."""
    earlier = Evaluation.objects.filter(
        instansi_id=evaluation.instansi_id, status=EvaluationStatus.FINALISED, year__lt=evaluation.year
    )
    # Stored results' index columns: no scoring of earlier years, no group JSON decoded.
    points = [Point(s.year, s.index, series=s.framework_name) for s in standings(earlier)]
    current = results[-1].result if results else None
    if not points or current is None or current.index is None:
        return []
    now = Point(evaluation.year, current.index.display, current.provisional, evaluation.framework.short_name)
    return [*sorted(points, key=lambda p: p.year), now]


def charts_for(
    evaluation: Evaluation, results: Sequence[StageResult] | None = None, *, scale: float = ON_SCREEN
) -> dict[str, SafeString]:
    """The dashboard's charts for `evaluation`: keys "radar", "aspects" and, with history, "trend".

    Each value is a complete, escaped <svg> element; an evaluation without values gives {}.
    `results` are its stages' results when the caller has them (the dashboard: stored ones).
    Drawn for the screen (`ON_SCREEN`); the reports call `chart_set` at print size.
    """
    results = stage_results(evaluation) if results is None else results
    groups = FrameworkGroup.objects.filter(framework_id=evaluation.framework_id).order_by("position")
    tree = list(groups.values_list("code", "name", "parent__code", "kind"))
    rows = [(code, name, parent) for code, name, parent, _ in tree]
    history = index_history(evaluation, results)
    framework = evaluation.framework
    national = national_points(framework.meta) if history else []
    top = next((kind for *_, parent, kind in tree if parent is None), "")
    label = framework.group_kinds.get(top, "Domain") if isinstance(framework.group_kinds, dict) else "Domain"
    name = evaluation.instansi.name
    return chart_set(rows, results, history, national, name, label, framework.short_name, scale)
