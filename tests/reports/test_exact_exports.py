"""An exact value finer than two places (an assessor's 7/6) leaves the portal exact: the Excel
cell is the formula =7/6 (a number Excel computes), the CSV says 7/6, and the archive keeps it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessment.models import Answer, Framework, Stage, StageValue
from assessment.services import answers as workflow
from assessment.services.evaluations import create_evaluation
from reports.indicator_rows import indicator_rows
from reports.spreadsheet import to_csv, to_xlsx
from tests.archive.test_export_import import forget
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.world import make_side

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(pemdi: Framework) -> tuple[object, Answer]:  # noqa: F811
    side = make_side("ex")
    evaluation = create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    answer = Answer.objects.get(evaluation=evaluation, indicator__number=13)
    workflow.save_draft(answer, side.users["verifikator"], value=Fraction(7, 6), explanation="Nilai asesor.",
                        seen_version=answer.version)  # fmt: skip
    return evaluation, answer


def test_excel_and_csv_carry_the_fraction(evaluation: tuple[object, Answer]) -> None:
    rows = indicator_rows(evaluation[0])  # type: ignore[arg-type]
    sheet = load_workbook(io.BytesIO(to_xlsx(rows, []))).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    i13 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == 13)
    assert i13[header.index("Penilaian Mandiri")] == "=7/6"
    table = list(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig"))))
    row = next(r for r in table[1:] if r[0] == "13")
    assert row[table[0].index("Penilaian Mandiri")] == "7/6"


@pytest.mark.usefixtures("evaluation")
def test_the_archive_keeps_the_exact_value(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    call_command(
        "spbe_export", "--instansi", "kabupaten-ex", "--year", "2026", "--output", str(path), stdout=StringIO()
    )
    with zipfile.ZipFile(path) as zipped:
        data = json.loads(zipped.read("data.json"))
    [row] = [v for v in data["stage_values"] if v["answer"] == "I13"]
    assert (row["value"], row["exact"]) == ("1.17", "7/6")
    forget("kabupaten-ex", [u["username"] for u in data["users"]])
    call_command("spbe_import", "--input", str(path), stdout=StringIO())
    restored = StageValue.objects.get(answer__evaluation__instansi__slug="kabupaten-ex", stage=Stage.MANDIRI)
    assert (restored.value, restored.number) == (Decimal("1.17"), Fraction(7, 6))
