"""Report pages: request a report, follow its status live, download it when done."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from assessment.access import capabilities, evaluation_for, membership, refuse_unless
from reports import rendering, services
from reports.access import allowed_kinds, report_for, reports_for
from reports.kinds import KINDS
from reports.models import Report, ReportStatus
from spbe_portal import storage
from spbe_portal.numbers import parse_int


@require_GET
def evaluation_reports(request: HttpRequest, pk: int) -> HttpResponse:
    member = membership(request)
    evaluation = evaluation_for(member, pk)
    kinds = allowed_kinds(member)
    if not kinds:
        raise Http404
    reports = (
        reports_for(member)
        .filter(evaluation=evaluation)
        .select_related("opd", "requested_by", "evaluation__framework")[:50]
    )
    choices = [(k, KINDS[k].title(evaluation.framework.short_name)) for k in kinds]
    context = {"evaluation": evaluation, "reports": reports, "choices": choices, "member": member,
               "opds": evaluation.instansi.opds.all() if capabilities(request).read_all_reports else []}  # fmt: skip
    return render(request, "reports/evaluation_reports.html", context)


@require_POST
def request_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = membership(request)
    evaluation = evaluation_for(member, pk)
    kind, kinds = request.POST.get("kind", ""), allowed_kinds(member)
    if member is None or not kinds or kind not in KINDS:
        raise Http404  # no reports for this role (as the page itself), or no such kind
    refuse_unless(kind in kinds)  # 403, as the API: a kind this role may not request
    opd_id = parse_int(request.POST.get("opd"))
    opd = evaluation.instansi.opds.filter(pk=opd_id).first() if opd_id is not None else None
    try:
        report, created = services.request_report(member, evaluation, kind, opd, target=request.POST.get("target", ""))
    except services.KindRefused:  # an OPD of another instansi
        raise Http404 from None
    except rendering.ReportNotAvailable as error:
        messages.error(request, str(error))
        return redirect("reports:evaluation", pk=pk)
    messages.add_message(request, *_request_outcome(report, created=created))
    return redirect("reports:evaluation", pk=pk)


def _request_outcome(report: Report, *, created: bool) -> tuple[int, str]:
    """What the page says after a request, true to what happened (embedded mode builds at once)."""
    if report.status == ReportStatus.DONE:
        if created:
            return messages.SUCCESS, _("Laporan selesai dibuat sekarang dan siap diunduh.")
        return messages.SUCCESS, _("Laporan sudah tersedia dan masih sesuai dengan data terbaru.")
    if report.status == ReportStatus.FAILED:
        return messages.ERROR, _("Laporan gagal dibuat; alasannya tertulis di daftar laporan di bawah.")
    if report.status == ReportStatus.QUEUED and report.enqueued_at is None:
        return messages.WARNING, _(
            "Laporan dicatat dalam antrean; layanan antrean sedang tidak tersedia, "
            "jadi pembuatannya akan dicoba lagi otomatis."
        )
    if created:
        return messages.SUCCESS, _("Laporan sedang dibuat. Halaman ini memperbarui statusnya sendiri.")
    return messages.INFO, _("Laporan ini sudah diminta dan sedang dibuat. Halaman ini memperbarui statusnya sendiri.")


@require_GET
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status cell, polled by htmx; polling stops (HTTP 286) once the report is finished."""
    report = report_for(membership(request), pk)
    response = render(request, "reports/_status.html", {"report": report})
    if not report.is_pending:
        stop = HttpResponseStopPolling(response.content)
        return stop
    return response


@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    report = report_for(membership(request), pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    suffix = report.file.name.rsplit(".", 1)[-1] if report.file.name else "pdf"
    name = f"{report.kind}-{report.evaluation.instansi.slug}-{report.evaluation.year}-v{report.version}.{suffix}"
    try:  # streamed in chunks from the disk or the private bucket
        handle, size = storage.open_stream(report.file.storage, report.file.name)
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=report.content_type)
    response.block_size = storage.CHUNK
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    return response
