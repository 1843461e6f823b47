"""Reports and charts across the switch: Siak's SPBE 2022 and its provisional Pemdi 2026."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessment.models import Evaluation, Framework
from reports.rendering import build
from scoring import charts
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.reports.conftest import evaluation, pdf_text

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def siak_pemdi(pemdi: Framework) -> Evaluation:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=io.StringIO())
    return evaluation(2026)


def test_the_pemdi_report_names_its_index_and_says_once_that_it_is_provisional(siak_pemdi: Evaluation) -> None:
    text = pdf_text(build("hasil", siak_pemdi).content)
    assert (
        "Indeks Pemdi tahap Penilaian Mandiri" in text
        and "Tingkat Kematangan Tata Kelola Pemerintah Digital Bappeda 2,75 2,60 Berkembang" in text
    )
    assert text.count("bersifat sementara") == 1
    assert "hal belum diverifikasi terhadap naskah resmi" in text


@pytest.mark.usefixtures("siak_pemdi")
def test_the_spbe_report_of_the_same_instansi_has_no_provisional_line() -> None:
    text = pdf_text(build("hasil", evaluation(2022)).content)
    assert "Indeks SPBE tahap Penilaian Mandiri" in text and "sementara:" not in text


def test_the_trend_shows_spbe_and_pemdi_as_separate_labelled_lines(siak_pemdi: Evaluation) -> None:
    svg = ElementTree.fromstring(charts.charts_for(siak_pemdi)["trend"])  # noqa: S314  (generated markup)
    lines = svg.findall(f"{SVG}polyline")
    assert lines == []  # one point per index so far: nothing is joined across the switch
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "Kabupaten Siak · Indeks SPBE" in texts and "Kabupaten Siak · Indeks Pemdi" in texts
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and "garisnya tidak disambung" in (desc.text or "")


def test_two_years_of_each_index_draw_two_lines_never_one() -> None:
    points = [charts.Point(2024, Decimal("2.10"), series="Indeks SPBE"),
              charts.Point(2025, Decimal("2.35"), series="Indeks SPBE"),
              charts.Point(2026, Decimal("1.90"), series="Indeks Pemdi"),
              charts.Point(2027, Decimal("2.20"), True, series="Indeks Pemdi")]  # fmt: skip
    svg = ElementTree.fromstring(charts.trend("t", points, [], "Kabupaten Siak", "Indeks"))  # noqa: S314
    lines = [line.get("points", "").split() for line in svg.findall(f"{SVG}polyline")]
    assert len(lines) == 2 and all(len(line) == 2 for line in lines)  # 2024-2025 and 2026-2027, not 2025-2026
    assert svg.findall(f"{SVG}polyline")[0].get("stroke") != svg.findall(f"{SVG}polyline")[1].get("stroke")


def test_the_pemdi_spreadsheets_have_an_aspect_column_and_no_empty_domain_column(siak_pemdi: Evaluation) -> None:
    header, *records = list(csv.reader(io.StringIO(build("csv", siak_pemdi).content.decode("utf-8-sig"))))
    assert "Domain" not in header and len(records) == 20
    assert all(record[header.index("Aspek")].startswith("A") for record in records)
    assert all(len(record) == len(header) for record in records)
    sheet = load_workbook(io.BytesIO(build("xlsx", siak_pemdi).content))["Indikator"]
    assert [c.value for c in sheet[1]] == header
    spbe = csv.reader(io.StringIO(build("csv", evaluation(2022)).content.decode("utf-8-sig")))
    assert "Domain" in next(spbe)  # 59/2020 keeps its domains
