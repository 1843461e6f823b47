"""Issue 14 item 13: PDFs and workbooks write figures and times through spbe_portal.formatting.

Reports are Indonesian documents whatever the requester's language, so every build here runs in
an English session: a time must still read "23.59 WIB", never "23:59", and the month Indonesian.
Workbook figures stay numbers; their cells carry a display format of the framework's places.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from assessment.models import Answer, Evaluation, Framework, Stage
from assessment.services import answers as workflow
from assessment.services.evaluations import create_evaluation
from reports.rendering import build
from spbe_portal import formatting
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.reports.test_documents import pdftotext
from tests.world import make_side

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2026, 12, 31, 16, 59, tzinfo=UTC)  # 31 Desember 2026, 23.59 WIB
FINALISED = datetime(2026, 11, 30, 19, 23, tzinfo=UTC)  # 1 Desember 2026, 02.23 WIB: the WIB day, not UTC's
PRINTED = re.compile(r"Dicetak (\d{1,2} \w+ \d{4}) pukul (\d{2})\.(\d{2}) WIB")


def english_build(kind: str, evaluation: Evaluation, **options: str) -> bytes:
    with translation.override("en"):
        return build(kind, evaluation, **options).content  # type: ignore[arg-type]


def test_the_progress_pdf_writes_its_deadline_and_print_time_as_the_module_does(
    siak_2026: Evaluation, tmp_path: Path
) -> None:
    Evaluation.objects.filter(pk=siak_2026.pk).update(deadline=DEADLINE)
    siak_2026.refresh_from_db()
    before = timezone.now()
    text = pdftotext(english_build("opd", siak_2026), tmp_path)
    assert "tenggat 31 Desember 2026 pukul 23.59 WIB" in text
    assert formatting.wib(DEADLINE, date=False, language="id") == "23.59 WIB"  # the same writer
    printed = PRINTED.search(text)
    assert printed is not None, text[:400]
    assert printed.group(1) == formatting.day(before, language="id")  # the running footer, WIB day, Indonesian
    assert not re.search(r"\b\d{2}:\d{2}\b", text)  # no English clock anywhere


def test_the_result_pdf_writes_the_finalisation_time_in_wib(siak_2022: Evaluation, tmp_path: Path) -> None:
    Evaluation.objects.filter(pk=siak_2022.pk).update(finalised_at=FINALISED)
    siak_2022.refresh_from_db()
    text = pdftotext(english_build("berita-acara", siak_2022), tmp_path)
    assert "difinalkan pada tanggal 1 Desember 2026 pukul 02.23 WIB" in text
    assert "30 November 2026" not in text and "02:23" not in text
    assert "2,35" in text and "2.35" not in text  # the index, Indonesian digits


def test_the_indicator_workbook_keeps_levels_as_numbers_with_the_frameworks_format(siak_2026: Evaluation) -> None:
    book = load_workbook(io.BytesIO(english_build("xlsx", siak_2026)))
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    column = header.index(str(Stage.MANDIRI.label))
    valued = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value is not None]
    assert valued, "the demo's 2026 answers carry self-assessed levels"
    assert {(c.data_type, c.number_format) for c in valued} == {("n", "0")}  # whole levels of 59/2020
    notes = dict(book["Keterangan"].iter_rows(values_only=True))
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WIB", notes["Dicetak"]), notes["Dicetak"]
    assert notes["Dicetak"].split(" pukul")[0] == formatting.day(timezone.now(), language="id")
    summary = book["Ringkasan"]
    figures = [
        c for row in summary.iter_rows(min_row=2, min_col=5) for c in row if c.data_type == "n" and c.value is not None
    ]
    assert figures and {c.number_format for c in figures} == {"0.00"}


def test_a_decimal_scale_shows_its_places_and_an_exact_value_stays_a_formula(pemdi: Framework) -> None:  # noqa: F811
    side = make_side("fm")
    evaluation = create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    answer = Answer.objects.get(evaluation=evaluation, indicator__number=13)
    workflow.save_draft(answer, side.users["verifikator"], value=Fraction(7, 6), explanation="Nilai asesor.",
                        seen_version=answer.version)  # fmt: skip
    sheet = load_workbook(io.BytesIO(english_build("xlsx", evaluation)))["Indikator"]
    header = [c.value for c in sheet[1]]
    [cell] = [r[header.index(str(Stage.MANDIRI.label))] for r in sheet.iter_rows(min_row=2) if r[0].value == 13]
    assert (cell.value, cell.number_format) == ("=7/6", formatting.cell_format(pemdi.value_places))
    assert pemdi.value_places == 2 and cell.number_format == "0.00"  # Excel shows 1,17 in an Indonesian locale


def test_the_plan_workbook_formats_levels_and_indices(siak_2022: Evaluation) -> None:
    book = load_workbook(io.BytesIO(english_build("rencana-xlsx", siak_2022, target="3,00")))
    first = next(book["Rencana"].iter_rows(min_row=2, max_row=2))
    assert [c.number_format for c in first[3:7]] == ["0", "0", "0.00", "0.00"]  # Dari, Ke, Tambahan, Indeks
    assert all(c.data_type == "n" for c in first[3:7])
    notes = {row[0].value: row[1] for row in book["Ringkasan"].iter_rows()}
    assert (notes["Indeks saat ini"].value, notes["Indeks saat ini"].number_format) == (2.35, "0.00")
    assert notes["Target"].number_format == "0.00"
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WIB", notes["Dicetak"].value)
