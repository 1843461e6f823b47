"""The one tabular reader (assessment/tabular.py) behind the Excel questionnaire import and the
official-results import: caps, formats, row numbers and cell text."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import Workbook

from assessment import tabular


def xlsx(*rows: Sequence[object], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_blank_rows_are_dropped_and_the_others_keep_their_numbers() -> None:
    table = tabular.read(xlsx([" No ", "Nilai"], [1, 2.5], [None, None], [3, "=1+2"]), max_bytes=10**6, max_rows=10,
                         formulas=True)  # fmt: skip
    assert table.header == ["no", "nilai"]
    assert table.rows == [(2, [1, 2.5]), (4, [3, "=1+2"])]
    assert table.columns({"nilai": "value"}) == {"value": 1}


def test_a_csv_with_semicolons_reads_like_a_workbook() -> None:
    table = tabular.read(b"tahun;D1\n2024;2,35\n", name="hasil.CSV", max_bytes=10**6, max_rows=10)
    assert table.header == ["tahun", "d1"] and table.rows == [(2, ["2024", "2,35"])]


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [(b"x" * 101, "a.xlsx", "size"), (b"bukan excel", "a.xlsx", "unreadable"), (b"\xff\xfe", "a.csv", "encoding"),
     (b"a,b", "a.pdf", "type"), (b"\n\n", "a.csv", "empty")],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_by_kind(data: bytes, name: str, kind: str) -> None:
    with pytest.raises(tabular.TableError) as refused:
        tabular.read(data, name=name, max_bytes=100, max_rows=10)
    assert refused.value.kind == kind


def test_more_rows_than_the_cap_are_refused_without_reading_them_all() -> None:
    data = xlsx(["No"], *[[n] for n in range(50)])
    assert len(tabular.read(data, max_bytes=10**6, max_rows=50).rows) == 50
    with pytest.raises(tabular.TableError, match="rows"):
        tabular.read(data, max_bytes=10**6, max_rows=49)


def test_the_named_sheet_is_read_and_cells_become_text() -> None:
    table = tabular.read(xlsx(["No"], [1], title="Indikator"), max_bytes=10**6, max_rows=5, sheet="Indikator")
    assert table.rows == [(2, [1])]
    assert [tabular.text(v) for v in (None, 3.0, 2.35, "a")] == ["", "3", "2.35", "a"]
    assert tabular.unescape("'=HYPERLINK(1)") == "=HYPERLINK(1)" and tabular.unescape("'biasa") == "'biasa"
