"""The Excel questionnaire import's template: the OPD's own indicators in the export's layout.

The import itself is an assessment page (assessment/views/questionnaire.py); the template is a
workbook built by the Excel export, so it is served from here (assessment may not import reports).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from assessment.access import capabilities, evaluation_for, refuse_unless, require_membership
from reports import spreadsheet
from reports.indicator_rows import indicator_rows
from reports.rendering import XLSX


def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The OPD's own indicators in the export's layout, ready to fill in."""
    member = require_membership(request)
    evaluation = evaluation_for(member, pk)  # 404 for an evaluation out of scope
    refuse_unless(capabilities(request).answer)  # 403, as the import page: OPD staff only
    rows = indicator_rows(evaluation, member.opd)
    printed = timezone.localtime()
    about = [("Instansi", evaluation.instansi.name), ("Tahun", str(evaluation.year)),
             ("OPD", member.opd.name if member.opd else ""),
             spreadsheet.printed(printed),
             ("Cara mengisi", "Isi kolom Penilaian Mandiri (tingkat) dan Penjelasan.")]  # fmt: skip
    response = HttpResponse(spreadsheet.to_xlsx(rows, about), content_type=XLSX)
    opd = member.opd.code if member.opd else "opd"
    response["Content-Disposition"] = (
        f'attachment; filename="kuesioner-{evaluation.instansi.slug}-{evaluation.year}-{opd}.xlsx"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
