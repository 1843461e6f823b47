"""The trend chart: several labelled series over the years, readable without colour.

Each series has its own marker shape and dash pattern and every point carries its value, so
the chart reads the same printed in black and white. One chart shows one framework: series of
different frameworks (with different scales or bands) are never drawn as one line.

The chart is drawn for the screen at its own width (the page scrolls it sideways rather than
shrink it, static/css/portal.css), so its text is at least 12 px. Close figures of one year
(a result of 2,35 beside a national 2,34) are the normal case, so each value label is placed
where it overlaps no other label and no marker: above or below its point, then beside it, then
further out. Markers of one year that would sit on each other are set a little apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString

from scoring.charts import Point, _num, _svg, year_grid

# (colour, dash pattern, marker): distinguishable by shape and dash alone.
LOOKS = (
    ("#1f4e79", "", "circle"),
    ("#c55a11", "6 3", "square"),
    ("#2e7d32", "1 3", "triangle"),
    ("#6c757d", "2 3", "diamond"),
)
LABEL, AXIS = 13.0, 12.5  # font sizes in px at the chart's own width
MARK = 4.5  # a marker's half size
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Line:
    label: str
    points: Sequence[Point]


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = "#fff" if hollow else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" {common}/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 4.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{points}" {common}/>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 4.5:.1f} {x - 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} {x + 4.5:.1f},{y:.1f}"
        return f'<polygon points="{points}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" {common}/>'


def _text_width(text: str, size: float) -> float:
    """A generous width for DejaVu Sans (digits are 0.64 em, the comma 0.32): boxes never undershoot."""
    return sum(0.34 if c in ",." else 0.66 for c in text) * size


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place(text: str, x: float, y: float, prefer_above: bool, taken: list[Box], area: Box) -> tuple[float, float, str]:
    """Where the label of the point (x, y) goes: (x, baseline, text-anchor), clear of `taken`."""
    w, h = _text_width(text, LABEL), LABEL * 0.8
    above = (x, y - MARK - 3, "middle")
    below = (x, y + MARK + 3 + h, "middle")
    right = (x + MARK + 4, y + h / 2, "start")
    left = (x - MARK - 4, y + h / 2, "end")
    candidates = [above, below] if prefer_above else [below, above]
    candidates += [right, left]
    for step in range(1, 6):  # further out, one line at a time
        shift = step * (h + 3)
        out = [(x, above[1] - shift, "middle"), (x, below[1] + shift, "middle")]
        candidates += out if prefer_above else out[::-1]
    for cx, baseline, anchor in candidates:
        x0 = cx - w if anchor == "end" else cx - w / 2 if anchor == "middle" else cx
        box = (x0 - 1, baseline - h - 1, x0 + w + 1, baseline + 2)
        inside = area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
        if inside and not any(_overlaps(box, other) for other in taken):
            taken.append(box)
            return cx, baseline, anchor
    return above  # nowhere free (a crowded column of many series): above its point, as before


def _dodge(columns: dict[int, list[tuple[int, float]]]) -> dict[tuple[int, int], float]:
    """Horizontal offsets for markers of one year closer than two marker sizes, so each is seen."""
    shifts: dict[tuple[int, int], float] = {}
    for year, members in columns.items():
        ys = sorted(y for _, y in members)
        if len(members) > 1 and min(b - a for a, b in itertools.pairwise(ys)) < 2 * MARK + 1:
            for k, (n, _) in enumerate(members):
                shifts[(n, year)] = (k - (len(members) - 1) / 2) * (2 * MARK + 2)
    return shifts


def trend_lines(uid: str, lines: Sequence[Line], title: str) -> SafeString:
    """Lines over the years on the framework's 0..5 scale; hollow markers are provisional."""
    width, left, right, top = 560, 34, 16, 22
    bottom = 44 + 20 * len(lines)
    height = 230 + bottom
    years = sorted({p.year for line in lines for p in line.points})
    xy, body = year_grid(years, width, height, (left, right, top, bottom), AXIS)
    ordered = [sorted(line.points, key=lambda p: p.year) for line in lines]
    columns: dict[int, list[tuple[int, float]]] = {}
    for n, points in enumerate(ordered):
        for p in points:
            columns.setdefault(p.year, []).append((n, xy(p)[1]))
    shifts = _dodge(columns)
    coords = [[(xy(p)[0] + shifts.get((n, p.year), 0), xy(p)[1]) for p in points] for n, points in enumerate(ordered)]
    taken: list[Box] = [(x - MARK, y - MARK, x + MARK, y + MARK) for line in coords for x, y in line]
    labels = []
    for n, (points, line_xy) in enumerate(zip(ordered, coords, strict=True)):
        colour, dash, shape = LOOKS[n % len(LOOKS)]
        if len(line_xy) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line_xy)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        for p, (x, y) in zip(points, line_xy, strict=True):
            body.append(_marker(shape, x, y, colour, p.provisional))
            # The highest point of its year is labelled above, the others below where they can be.
            highest = y <= min(other for _, other in columns[p.year])
            labels.append((p, x, y, highest, colour))
    area = (left, 0, width - right, height - bottom)
    for p, x, y, highest, colour in sorted(labels, key=lambda item: (item[0].year, item[2])):
        text = f"{_num(p.value)}{'*' if p.provisional else ''}"
        lx, ly, anchor = _place(text, x, y, highest, taken, area)
        body.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="{LABEL}" fill="{colour}">{text}</text>'
        )
    for n, line in enumerate(lines):
        colour, dash, shape = LOOKS[n % len(LOOKS)]
        y = height - bottom + 40 + 20 * n
        body.append(
            f'<line x1="20" y1="{y - 4.5}" x2="44" y2="{y - 4.5}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
        )
        body.append(_marker(shape, 32, y - 4.5, colour, False))
        body.append(f'<text x="52" y="{y}" font-size="{LABEL}">{escape(line.label)}</text>')
    desc = " ".join(
        f"{line.label}: " + "; ".join(f"{p.year} {_num(p.value)}{' (sementara)' if p.provisional else ''}"
                                      for p in sorted(line.points, key=lambda p: p.year)) + "."
        for line in lines
    )  # fmt: skip
    return _svg(uid, width, height, title, desc, body)
