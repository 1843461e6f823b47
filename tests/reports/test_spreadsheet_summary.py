"""The Excel export's "Ringkasan" sheet: the index, predikat and every group per stage, as numbers."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assessment.models import Evaluation, FrameworkGroup, Opd
from reports.rendering import build
from scoring.results import stage_results

pytestmark = pytest.mark.django_db


def test_the_summary_sheet_comes_first_with_every_group_per_stage_as_numbers(siak_2022: Evaluation) -> None:
    book = load_workbook(io.BytesIO(build("xlsx", siak_2022).content))
    assert book.sheetnames == ["Ringkasan", "Indikator", "Keterangan"]
    sheet = book["Ringkasan"]
    rows = list(sheet.iter_rows(values_only=True))
    results = stage_results(siak_2022)
    assert list(rows[0][4:]) == [r.label for r in results]
    by_code = {row[0]: row for row in rows[1:]}
    index_row = rows[1]
    assert index_row[1] == "Indeks SPBE" and index_row[2] == "Indeks"
    final = results[-1].result
    assert final.index is not None
    assert index_row[4 + len(results) - 1] == pytest.approx(float(final.index.display)) == 2.35
    groups = FrameworkGroup.objects.filter(framework=siak_2022.framework)
    assert {g.code for g in groups} <= set(by_code)
    for group in groups:
        assert by_code[group.code][2] == ("Domain" if group.parent_id is None else "Aspek")
        for column, result in enumerate(results, start=4):
            score = result.result.groups.get(group.code)
            cell = sheet.cell(row=rows.index(by_code[group.code]) + 1, column=column + 1)
            assert cell.value == pytest.approx(float(score.display)) if score else cell.value is None
            if score:
                assert cell.data_type == "n" and cell.number_format == "0.00"
    predicates = rows[-1]
    assert predicates[1] == "Predikat" and predicates[4 + len(results) - 1] == final.index.predicate == "Cukup"
    assert sheet.cell(row=2, column=5).data_type == "n"


def test_an_open_evaluation_marks_its_stages_provisional_and_one_opds_export_has_no_summary(
    siak_2026: Evaluation,
) -> None:
    book = load_workbook(io.BytesIO(build("xlsx", siak_2026).content))
    header = next(book["Ringkasan"].iter_rows(values_only=True))
    if any(r.result.provisional for r in stage_results(siak_2026)):
        assert any(str(h).endswith("(sementara)") for h in header[4:])
    opd = Opd.objects.filter(instansi=siak_2026.instansi).first()
    assert opd is not None
    one = load_workbook(io.BytesIO(build("xlsx", siak_2026, opd).content))
    assert one.sheetnames == ["Indikator", "Keterangan"]  # instansi-wide figures stay out of an OPD's file


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_libreoffice_opens_the_workbook(siak_2022: Evaluation, tmp_path: Path) -> None:
    source = tmp_path / "siak.xlsx"
    source.write_bytes(build("xlsx", siak_2022).content)
    profile = (tmp_path / "profile").as_uri()  # its own profile: parallel runs do not share a lock
    done = subprocess.run(
        ["libreoffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    converted = tmp_path / "siak.pdf"
    assert converted.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(converted), "-"], capture_output=True, text=True, check=True).stdout
    assert "Indeks SPBE" in text and ("2.35" in text or "2,35" in text)  # the summary sheet prints first
