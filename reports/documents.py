"""The Ringkasan satu halaman (for the Bupati) and the Rapor OPD (one per OPD, or all as a ZIP).

Both reuse the Laporan Hasil's figures (`context.hasil`): the one-page summary prints the same
index, predikat, trend, aspect bars, top five steps and executive summary; a rapor lists only the
indicators its OPD leads, with their state, verified value, the reviewer's notes and the next
level's criterion to meet by the evaluation's deadline.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from assessment.models import Evaluation, IndicatorLevel, Opd
from reports import context
from reports.indicator_rows import IndicatorRow, indicator_rows

TO_FIX = {"draft", "returned", ""}  # states that still need the OPD's work


def ringkasan_html(evaluation: Evaluation, number: str = "") -> str:
    ctx = context.hasil(evaluation)
    steps = ctx["advice"]["steps"][:5]
    return render_to_string("reports/pdf/ringkasan.html", {**ctx, "steps": steps, "document_number": number})


@dataclass
class RaporRow:
    row: IndicatorRow
    next_level: int | None
    criterion: str

    @property
    def needs_work(self) -> bool:
        """Still the OPD's to do: unanswered, a draft, returned, or below level 3 (a weakness)."""
        final = self.row.final
        return self.row.status in TO_FIX or (final is not None and final < context.WEAKNESS)


def _next_level(value: Decimal | Fraction | None) -> int:
    return 1 if value is None else int(value) + 1


def rapor_context(evaluation: Evaluation, opd: Opd) -> dict[str, Any]:
    rows = indicator_rows(evaluation, opd)
    numbers = [r.number for r in rows]
    criteria = {
        (n, level): text
        for n, level, text in IndicatorLevel.objects.filter(
            indicator__framework_id=evaluation.framework_id, indicator__number__in=numbers
        ).values_list("indicator__number", "level", "criterion")
    }
    items = []
    for row in rows:
        level = _next_level(row.final)
        criterion = criteria.get((row.number, level), "")
        items.append(RaporRow(row, level if criterion else None, criterion))
    counts = {"total": len(items), "approved": sum(1 for i in items if i.row.status == "approved")}
    return {**context.base(evaluation), "opd": opd, "items": items, "counts": counts}


def rapor_html(evaluation: Evaluation, opd: Opd, number: str = "") -> str:
    return render_to_string("reports/pdf/rapor.html", {**rapor_context(evaluation, opd), "document_number": number})


def rapor_zip(evaluation: Evaluation, render: Callable[[Opd], bytes]) -> bytes:
    """One PDF per OPD of the instansi, named by OPD code, in one ZIP."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for opd in Opd.objects.filter(instansi_id=evaluation.instansi_id).order_by("short_name"):
            name = f"rapor-{slugify(opd.code) or opd.pk}-{evaluation.year}.pdf"
            archive.writestr(name, render(opd))
    return out.getvalue()
