"""Import of earlier official results: upload, dry-run preview, apply, template (thin views).

An instansi's admin imports its own results; a superuser (the central admin of the deployment)
imports for several instansi at once, naming each by slug in an `instansi` column.
"""

from __future__ import annotations

import csv
import io

import openpyxl
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.access import capabilities, membership
from assessment.models import Framework, Instansi
from scoring.imports import Importer, ImportFileError, apply, importer_for, read_table, to_session

SESSION_KEY = "scoring_import"


def current_codes() -> set[str]:
    return set(Framework.objects.filter(is_current=True).values_list("code", flat=True))


def _scope(request: HttpRequest) -> tuple[Instansi | None, Importer]:
    """The instansi the user imports for (None: any, by slug) and the importer; 404 for others."""
    if not capabilities(request).import_results:
        raise Http404
    member = membership(request)  # a superuser imports for any instansi (named in the file)
    instansi = member.instansi if member is not None and not getattr(request.user, "is_superuser", False) else None
    # Which framework's columns the file has (Pemdi: aspects A1..A7); the default framework otherwise.
    code = request.POST.get("kerangka") or request.GET.get("kerangka") or ""
    importer = importer_for(instansi, code if code in current_codes() else "")
    if importer is None:
        raise Http404
    return instansi, importer


@require_http_methods(["GET", "POST"])
def import_results(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: validate the whole file and show the preview; nothing is written."""
    instansi, importer = _scope(request)
    context: dict[str, object] = {"instansi": instansi, "importer": importer, "header": importer.template_header(),
                                  "frameworks": Framework.objects.filter(is_current=True).order_by("code")}  # fmt: skip
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        try:
            if upload is None:
                raise ImportFileError(_("Pilih berkas untuk diimpor."))
            rows = importer.validate(read_table(upload.name or "", upload.read()))
        except ImportFileError as error:
            context["file_error"] = str(error)
        else:
            errors = [(r.number, column, message) for r in rows for column, message in r.errors]
            context.update(rows=rows, errors=errors, domains=[g.code for g in importer.domains])
            if errors:
                request.session.pop(SESSION_KEY, None)
            else:
                request.session[SESSION_KEY] = to_session(rows)
    return render(request, "scoring/import.html", context)


@require_POST
def import_apply(request: HttpRequest) -> HttpResponse:
    instansi, _importer = _scope(request)
    rows = request.session.pop(SESSION_KEY, None)
    if not rows:
        messages.error(request, _("Tidak ada pratinjau yang valid untuk diterapkan; unggah berkasnya lagi."))
        return redirect("scoring:import")
    try:
        count = apply(rows, instansi, request.user)
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("scoring:import")
    messages.success(request, _("%(count)s hasil resmi diimpor.") % {"count": count})
    return redirect("scoring:import")


@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """An empty file with the framework's columns and one example row."""
    _instansi, importer = _scope(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = importer.template_header()
    example = {"tahun": "2021", "instansi": "kabupaten-contoh", "indeks": "2,35", "predikat": "Cukup"}
    row = [example.get(h, "") for h in header]
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active  # a new workbook has one sheet
        sheet.title = "Hasil resmi"
        sheet.append(header)
        sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
    else:
        text = io.StringIO()
        # Semicolons: Indonesian Excel reads "2,35" as a number only when the list separator is ";".
        writer = csv.writer(text, delimiter=";")
        writer.writerow(header)
        writer.writerow(row)
        response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-impor-hasil.{fmt}"'
    return response
