"""Evidence items on the answer and review pages: the OPD assigns files and notes and enters a cited
index figure (IKASANDI); the reviewer judges items."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.access import answer_for, answer_to_write, evidence_for, membership, require_capability
from assessment.forms.index_figures import IndexFigureForm
from assessment.index_reference import reference_of
from assessment.models import ItemEvidence
from assessment.services import index_figures
from assessment.services import items as item_service
from assessment.services.evaluations import WorkflowError

CODE = re.compile(r"I[0-9]{1,3}-L[0-9]-[0-9]{2}")
ID = re.compile(r"[0-9]{1,18}")


def _user(request: HttpRequest) -> AbstractBaseUser:
    return request.user  # type: ignore[return-value]  # LoginRequiredMiddleware let only real users in


@require_POST
def item_files(request: HttpRequest, pk: int) -> HttpResponse:
    """attach: put a file of the answer's library on item `code`; note: the OPD's note on item
    `code`; detach: take link `link` off."""
    member = membership(request)
    answer = answer_to_write(member, pk)
    back = redirect(reverse("assessment:answer", args=[answer.pk]) + "#butir")
    action, code = request.POST.get("action", ""), request.POST.get("code", "")
    try:
        if action == "attach" and CODE.fullmatch(code) and ID.fullmatch(request.POST.get("evidence", "")):
            evidence = evidence_for(member, int(request.POST["evidence"]))
            item_service.attach(answer, code, evidence, _user(request))
            messages.success(request, _("Berkas dilampirkan pada butir %(code)s.") % {"code": code})
        elif action == "note" and CODE.fullmatch(code):
            item_service.set_note(answer, code, request.POST.get("note", ""), _user(request))
            messages.success(request, _("Catatan butir %(code)s tersimpan.") % {"code": code})
        elif action == "detach" and ID.fullmatch(request.POST.get("link", "")):
            link = ItemEvidence.objects.filter(pk=int(request.POST["link"]), answer_item__answer=answer).first()
            if link is None:
                raise Http404
            item_service.detach(link, _user(request))
            messages.success(request, _("Berkas dilepas dari butir; berkasnya tetap ada di pustaka."))
        else:
            messages.error(request, _("Pilih butir dan berkas dari pustaka."))
    except WorkflowError as error:
        messages.error(request, str(error))
    return back


@require_POST
def item_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "review")
    answer = answer_for(member, pk)
    code = request.POST.get("code", "")
    back = redirect(reverse("assessment:review", args=[answer.pk]) + "#butir")
    if not CODE.fullmatch(code):
        messages.error(request, _("Pilih butir yang dinilai."))
        return back
    try:
        item_service.judge(
            answer, code, _user(request), verdict=request.POST.get("verdict", ""),
            revision_type=request.POST.get("revision_type", ""), note=request.POST.get("note", ""),
        )  # fmt: skip
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Penilaian butir %(code)s tersimpan.") % {"code": code})
    return back


@require_POST
def index_figure(request: HttpRequest, pk: int) -> HttpResponse:
    """The OPD enters the published index figure its evidence cites (IKASANDI) and its date."""
    answer = answer_to_write(membership(request), pk)
    back = redirect(reverse("assessment:answer", args=[answer.pk]) + "#indeks-rujukan")
    reference = reference_of(answer.indicator.extra)
    if reference is None:
        messages.error(request, _("Indikator ini tidak memakai angka indeks instansi lain sebagai bukti."))
        return back
    form = IndexFigureForm(request.POST, reference=reference, today=timezone.localdate())
    if not form.is_valid():
        for error in [str(e) for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
        return back
    try:
        index_figures.record(answer, form.cleaned_data["figure"], form.cleaned_data["measured_on"], _user(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Angka %(index)s tersimpan.") % {"index": reference.short_name})
    return back
