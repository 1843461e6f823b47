"""The report kinds: one entry per kind, as pretix registers its exporters.

Each entry says what the kind is called (the results report names the evaluation's own
framework), what it covers (`Scope`), when it cannot be made (`unavailable`: None, or the
reason in the active language), how it is built and what file it gives. Everything that asks
about a kind (the report page, the API, the request service, the worker, the command, the
access rules) reads it here; `ReportKind` (reports/models.py) keeps the stored values and the
labels for the model field.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from assessment.models import Evaluation, Opd
from reports import context, context_plan, documents, rendering, spreadsheet
from reports.indicator_rows import indicator_rows
from reports.models import ReportKind, abbreviation
from scoring.services import engine_framework
from scoring.services_plan import TargetError, parse_target


class Scope(enum.Enum):
    INSTANSI = "instansi"  # the whole instansi; never limited to one OPD
    PLAN = "plan"  # the whole instansi, toward a target (the plan page's)
    OPD = "opd"  # every OPD or one; OPD staff request their own OPD's
    ROWS = "rows"  # one row per indicator: the whole instansi, or one OPD's rows (the command)


@dataclass(frozen=True)
class FileType:
    name: str
    content_type: str
    suffix: str


PDF = FileType("PDF", rendering.PDF, ".pdf")
XLSX = FileType("XLSX", rendering.XLSX, ".xlsx")
CSV = FileType("CSV", rendering.CSV, ".csv")
ZIP = FileType("ZIP", rendering.ZIP, ".zip")


@dataclass(frozen=True)
class Job:
    """One build: what the builder reads. `numberer` is given only to kinds that print a number."""

    kind: str
    evaluation: Evaluation
    opd: Opd | None = None
    target: str = ""
    numberer: rendering.Numberer | None = None

    def number(self, opd: Opd | None) -> str:
        return self.numberer(self.kind, opd) if self.numberer is not None else ""


def _available(_evaluation: Evaluation, _target: str) -> str | None:
    return None


def _finalised(evaluation: Evaluation, _target: str) -> str | None:
    """The Berita Acara records the Sekda's finalisation, so it waits for it."""
    if evaluation.is_finalised:
        return None
    return _(
        "Berita Acara tersedia setelah penilaian mandiri difinalkan oleh Koordinator SPBE (Sekretaris Daerah); "
        "penilaian %(instansi)s tahun %(year)s belum final."
    ) % {"instansi": evaluation.instansi, "year": evaluation.year}


def _plan_target(evaluation: Evaluation, target: str) -> str | None:
    """The plan page's refusal of this target, with its message (it depends on the text and the scale only)."""
    try:
        parse_target(target, engine_framework(evaluation.framework), None)
    except TargetError as error:
        return str(error)
    return None


@dataclass(frozen=True)
class Kind:
    key: str
    scope: Scope
    file: FileType
    build: Callable[[Job], bytes]
    html: Callable[[Job], str] | None = None  # PDF kinds: the HTML the PDF is printed from
    unavailable: Callable[[Evaluation, str], str | None] = _available
    numbered: bool = False  # goes out under the instansi's document number
    names_framework: bool = False  # the title ends with the framework's name ("... SPBE", "... Pemdi")
    every_opd_zip: bool = False  # without an OPD: one file per OPD, in one ZIP

    @classmethod
    def pdf(cls, key: str, scope: Scope, html: Callable[[Job], str], **options: Any) -> Kind:
        return cls(key, scope, PDF, printed(html), html, **options)

    @property
    def label(self) -> str:
        return str(ReportKind(self.key).label)

    def title(self, short_name: str) -> str:
        """The kind's name for one evaluation, whose framework is `short_name`."""
        return f"{self.label} {abbreviation(short_name)}" if self.names_framework else self.label

    def file_for(self, opd: Opd | None) -> FileType:
        return ZIP if self.every_opd_zip and opd is None else self.file

    @property
    def takes_opd(self) -> bool:
        """May be built for one OPD (instansi-wide kinds refuse one: it would hand out the whole report)."""
        return self.scope in (Scope.OPD, Scope.ROWS)


