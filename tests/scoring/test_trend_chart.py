"""The trend page's charts on screen: text of 12 px or more, no two labels overlapping, and a
trend of one year drawn as one point per series with its value (issue 20).

Label boxes are measured as in the PDF chart tests (tests/reports/test_chart_legibility.py):
DejaVu Sans metrics, placed by x/y and text-anchor. The page keeps the charts at their own
width (portal.css), so one SVG unit is one CSS pixel.
"""

from __future__ import annotations

import io
import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from assessment.models import Instansi
from scoring.charts import Point
from scoring.charts_trend import Line, trend_lines
from tests.reports.test_chart_legibility import SVG, label_boxes, overlaps

pytestmark = pytest.mark.django_db


def check_screen(svg: str) -> None:
    root = ElementTree.fromstring(svg)
    # Drawn at its width attribute: the viewBox is as wide, so a font-size unit is a pixel.
    assert float(root.attrib["width"]) == float(root.attrib["viewBox"].split()[2])
    _, boxes = label_boxes(svg)
    small = [(box[4], size) for box, size in boxes if size < 12]
    assert not small, small
    clashes = [(a[4], b[4]) for (a, _), (b, _) in itertools.combinations(boxes, 2) if overlaps(a, b)]
    assert not clashes, clashes


def charts_of(page: str) -> dict[str, str]:
    found = re.findall(r'data-testid="trend-chart-([\w-]+)">(<svg.*?</svg>)', page, re.S)
    return dict(found)


@pytest.mark.usefixtures("db")
def test_the_demo_trend_page_is_legible_and_no_label_overlaps(client: Client) -> None:
    for command in ("load_framework", "load_demo"):  # as `make setup`: both frameworks, then the demo
        call_command(command, stdout=io.StringIO())
    siak = Instansi.objects.get(slug="kabupaten-siak")
    client.force_login(get_user_model().objects.get(username="sekda.siak"))
    page = client.get(f"/indeks/instansi/{siak.pk}/tren/").content.decode()
    charts = charts_of(page)
    assert len(charts) == 2, charts.keys()  # 59/2020 (to 2025) and Pemdi (from 2026)
    spbe, pemdi = charts["permenpanrb-59-2020"], next(v for k, v in charts.items() if k != "permenpanrb-59-2020")
    # The demo's 2022: the result 2,35 beside the national 2,34 and the self-assessment 2,41.
    texts = [t.text for t in ElementTree.fromstring(spbe).iter(f"{SVG}text")]
    assert {"2,35", "2,34", "2,41"} <= set(texts)
    for svg in charts.values():
        check_screen(svg)
    # The Pemdi trend has one year: each series is one marker with its value, in the middle.
    root = ElementTree.fromstring(pemdi)
    legend_y = max(float(c.attrib["cy"]) for c in root.iter(f"{SVG}circle"))
    markers = [c for c in root.iter(f"{SVG}circle") if float(c.attrib["cy"]) < legend_y - 1]
    squares = [r for r in root.iter(f"{SVG}rect") if float(r.attrib["y"]) < legend_y - 10]
    assert len(markers) == 1 and len(squares) == 1
    assert abs(float(markers[0].attrib["cx"]) - 560 / 2) < 20
    values = [t.text or "" for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d,\d\d\*?", t.text or "")]
    assert len(values) == 2  # one value per point, nothing else
    assert "<polyline" not in pemdi  # one point is not a line


def test_the_page_keeps_charts_at_their_width() -> None:
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    assert ".chart-scroll svg.chart { max-width: none; }" in css
    template = (Path(settings.BASE_DIR) / "templates/scoring/trend.html").read_text()
    assert 'class="chart-box chart-scroll"' in template


@pytest.mark.parametrize(
    "values",
    [
        ("2.35", "2.34", "2.41"),  # the demo's 2022
        ("2.35", "2.35", "2.35"),  # three equal figures
        ("0.00", "0.01", "5.00"),  # at the edges of the scale
        ("2.62", "2.64", "2.63"),
    ],
)
def test_close_figures_never_collide(values: tuple[str, str, str]) -> None:
    lines = [
        Line(f"Seri {n}", [Point(2021, Decimal("2.1") + n / Decimal(10)), Point(2022, Decimal(v), n == 1)])
        for n, v in enumerate(values)
    ]
    lines.append(Line("Nasional", [Point(y, Decimal("2.30")) for y in range(2018, 2026)]))
    check_screen(str(trend_lines("t", lines, "Tren")))
