"""The report charts at print size: no text under 8 pt and no two labels overlapping.

Each label's box is measured with the font the PDF embeds (DejaVu Sans, through Pillow's
FreeType metrics), placed by its x/y, tspan dy and text-anchor; the print width of each chart
comes from static/reports/print.css, so a stylesheet change that shrinks a chart fails here.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.conf import settings
from PIL import ImageFont

from assessment.models import Evaluation
from reports import context
from scoring import charts
from scoring.charts import Point, Series

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
Box = tuple[float, float, float, float, str]


@cache
def font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def print_widths() -> dict[str, float]:
    css = (Path(settings.BASE_DIR) / "static/reports/print.css").read_text()
    return {name: float(mm) for name, mm in re.findall(r"\.chart-(radar|bars|trend) \{ width: ([\d.]+)mm", css)}


def label_boxes(svg: str) -> tuple[float, list[tuple[Box, float]]]:
    """The viewBox width and every label's box (x0, y0, x1, y1, text) with its font size."""
    root = ElementTree.fromstring(svg)
    view_width = float(root.attrib["viewBox"].split()[2])
    base = float(root.attrib.get("font-size", 11))
    out = []
    for text in root.iter(f"{SVG}text"):
        size = float(text.attrib.get("font-size", base))
        bold = text.attrib.get("font-weight") == "bold"
        anchor = text.attrib.get("text-anchor", "start")
        x, y = float(text.attrib["x"]), float(text.attrib["y"])
        parts = list(text.iter(f"{SVG}tspan")) or [text]
        for part in parts:
            if part is not text:
                x = float(part.attrib.get("x", x))
                y += float(part.attrib.get("dy", 0))
            content = part.text or ""
            width = font(size, bold).getlength(content)
            x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
            # Ink from the cap height down to the baseline (digits and capitals; descenders rare).
            out.append(((x0, y - 0.73 * size, x0 + width, y + 0.05 * size, content), size))
    return view_width, out


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check(svg: str, print_mm: float) -> None:
    view_width, boxes = label_boxes(svg)
    for box, size in boxes:
        points = size * print_mm / view_width / 0.3528
        assert points >= 7.95, f"{box[4]!r} prints at {points:.1f} pt"
    clashes = [(a[4], b[4]) for (a, _), (b, _) in itertools.combinations(boxes, 2) if overlaps(a, b)]
    assert not clashes, clashes


def test_the_laporan_hasil_charts_are_legible_and_nothing_overlaps(
    siak_2022: Evaluation, siak_2026: Evaluation
) -> None:
    widths = print_widths()
    drawn = 0
    for evaluation in (siak_2022, siak_2026):
        found = context.hasil(evaluation)["charts"]
        for name, key in (("radar", "radar"), ("aspects", "bars"), ("trend", "trend")):
            if name in found:
                check(found[name], widths[key])
                drawn += 1
    assert drawn >= 4


def test_full_names_are_drawn_not_cut(siak_2022: Evaluation) -> None:
    svg = context.hasil(siak_2022)["charts"]["aspects"]
    _, boxes = label_boxes(svg)
    words = " ".join(box[4] for box, _ in boxes)
    assert "…" not in words
    assert "A7 Layanan Administrasi Pemerintahan Berbasis Elektronik" in " ".join(words.split())


def test_the_bar_legend_draws_boxes_like_the_bars() -> None:
    svg = charts.bars("b", ["A1 Satu", "A2 Dua"], [Series("Verifikasi", [Decimal(2), Decimal(3)]),
                                                   Series("Mandiri", [Decimal(2), Decimal(4)])], "t")  # fmt: skip
    root = ElementTree.fromstring(svg)
    legend_lines = [line for line in root.iter(f"{SVG}line") if line.attrib.get("stroke-width") == "2.5"]
    assert legend_lines == []  # no line swatches: the legend's marks are boxes, like the bars
    swatches = [r for r in root.iter(f"{SVG}rect") if r.attrib.get("width") == "18"]
    assert len(swatches) == 2


def test_a_trend_of_one_point_is_one_labelled_point_mid_chart() -> None:
    svg = charts.trend(
        "t", [Point(2026, Decimal("2.35"), True, "Indeks Pemdi")], [], "Kabupaten Siak", "t", "Indeks Pemdi"
    )
    root = ElementTree.fromstring(svg)
    (circle,) = list(root.iter(f"{SVG}circle"))
    assert abs(float(circle.attrib["cx"]) - 480 / 2) < 30
    assert "2,35*" in [t.text for t in root.iter(f"{SVG}text")]
    check(svg, print_widths()["trend"])


def test_close_figures_on_the_trend_do_not_collide() -> None:
    own = [Point(2021, Decimal("2.20")), Point(2022, Decimal("2.35"))]
    national = [Point(2021, Decimal("2.24")), Point(2022, Decimal("2.34"))]
    check(charts.trend("t", own, national, "Kabupaten Siak", "t"), print_widths()["trend"])
