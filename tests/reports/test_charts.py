"""The SVG charts: well-formed, accessible, with the figures in Indonesian format."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from assessment.models import Evaluation
from scoring import charts
from scoring.charts import Point, Series, charts_for
from tests.factories import EvaluationFactory, InstansiFactory

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # noqa: S314  (markup the portal generated, not untrusted input)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


def texts(root: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_radar_bars_and_trend_are_well_formed_and_state_their_figures() -> None:
    series = [Series("Verifikasi", [Decimal("2.50"), Decimal("2.20"), Decimal("1.55"), Decimal("2.68")]),
              Series("Mandiri", [Decimal("2.60"), Decimal("2.25"), Decimal("1.73"), Decimal("2.74")])]  # fmt: skip
    with translation.override("id"):
        radar = parse(charts.radar("r", ["D1 Kebijakan", "D2 Tata Kelola", "D3 Manajemen", "D4 Layanan"], series, "t"))
        bars = parse(charts.bars("b", ["A1", "A2", "A3", "A4"], series, "t"))
        trend = parse(
            charts.trend("l", [Point(2022, Decimal("2.35")), Point(2026, Decimal("2.92"), provisional=True)],
                         [Point(2022, Decimal("2.34")), Point(2024, Decimal("3.12"))], "Kabupaten Siak", "t")
        )  # fmt: skip
    for figure in ("2,50", "2,20", "1,55", "2,68"):
        assert figure in texts(radar) and figure in texts(bars)
    assert "2,60" in texts(bars)  # both series are labelled on the bars
    desc = radar.find(f"{SVG}desc")
    assert desc is not None and "D3 Manajemen: Verifikasi 1,55; Mandiri 1,73." in (desc.text or "")
    assert "2,92*" in texts(trend) and "3,12" in texts(trend) and "2026" in texts(trend)
    assert "sementara" in (trend.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_text_from_the_database_is_escaped() -> None:
    markup = charts.bars("x", ['<script>alert("x")</script> & co'], [Series("A&B", [None])], "<b>judul</b>")
    root = parse(markup)
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert '<script>alert("x")</script> & co' in texts(root)
    assert "–" in texts(root)  # noqa: RUF001  (no value: the en dash, not a zero)


@pytest.mark.django_db
def test_charts_for_the_demo_with_and_without_history(siak_2022: Evaluation, siak_2026: Evaluation) -> None:
    with translation.override("id"):
        first = charts_for(siak_2022)
        later = charts_for(siak_2026)
    assert set(first) == {"radar", "aspects"}  # no earlier finalised year, no trend
    assert "2,35" not in texts(parse(first["radar"]))  # domains, not the index
    assert "1,63" in texts(parse(first["aspects"])) and "1,33" in texts(parse(first["aspects"]))
    assert set(later) == {"radar", "aspects", "trend"}
    line = texts(parse(later["trend"]))
    assert "2,35" in line and "2,34" in line and "1,98" in line  # Siak 2022 and the national series


@pytest.mark.django_db
def test_an_evaluation_without_values_has_no_charts(framework59: object) -> None:
    evaluation = EvaluationFactory(framework=framework59, instansi=InstansiFactory())
    assert charts_for(evaluation) == {}
    assert render_to_string("scoring/_charts.html", {"charts": {}}).strip() == ""


@pytest.mark.django_db
def test_the_dashboard_include_renders_the_svg_unescaped(siak_2022: Evaluation) -> None:
    html = render_to_string("scoring/_charts.html", {"charts": charts_for(siak_2022)})
    assert html.count("<svg ") == 2 and "&lt;svg" not in html
    assert "Indeks per aspek" in html
