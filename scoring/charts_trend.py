"""The trend chart: several labelled series over the years, readable without colour.

Each series has its own marker shape and dash pattern and every point carries its value, so
the chart reads the same printed in black and white. One chart shows one framework: series of
different frameworks (with different scales or bands) are never drawn as one line.
"""

from __future__ import annotations

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


def trend_lines(uid: str, lines: Sequence[Line], title: str) -> SafeString:
    """Lines over the years on the framework's 0..5 scale; hollow markers are provisional."""
    width, left, right, top = 560, 34, 16, 16
    bottom = 40 + 16 * len(lines)
    height = 210 + bottom
    years = sorted({p.year for line in lines for p in line.points})
    xy, body = year_grid(years, width, height, (left, right, top, bottom))
    for n, line in enumerate(lines):
        colour, dash, shape = LOOKS[n % len(LOOKS)]
        coords = [xy(p) for p in sorted(line.points, key=lambda p: p.year)]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        offset = -8 if n % 2 == 0 else 14  # alternate labels above and below so they rarely collide
        for p, (x, y) in zip(sorted(line.points, key=lambda p: p.year), coords, strict=True):
            body.append(_marker(shape, x, y, colour, p.provisional))
            body.append(
                f'<text x="{x:.1f}" y="{y + offset:.1f}" text-anchor="middle" font-size="8.5" fill="{colour}">'
                f"{_num(p.value)}{'*' if p.provisional else ''}</text>"
            )
    for n, line in enumerate(lines):
        colour, dash, shape = LOOKS[n % len(LOOKS)]
        y = height - bottom + 30 + 16 * n
        body.append(
            f'<line x1="20" y1="{y - 4}" x2="44" y2="{y - 4}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
        )
        body.append(_marker(shape, 32, y - 4, colour, False))
        body.append(f'<text x="50" y="{y}" font-size="9">{escape(line.label)}</text>')
    desc = " ".join(
        f"{line.label}: " + "; ".join(f"{p.year} {_num(p.value)}{' (sementara)' if p.provisional else ''}"
                                      for p in sorted(line.points, key=lambda p: p.year)) + "."
        for line in lines
    )  # fmt: skip
    return _svg(uid, width, height, title, desc, body)
