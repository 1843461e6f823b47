"""One row per indicator as .xlsx (openpyxl) and .csv, safe to open in a spreadsheet program.

Formula injection: a text cell that starts with =, +, -, @, a tab or a carriage return would be
run as a formula by Excel or LibreOffice (an explanation reading `=HYPERLINK(...)` becomes a
link that leaks data). Such text gets a leading apostrophe and stays text; real numbers (the
stage levels) stay numbers. Stage columns hold the value *recorded* at that stage: a blank cell
means the stage did not revisit the indicator and the previous stage's value stands.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

# openpyxl ships no type information and the project has no stubs package for it.
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessment.models import STAGE_ORDER, Stage
from assessment.tabular import FORMULA_STARTS  # the reader unescapes what this escapes
from reports.indicator_rows import IndicatorRow
from spbe_portal import formatting

Cell = str | int | Decimal | Fraction | None  # a Fraction goes out through _exact_cell
# Column title and width (characters) in the order of `cells`.
COLUMNS: list[tuple[str, int]] = [
    ("No", 5), ("Kode", 7), ("Indikator", 48), ("Domain", 26), ("Aspek", 30), ("OPD pengampu", 16), ("Status", 13),
    *((str(Stage(s).label), 12) for s in STAGE_ORDER),
    ("Penjelasan", 60), ("Bukti dukung (judul; berkas)", 45), ("Catatan verifikator", 45),
]  # fmt: skip
WRAPPED = {"Indikator", "Penjelasan", "Bukti dukung (judul; berkas)", "Catatan verifikator"}


def escape_cell(value: Cell) -> Cell:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str):
        text: str = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value


def _number(value: Decimal | Fraction | None) -> int | Decimal | Fraction | None:
    if value is None:
        return None
    if isinstance(value, Fraction):  # an exact value finer than two places (an assessor's 7/6)
        return value if value.denominator != 1 else value.numerator
    return int(value) if value == value.to_integral_value() else value


def _exact_cell(value: Cell, csv: bool = False) -> Cell:
    """A Fraction as a number cell that stays exact: the formula =7/6 in xlsx, "7/6" in CSV.
    Applied after escaping, which turns text starting with "=" into text; this is our own figure."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if csv else f"={value.numerator}/{value.denominator}"
    return value


def layout(rows: Sequence[IndicatorRow]) -> tuple[list[tuple[str, int]], bool]:
    """The columns for these rows, and whether "Domain" is one: not when the framework has no
    domains (Pemdi 8/2026)."""
    with_domain = not rows or any(row.domain for row in rows)
    return [column for column in COLUMNS if with_domain or column[0] != "Domain"], with_domain


def cells(row: IndicatorRow, between: str = "\n", with_domain: bool = True) -> list[Cell]:
    """The row's cells, escaped; `between` separates evidence items (a line break in xlsx)."""
    evidence = between.join(f"{e.title}; {e.file_name}" if e.file_name else e.title for e in row.evidence)
    values = [_number(row.values.get(stage)) for stage in STAGE_ORDER]
    domain: list[Cell] = [row.domain] if with_domain else []
    fixed: list[Cell] = [row.number, row.code, row.name, *domain, row.aspect, row.lead_opd, row.status_label]
    return [escape_cell(v) for v in [*fixed, *values, row.explanation, evidence, row.note]]


def printed(moment: datetime) -> tuple[str, str]:
    """A workbook's "Dicetak" note: Indonesian like every sheet, whatever the requester's language."""
    clock = formatting.wib(moment, date=False, language="id")
    return ("Dicetak", f"{formatting.day(moment, language='id')} pukul {clock}")


def _formats(cells: Sequence[Any], fmt: str) -> None:
    """The display format of these number cells (a figure's decimals; the cell stays a number)."""
    for cell in cells:
        cell.number_format = fmt


def headers() -> list[str]:
    return [title for title, _ in COLUMNS]