def printed(html: Callable[[Job], str]) -> Callable[[Job], bytes]:
    """A PDF kind's builder: print its HTML."""
    return lambda job: rendering.pdf(html(job), job.evaluation)


def _hasil_html(job: Job) -> str:
    return render_to_string(
        "reports/pdf/hasil.html", {**context.hasil(job.evaluation), "document_number": job.number(job.opd)}
    )


def _berita_acara_html(job: Job) -> str:
    return render_to_string(
        "reports/pdf/berita_acara.html",
        {**rendering.berita_acara_context(job.evaluation), "document_number": job.number(job.opd)},
    )


def _opd_html(job: Job) -> str:
    return render_to_string("reports/pdf/opd.html", rendering.opd_context(job.evaluation, job.opd))


def _ringkasan_html(job: Job) -> str:
    return documents.ringkasan_html(job.evaluation, job.number(job.opd))


def _rapor_html(job: Job) -> str:
    if job.opd is None:
        raise ValueError("the rapor is printed for one OPD; every OPD's comes as a ZIP")
    return documents.rapor_html(job.evaluation, job.opd, job.number(job.opd))


def _rapor(job: Job) -> bytes:
    one = printed(_rapor_html)
    return one(job) if job.opd is not None else documents.rapor_zip(job.evaluation, lambda o: one(replace(job, opd=o)))


def _rencana_html(job: Job) -> str:
    plan = context_plan.plan(job.evaluation, job.target)
    return render_to_string("reports/pdf/rencana.html", {**context.base(job.evaluation), **plan})


def _rencana_xlsx(job: Job) -> bytes:
    plan = context_plan.plan(job.evaluation, job.target)
    return spreadsheet.plan_to_xlsx(plan, rendering.about(job.evaluation, None)[:-1])


def _xlsx(job: Job) -> bytes:
    rows = indicator_rows(job.evaluation, job.opd)
    about = rendering.about(job.evaluation, job.opd)
    return spreadsheet.to_xlsx(rows, about, rendering.summary_sheet(job.evaluation, job.opd))


def _csv(job: Job) -> bytes:
    return spreadsheet.to_csv(indicator_rows(job.evaluation, job.opd))


def _evidence_package(job: Job) -> bytes:
    from reports import evidence_package

    return evidence_package.build(job.evaluation)


def _handoff(job: Job) -> bytes:
    from reports import handoff

    return handoff.build(job.evaluation)


K = ReportKind
KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind.pdf(K.HASIL, Scope.INSTANSI, _hasil_html, numbered=True, names_framework=True),
        Kind.pdf(K.BERITA_ACARA, Scope.INSTANSI, _berita_acara_html, unavailable=_finalised, numbered=True),
        Kind.pdf(K.OPD, Scope.OPD, _opd_html),
        Kind(K.XLSX, Scope.ROWS, XLSX, _xlsx),
        Kind(K.CSV, Scope.ROWS, CSV, _csv),
        Kind.pdf(K.RENCANA, Scope.PLAN, _rencana_html, unavailable=_plan_target),
        Kind(K.RENCANA_XLSX, Scope.PLAN, XLSX, _rencana_xlsx, unavailable=_plan_target),
        Kind(K.BUKTI, Scope.INSTANSI, ZIP, _evidence_package),
        Kind(K.SERAH_TERIMA, Scope.INSTANSI, ZIP, _handoff),
        Kind.pdf(K.RINGKASAN, Scope.INSTANSI, _ringkasan_html, numbered=True),
        Kind(K.RAPOR, Scope.OPD, PDF, _rapor, _rapor_html, numbered=True, every_opd_zip=True),
    )
}


def kind_of(key: str) -> Kind:
    """The entry of a kind; ValueError for a kind the portal does not make."""
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"unknown report kind {key!r}; expected one of {', '.join(KINDS)}") from None


def in_scope(*scopes: Scope) -> Iterator[Kind]:
    return (kind for kind in KINDS.values() if kind.scope in scopes)
