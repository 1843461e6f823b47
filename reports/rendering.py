"""Building report documents: the one entry point the task, the views and the command share.

`build(kind, evaluation, opd)` returns the document's bytes, its content type and its file
suffix. It is pure with respect to the database (reads only) and writes no file. What each
kind is, covers and needs comes from its entry in `reports.kinds`; this module checks the
request against it and holds the helpers the builders share.

All text is in Bahasa Indonesia, figures as "2,35", dates as "2 September 2022", times WIB,
whatever language or time zone is active. `opd` must belong to the evaluation's instansi, and is
refused (ValueError) for the instansi-wide kinds: silently ignoring it would hand OPD staff the
whole report. The number of queries does not depend on the number of indicators, answers or
evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from assessment.models import AnswerStatus, Evaluation, Letterhead, Opd, Stage
from reports import context, spreadsheet, spreadsheet_summary
from reports.indicator_rows import IndicatorRow, indicator_rows
from scoring.results import stage_results

WIB = ZoneInfo("Asia/Jakarta")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str
    suffix: str  # ".pdf", ".xlsx", ".csv"


class ReportNotAvailable(Exception):  # noqa: N818  (the name the views and the task use)
    """This document cannot be made for this evaluation yet; the message says why (in the active language)."""


# Numbers a PDF: (kind, opd) -> its document number. The worker passes one that assigns and keeps
# numbers (assessment.services.identity.assign_number); without it a document prints no number.
Numberer = Callable[[str, Opd | None], str]


def build(
    kind: str, evaluation: Evaluation, opd: Opd | None = None, target: str = "", number: Numberer | None = None
) -> Document:
    from reports.kinds import Job, kind_of  # the registry names this module's helpers

    entry = kind_of(kind)
    if opd is not None and opd.instansi_id != evaluation.instansi_id:
        raise ValueError(f"OPD {opd.code} does not belong to {evaluation.instansi}")
    if opd is not None and not entry.takes_opd:
        raise ValueError(f"the {kind} report covers the whole instansi and cannot be limited to one OPD")
    reason = entry.unavailable(evaluation, target)
    if reason is not None:
        raise ReportNotAvailable(reason)
    job = Job(kind, evaluation, opd, target, number if entry.numbered else None)
    # Reports read the same in every session: Indonesian words and number formats, WIB times.
    with translation.override("id"), timezone.override(WIB):
        content = entry.build(job)
    file = entry.file_for(opd)
    return Document(content, file.content_type, file.suffix)


def render_html(kind: str, evaluation: Evaluation, opd: Opd | None = None, target: str = "", number: str = "") -> str:
    """The HTML a PDF kind is printed from (also what the benchmark's static baseline renders)."""
    from reports.kinds import Job, kind_of

    html = kind_of(kind).html
    if html is None:
        raise ValueError(f"{kind!r} is not a PDF report")
    with translation.override("id"), timezone.override(WIB):
        return html(Job(kind, evaluation, opd, target, (lambda _kind, _opd: number) if number else None))


def berita_acara_context(evaluation: Evaluation) -> dict[str, Any]:
    results = stage_results(evaluation)
    finaliser = evaluation.finalised_by
    groups = context.group_rows(evaluation, results)
    return {
        **context.base(evaluation),
        "words": context.wording(evaluation.framework, groups),
        "self_result": next((r for r in results if r.stage == Stage.MANDIRI), None),
        "final": results[-1] if results else None,
        "domains": [g for g in groups if g.depth == 1],
        "finaliser": (finaliser.get_full_name() or finaliser.username) if finaliser else "",
    }


@dataclass
class OpdSection:
    name: str
    rows: list[IndicatorRow]

    @property
    def counts(self) -> dict[str, int]:
        """Answered (a self-assessed value exists) and the current state of each indicator."""
        states = [r.status for r in self.rows]
        return {
            "total": len(self.rows),
            "answered": sum(1 for r in self.rows if r.claimed is not None),
            **{state: states.count(state) for state in AnswerStatus.values},
        }


def opd_context(evaluation: Evaluation, opd: Opd | None) -> dict[str, Any]:
    """Per OPD (every OPD of the instansi, or only `opd`): counts by state and its indicators."""
    rows = indicator_rows(evaluation, opd)
    opds = [opd] if opd is not None else list(Opd.objects.filter(instansi_id=evaluation.instansi_id))
    by_opd: dict[int | None, list[IndicatorRow]] = defaultdict(list)
    for row in rows:
        by_opd[row.lead_opd_id].append(row)
    sections = [
        OpdSection(f"{o.short_name} — {o.name}" if o.name != o.short_name else o.name, by_opd[o.pk]) for o in opds
    ]
    if opd is None and by_opd.get(None):
        sections.append(OpdSection("Belum ditugaskan", by_opd[None]))
    return {**context.base(evaluation), "opd": opd, "sections": sections}


def summary_sheet(evaluation: Evaluation, opd: Opd | None) -> Callable[[Any], None] | None:
    """The workbook's "Ringkasan" sheet: instansi-wide figures, so not in one OPD's export."""
    if opd is not None:
        return None
    results = stage_results(evaluation)
    groups = context.group_rows(evaluation, results)
    words = context.wording(evaluation.framework, groups)
    levels = {0: "Indeks", **dict(enumerate(words.levels, start=1))}
    places = evaluation.framework.rounding_places
    return lambda sheet: spreadsheet_summary.fill(sheet, groups, results, levels, places)


def pdf(html: str, evaluation: Evaluation) -> bytes:
    from reports.pdf import render_pdf  # WeasyPrint takes a second to import; only PDF builds pay it

    return render_pdf(html, emblem(evaluation))


def emblem(evaluation: Evaluation) -> dict[str, bytes]:
    """The instansi's emblem PNG for the PDF fetcher, read from storage (local disk or S3)."""
    letterhead = Letterhead.objects.filter(instansi_id=evaluation.instansi_id).first()
    if letterhead is None or not letterhead.emblem:
        return {}
    with letterhead.emblem.open("rb") as stored:
        return {context.EMBLEM_URL: stored.read()}


def about(evaluation: Evaluation, opd: Opd | None) -> list[tuple[str, str]]:
    printed = timezone.localtime()
    return [
        ("Instansi", evaluation.instansi.name),
        ("Tahun", str(evaluation.year)),
        ("Kerangka penilaian", f"{evaluation.framework.short_name} — {evaluation.framework.regulation}"),
        ("OPD", opd.name if opd else "Semua OPD"),
        spreadsheet.printed(printed),
        ("Kolom tahap", "Nilai yang dicatat pada tahap itu; kosong berarti nilai tahap sebelumnya berlaku."),
    ]
