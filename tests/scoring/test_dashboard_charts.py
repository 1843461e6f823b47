"""The progress page's charts (radar, aspect bars, trend) on screen: every text at 12 px or more.

The same SVG builders draw the PDFs at print size (10,5 units is 8 pt there). On the web they are
drawn at scoring.charts.ON_SCREEN and the page keeps that width, scrolling sideways on a narrow
screen instead of shrinking the chart (issue 20: "the web charts' labels are 7-8 px").
"""

from __future__ import annotations

import io
import re

import pytest
from defusedxml import ElementTree
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from assessment.models import Evaluation
from tests.reports.test_chart_legibility import label_boxes

pytestmark = pytest.mark.django_db
CHART = re.compile(r'<div class="spbe-chart chart-scroll" tabindex="0" role="region" [^>]*>(<svg.*?</svg>)', re.S)


def test_every_dashboard_chart_reads_at_12_px_or_more(client: Client) -> None:
    for command in ("load_framework", "load_demo"):  # as `make setup`
        call_command(command, stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="sekda.siak"))
    seen = set()
    for year in (2022, 2026):  # 59/2020 (radar and bars) and Pemdi with earlier years (bars and trend)
        evaluation = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=year)
        response = client.get(f"/indeks/evaluasi/{evaluation.pk}/")
        assert response.status_code == 200
        charts = CHART.findall(response.content.decode())
        assert len(charts) == 2, year
        for svg in charts:
            root = ElementTree.fromstring(svg)
            seen.add(root.attrib["aria-labelledby"].split("-title")[0])
            scale = float(root.attrib["width"]) / float(root.attrib["viewBox"].split()[2])
            _, boxes = label_boxes(svg)
            small = [(box[4], round(size * scale, 1)) for box, size in boxes if size * scale < 12 - 0.05]
            assert boxes and not small, small
    assert seen == {"chart-radar", "chart-aspects", "chart-trend"}


def test_the_reports_keep_print_size() -> None:
    from scoring.charts import Series, bars

    svg = bars("b", ["A1 Satu", "A2 Dua"], [Series("Mandiri", [None, None])], "Indeks per aspek")
    root = ElementTree.fromstring(svg)
    assert root.attrib["width"] == root.attrib["viewBox"].split()[2]  # one unit per point in the PDF's layout
