"""The one reader of an uploaded table (.xlsx or .csv): the Excel questionnaire import
(assessment/questionnaire.py) and the official-results import (scoring/imports.py) both use it.

Safe by construction: the size is capped before parsing, openpyxl reads streamed (read-only) and
at most `max_rows` rows below the header (a small compressed file can hold a million rows) and
`max_columns` columns, a CSV must be UTF-8 and may use a comma or a semicolon. Blank rows are
dropped but keep their numbers (as a spreadsheet numbers them). The reader raises `TableError`
with a `kind`; each import words it in its own message.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

Rows = list[tuple[int, list[Any]]]  # (row number, cells as read: None, str, int, float, datetime)
# Text a spreadsheet would run as a formula; the exports escape it with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file as a whole cannot be read: kind is "size", "unreadable", "encoding", "csv", "type",
    "empty" or "rows"; `detail` is the parser's own words (a CSV error)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind, self.detail = kind, detail


@dataclass(frozen=True)
class Table:
    header: list[str]  # stripped and lower-cased
    rows: Rows

    def columns(self, names: dict[str, str]) -> dict[str, int]:
        """{canonical name: index} for the headers listed in `names` (lower-case header -> name)."""
        return {names[h]: i for i, h in enumerate(self.header) if h in names}


def text(value: object) -> str:
    """A cell as text: blank for None, 3 for 3.0, 2.35 for 2.35."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


def unescape(value: object) -> str:
    """A text cell without the apostrophe the export put before formula-like text."""
    cell = "" if value is None else str(value)
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def blank(cells: list[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def read(
    data: bytes, *, name: str = ".xlsx", max_bytes: int, max_rows: int, max_columns: int = 300,
    sheet: str | None = None, formulas: bool = False,
) -> Table:  # fmt: skip
    """The first non-blank row as the header, then the non-blank rows below it, with their numbers.

    `sheet` picks a worksheet by title (else the first); `formulas` keeps a formula as its text
    ("=1+2") instead of the value last computed, so a caller can refuse it.
    """
    if len(data) > max_bytes:
        raise TableError("size")
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        raw = _xlsx(data, max_rows, max_columns, sheet, formulas)
    elif lowered.endswith(".csv"):
        raw = _csv(data)
    else:
        raise TableError("type")
    rows = [(number, cells) for number, cells in raw if not blank(cells)]
    if not rows:
        raise TableError("empty")
    if len(rows) - 1 > max_rows:
        raise TableError("rows")
    (_first, head), body = rows[0], rows[1:]
    return Table([text(h).strip().lower() for h in head], body)


def _xlsx(data: bytes, max_rows: int, max_columns: int, title: str | None, formulas: bool) -> Rows:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    except Exception as error:  # openpyxl raises many types (BadZipFile, KeyError, ...) for a broken file
        raise TableError("unreadable") from error
    try:
        sheet = book[title] if title and title in book.sheetnames else book.worksheets[0]
        found: Rows = []
        filled = 0
        # Streamed and capped: the header, the allowed rows and one more, which says "too many".
        for number, values in enumerate(sheet.iter_rows(max_col=max_columns, values_only=True), start=1):
            cells = list(values)
            while cells and cells[-1] is None:  # a sheet without dimensions pads to max_columns
                cells.pop()
            found.append((number, cells))
            filled += not blank(found[-1][1])
            if filled > max_rows + 1:
                break
    except Exception as error:  # a damaged sheet fails while streaming, not at opening
        raise TableError("unreadable") from error
    finally:
        book.close()
    return found


def _csv(data: bytes) -> Rows:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError("encoding") from error
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(enumerate(csv.reader(io.StringIO(content), delimiter=delimiter), start=1))
    except csv.Error as error:  # a cell over csv's field limit (131,072 characters), a stray NUL
        raise TableError("csv", str(error)) from error