def to_xlsx(
    rows: Sequence[IndicatorRow], about: Sequence[tuple[str, Any]], summary: Callable[[Any], None] | None = None
) -> bytes:
    """The indicator sheet (styled header, frozen panes, widths, filter) and an "Keterangan" sheet;
    with `summary`, a first sheet that the callable fills (`spreadsheet_summary.fill`)."""
    book = Workbook()
    if summary is not None:
        summary(book.active)  # a new workbook has one sheet: the summary comes first
        sheet = book.create_sheet("Indikator")
    else:
        sheet = book.active
        sheet.title = "Indikator"
    columns, with_domain = layout(rows)
    sheet.append([title for title, _ in columns])
    first = [title for title, _ in columns].index(str(Stage(STAGE_ORDER[0]).label)) + 1
    for row in rows:
        sheet.append([_exact_cell(v) for v in cells(row, with_domain=with_domain)])
        _formats(sheet[sheet.max_row][first - 1 : first - 1 + len(STAGE_ORDER)], formatting.cell_format(row.places))
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for index, (title, width) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        head = sheet.cell(row=1, column=index)
        head.font = Font(bold=True, color="FFFFFF")
        head.fill = header_fill
        head.alignment = Alignment(wrap_text=True, vertical="center")
        if title in WRAPPED:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "D2"  # the header row and No/Kode/Indikator stay in view
    sheet.auto_filter.ref = sheet.dimensions
    notes = book.create_sheet("Keterangan")
    for label, value in about:
        notes.append([escape_cell(label), escape_cell(value)])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(rows: Sequence[IndicatorRow]) -> bytes:
    """UTF-8 with a BOM (Excel otherwise reads it as ANSI), comma separated, CRLF records."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns, with_domain = layout(rows)
    writer.writerow([title for title, _ in columns])
    for row in rows:
        # One physical line per indicator where the text allows: evidence items joined by " | ".
        writer.writerow(
            ["" if v is None else _exact_cell(v, csv=True) for v in cells(row, between=" | ", with_domain=with_domain)]
        )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


PLAN_COLUMNS: list[tuple[str, int]] = [
    ("Langkah", 8), ("No indikator", 11), ("Indikator", 48), ("Dari", 7), ("Ke", 7), ("Tambahan", 10),
    ("Indeks sesudahnya", 12), ("Kriteria yang harus dipenuhi", 60), ("OPD pengampu", 16),
]  # fmt: skip


def plan_to_xlsx(plan: dict[str, Any], about: Sequence[tuple[str, Any]]) -> bytes:
    """The improvement plan: one row per step (numbers as numbers), and its summary sheet."""
    book = Workbook()
    sheet = book.active  # a new workbook has one sheet
    sheet.title = "Rencana"
    sheet.append([title for title, _ in PLAN_COLUMNS])
    for row in plan["rows"]:
        sheet.append([_exact_cell(escape_cell(v)) for v in (
            row["position"], row["number"], row["name"], _number(row["before"]), _number(row["after"]), row["gain"],
            row["index_after"], row["criterion"], row["lead_opd"],
        )])  # fmt: skip
        levels, indices = sheet[sheet.max_row][3:5], sheet[sheet.max_row][5:7]
        _formats(levels, formatting.cell_format(plan["value_places"]))
        _formats(indices, formatting.cell_format(plan["index_places"]))
    for index, (_title, width) in enumerate(PLAN_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    index, reached = plan["index"], plan["reached_index"]
    notes = book.create_sheet("Ringkasan")
    for label, value in [
        *about,
        ("Indeks saat ini", index.display if index else None),
        ("Target", plan["target"]),
        ("Indeks setelah semua langkah", reached),
        ("Predikat setelah semua langkah", plan["reached_predicate"] or ""),
    ]:
        notes.append([escape_cell(label), escape_cell(value)])
        if isinstance(value, Decimal):  # the three indices
            notes.cell(row=notes.max_row, column=2).number_format = formatting.cell_format(plan["index_places"])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
