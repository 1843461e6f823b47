"""The workbook's first sheet, "Ringkasan": the index, its predikat and every group per stage.

Figures are written as numbers (the displayed, half-up rounded value, so the sheet shows what
the PDF prints) with a display format of the framework's rounding places; a spreadsheet program
can sum or chart them. Predikat and names are text. A stage whose index could not be computed
(indicators still unanswered) is marked "sementara" in its header, as the reports mark it.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.context import GroupRow
from scoring.engine import Score
from scoring.stages import StageResult
from spbe_portal import formatting

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def _value(score: Score | None) -> object:
    return score.display if score is not None else None


def fill(
    sheet: Worksheet,
    groups: Sequence[GroupRow],
    results: Sequence[StageResult],
    levels: dict[int, str],
    places: int,
) -> None:
    """Write the summary into `sheet`: one row per group (the index first), one column per stage.

    `levels` names the rows' depth ({0: "Indeks", 1: "Domain", 2: "Aspek"}, from the framework).
    """
    sheet.title = "Ringkasan"
    stages = [f"{r.label} (sementara)" if r.result.provisional else r.label for r in results]
    sheet.append(["Kode", "Nama", "Tingkat", "Bobot (%)", *stages])
    fmt = formatting.cell_format(places)
    for group in groups:
        weight = group.weight if group.weight is None else group.weight.normalize()
        sheet.append([group.code or "-", group.name, levels.get(group.depth, ""), weight,
                      *(_value(s) for s in group.scores)])  # fmt: skip
        row = sheet.max_row
        if group.depth == 0:
            for column in range(1, 5 + len(results)):
                sheet.cell(row=row, column=column).font = Font(bold=True)
        for column in range(5, 5 + len(results)):
            sheet.cell(row=row, column=column).number_format = fmt
    index = groups[0] if groups else None
    predicates = [s.predicate if s is not None else None for s in (index.scores if index else [])]
    sheet.append(["", "Predikat", "Indeks", None, *predicates])
    sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
    widths = [8, 52, 10, 10, *(16 for _ in results)]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        head = sheet.cell(row=1, column=column)
        head.font = Font(bold=True, color="FFFFFF")
        head.fill = HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
