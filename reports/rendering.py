"""Building report documents: the one entry point the task, the views and the command share.

`build(kind, evaluation, opd)` returns the document's bytes, its content type and its file
suffix. It is pure with respect to the database (reads only) and writes no file.

Kinds (all text in Bahasa Indonesia, figures as "2,35", dates as "2 September 2022", times WIB,
whatever language or time zone is active):

* "hasil": Laporan Hasil Penilaian Mandiri SPBE (PDF).
* "berita-acara": Berita Acara and Pernyataan Persetujuan Publikasi (PDF), only for a
  finalised evaluation; otherwise `ReportNotAvailable`.
* "opd": progress per OPD (PDF); with `opd`, only that OPD's indicators.
* "xlsx", "csv": one row per indicator; with `opd`, only the indicators that OPD leads.
* "rencana" (PDF), "rencana-xlsx": the improvement plan toward `target` (a predikat name or a
  figure; blank: the next band), from `scoring.services_plan.plan_summary`.
* "bukti": the evidence package (ZIP of the evidence files with an HTML and CSV index,
  `reports.evidence_package`).

`opd` must belong to the evaluation's instansi, and is refused (ValueError) for "hasil" and
"berita-acara", which are instansi-wide: silently ignoring it would hand OPD staff the whole
report. The number of queries does not depend on the number of indicators, answers or evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessment.models import AnswerStatus, Evaluation, Letterhead, Opd, Stage
from reports import context, context_plan, documents, spreadsheet, spreadsheet_summary
from reports.indicator_rows import IndicatorRow, indicator_rows
from scoring.results import stage_results
from scoring.services_plan import plan_summary

WIB = ZoneInfo("Asia/Jakarta")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str
    suffix: str  # ".pdf", ".xlsx", ".csv"


KINDS = (
    "hasil", "berita-acara", "opd", "xlsx", "csv", "rencana", "rencana-xlsx", "bukti", "serah-terima", "ringkasan",
    "rapor",
)  # fmt: skip
# The documents that go out under the instansi's number.
NUMBERED = ("hasil", "berita-acara", "ringkasan", "rapor")
INSTANSI_WIDE = ("hasil", "berita-acara", "rencana", "rencana-xlsx", "bukti", "serah-terima", "ringkasan")
ZIP = "application/zip"


class ReportNotAvailable(Exception):  # noqa: N818  (the name the views and the task use)
    """This document cannot be made for this evaluation yet; the message says why (Indonesian)."""


def check_plan_target(evaluation: Evaluation, target: str) -> None:
    """Refuse a plan report whose target the plan page would refuse, with the same message."""
    error = plan_summary(evaluation, target)["error"]
    if error:
        raise ReportNotAvailable(str(error))


# Numbers a PDF: (kind, opd) -> its document number. The worker passes one that assigns and keeps
# numbers (assessment.services.identity.assign_number); without it a document prints no number.
Numberer = Callable[[str, Opd | None], str]


def build(
    kind: str, evaluation: Evaluation, opd: Opd | None = None, target: str = "", number: Numberer | None = None
) -> Document:
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; expected one of {', '.join(KINDS)}")
    if opd is not None and opd.instansi_id != evaluation.instansi_id:
        raise ValueError(f"OPD {opd.code} does not belong to {evaluation.instansi}")
    if opd is not None and kind in INSTANSI_WIDE:
        raise ValueError(f"the {kind} report covers the whole instansi and cannot be limited to one OPD")
    if kind == "berita-acara" and not evaluation.is_finalised:
        raise ReportNotAvailable(
            "Berita Acara hanya tersedia setelah penilaian mandiri difinalkan oleh Koordinator SPBE "
            f"(Sekretaris Daerah); penilaian {evaluation.instansi} tahun {evaluation.year} belum final."
        )
    # Reports read the same in every session: Indonesian words and number formats, WIB times.
    with translation.override("id"), timezone.override(WIB):
        if kind == "rencana-xlsx":
            plan = context_plan.plan(evaluation, target)
            return Document(spreadsheet.plan_to_xlsx(plan, _about(evaluation, None)[:-1]), XLSX, ".xlsx")
        if kind == "rencana":
            return Document(_pdf(render_html(kind, evaluation, target=target), evaluation), PDF, ".pdf")
        if kind == "serah-terima":
            from reports import handoff

            return Document(handoff.build(evaluation), ZIP, ".zip")
        if kind == "bukti":
            from reports import evidence_package

            return Document(evidence_package.build(evaluation), ZIP, ".zip")
        if kind in ("xlsx", "csv"):
            rows = indicator_rows(evaluation, opd)
            if kind == "csv":
                return Document(spreadsheet.to_csv(rows), CSV, ".csv")
            return Document(
                spreadsheet.to_xlsx(rows, _about(evaluation, opd), _summary(evaluation, opd)), XLSX, ".xlsx"
            )
        if kind == "rapor" and opd is None:  # every OPD's rapor, one PDF each, in one ZIP
            return Document(documents.rapor_zip(evaluation, lambda o: _rapor(evaluation, o, number)), ZIP, ".zip")
        numbered = number(kind, opd) if number is not None and kind in NUMBERED else ""
        return Document(_pdf(render_html(kind, evaluation, opd, number=numbered), evaluation), PDF, ".pdf")


def render_html(kind: str, evaluation: Evaluation, opd: Opd | None = None, target: str = "", number: str = "") -> str:
    """The HTML a PDF kind is printed from (also what the benchmark's static baseline renders)."""
    numbered = {"document_number": number}
    with translation.override("id"), timezone.override(WIB):
        if kind == "hasil":
            return render_to_string("reports/pdf/hasil.html", {**context.hasil(evaluation), **numbered})
        if kind == "berita-acara":
            return render_to_string("reports/pdf/berita_acara.html", {**berita_acara_context(evaluation), **numbered})
        if kind == "opd":
            return render_to_string("reports/pdf/opd.html", opd_context(evaluation, opd))
        if kind == "ringkasan":
            return documents.ringkasan_html(evaluation, number)
        if kind == "rapor" and opd is not None:
            return documents.rapor_html(evaluation, opd, number)
        if kind == "rencana":
            return render_to_string(
                "reports/pdf/rencana.html", {**context.base(evaluation), **context_plan.plan(evaluation, target)}
            )
    raise ValueError(f"{kind!r} is not a PDF report")


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


def _summary(evaluation: Evaluation, opd: Opd | None) -> Callable[[Any], None] | None:
    """The workbook's "Ringkasan" sheet: instansi-wide figures, so not in one OPD's export."""
    if opd is not None:
        return None
    results = stage_results(evaluation)
    groups = context.group_rows(evaluation, results)
    words = context.wording(evaluation.framework, groups)
    levels = {0: "Indeks", **dict(enumerate(words.levels, start=1))}
    places = evaluation.framework.rounding_places
    return lambda sheet: spreadsheet_summary.fill(sheet, groups, results, levels, places)


def _rapor(evaluation: Evaluation, opd: Opd, number: Numberer | None) -> bytes:
    numbered = number("rapor", opd) if number is not None else ""
    return _pdf(render_html("rapor", evaluation, opd, number=numbered), evaluation)


def _pdf(html: str, evaluation: Evaluation) -> bytes:
    from reports.pdf import render_pdf  # WeasyPrint takes a second to import; only PDF builds pay it

    return render_pdf(html, emblem(evaluation))


def emblem(evaluation: Evaluation) -> dict[str, bytes]:
    """The instansi's emblem PNG for the PDF fetcher, read from storage (local disk or S3)."""
    letterhead = Letterhead.objects.filter(instansi_id=evaluation.instansi_id).first()
    if letterhead is None or not letterhead.emblem:
        return {}
    with letterhead.emblem.open("rb") as stored:
        return {context.EMBLEM_URL: stored.read()}


def _about(evaluation: Evaluation, opd: Opd | None) -> list[tuple[str, str]]:
    printed = timezone.localtime()
    return [
        ("Instansi", evaluation.instansi.name),
        ("Tahun", str(evaluation.year)),
        ("Kerangka penilaian", f"{evaluation.framework.short_name} — {evaluation.framework.regulation}"),
        ("OPD", opd.name if opd else "Semua OPD"),
        spreadsheet.printed(printed),
        ("Kolom tahap", "Nilai yang dicatat pada tahap itu; kosong berarti nilai tahap sebelumnya berlaku."),
    ]
