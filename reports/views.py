"""Report pages: request a report, follow its status live, download it when done."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from assessment.access import evaluation_for, membership
from assessment.models import Role
from reports import rendering, services
from reports.access import allowed_kinds, report_for, reports_for
from reports.models import PER_OPD_KINDS, ReportKind, ReportStatus


@require_GET
def evaluation_reports(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request, pk)
    member = membership(request)
    kinds = allowed_kinds(member)
    if not kinds:
        raise Http404
    reports = reports_for(member).filter(evaluation=evaluation).select_related("opd", "requested_by")[:50]
    choices = [(k, label) for k, label in ReportKind.choices if k in kinds]
    context = {"evaluation": evaluation, "reports": reports, "choices": choices, "member": member,
               "opds": evaluation.instansi.opds.all() if member and member.role != Role.OPD else []}  # fmt: skip
    return render(request, "reports/evaluation_reports.html", context)


@require_POST
def request_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request, pk)
    member = membership(request)
    kind = request.POST.get("kind", "")
    if kind not in allowed_kinds(member):
        raise Http404
    opd = None
    if kind in PER_OPD_KINDS:
        if member is not None and member.role == Role.OPD:
            opd = member.opd
        elif request.POST.get("opd", "").isdigit():
            opd = evaluation.instansi.opds.filter(pk=int(request.POST["opd"])).first()
    try:
        report = services.request_report(
            evaluation,
            kind,
            request.user,  # type: ignore[arg-type]
            opd,
            target=request.POST.get("target", ""),
        )
    except rendering.ReportNotAvailable as error:
        messages.error(request, str(error))
        return redirect("reports:evaluation", pk=pk)
    report.refresh_from_db()
    if report.status == ReportStatus.DONE:
        messages.success(request, _("Laporan sudah tersedia dan masih sesuai dengan data terbaru."))
    elif report.status == ReportStatus.QUEUED and report.enqueued_at is None:
        messages.warning(
            request,
            _(
                "Laporan dicatat dalam antrean; layanan antrean sedang tidak tersedia, "
                "jadi pembuatannya akan dicoba lagi otomatis."
            ),
        )
    else:
        messages.success(request, _("Laporan sedang dibuat. Halaman ini memperbarui statusnya sendiri."))
    return redirect("reports:evaluation", pk=pk)


@require_GET
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status cell, polled by htmx; polling stops (HTTP 286) once the report is finished."""
    report = report_for(request, pk)
    response = render(request, "reports/_status.html", {"report": report})
    if not report.is_pending:
        stop = HttpResponseStopPolling(response.content)
        return stop
    return response


@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    report = report_for(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    suffix = report.file.name.rsplit(".", 1)[-1] if report.file.name else "pdf"
    name = f"{report.kind}-{report.evaluation.instansi.slug}-{report.evaluation.year}-v{report.version}.{suffix}"
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=name, content_type=report.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
