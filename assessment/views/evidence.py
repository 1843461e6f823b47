"""The evidence library: list, upload, detail, versions, serving files, links to answers, carry-over."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import (
    answer_for,
    answer_to_write,
    answers_for,
    capabilities,
    evaluation_for,
    evidence_for,
    evidence_for_member,
    evidence_version_for,
    is_answerer,
    membership,
    refuse_unless,
    require_capability,
    require_membership,
)
from assessment.forms.evidence import EvidenceForm, VersionForm
from assessment.models import (
    Answer,
    AnswerEvidence,
    Evidence,
    EvidenceKind,
    EvidenceVersion,
    Instansi,
    Membership,
    Opd,
)
from assessment.services import evidence as library
from assessment.services.answers import edit_blocker
from assessment.services.evaluations import WorkflowError
from assessment.uploads import INLINE_TYPES, SERVED_TYPES
from spbe_portal import storage

# Served files never run: sandboxed, nothing loaded. The preview loosens only what the browser's
# own image and PDF viewers need to draw (their inline styles, the image or PDF itself).
ATTACHMENT_CSP = "sandbox; default-src 'none'"
PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'"


def _user(request: HttpRequest) -> AbstractBaseUser:
    if not isinstance(request.user, AbstractBaseUser):  # LoginRequiredMiddleware already redirected
        raise Http404
    return request.user


def _to_answer(answer: Answer) -> HttpResponse:
    return redirect(reverse("assessment:answer", args=[answer.pk]))


@require_safe
def evidence_list(request: HttpRequest) -> HttpResponse:
    member = require_membership(request)
    versions = EvidenceVersion.objects.filter(evidence=OuterRef("pk"))
    newest = versions.order_by("-number")
    counted = versions.order_by().values("evidence").annotate(n=Count("pk")).values("n")
    evidence = (
        evidence_for_member(member)
        .select_related("created_by", "opd")
        .annotate(
            latest_name=Subquery(newest.values("original_name")[:1]),
            version_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(evidence, 50).get_page(request.GET.get("halaman"))
    return render(
        request, "assessment/evidence/evidence_list.html", {"page": page, "can_upload": library.can_upload(member)}
    )


def _answer_target(request: HttpRequest, member: Membership) -> Answer | None:
    """The answer named by ?jawaban=, when the user may add evidence to it; otherwise 404."""
    raw = request.GET.get("jawaban")
    if raw is None:
        return None
    if not re.fullmatch(r"[0-9]{1,18}", raw):
        raise Http404
    return answer_to_write(member, int(raw))


def _create(
    data: dict[str, Any], *, instansi: Instansi, opd: Opd | None, user: AbstractBaseUser, answer: Answer | None
) -> Evidence:
    if data["kind"] == EvidenceKind.FILE:
        return library.add_file(
            instansi=instansi, opd=opd, user=user, answer=answer,
            title=data["title"], document_date=data["document_date"], upload=data["file"],
        )  # fmt: skip
    return library.add_link(
        instansi=instansi, opd=opd, user=user, answer=answer, title=data["title"],
        url=data["url"], access_note=data["access_note"], document_date=data["document_date"],
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest) -> HttpResponse:
    member = require_membership(request)
    answer = _answer_target(request, member)  # named answer: 404 unseen, 403 seen but not its writer
    if not capabilities(request).use_library:
        raise Http404
    if answer is not None and (blocker := edit_blocker(answer)):
        messages.error(request, blocker)
        return _to_answer(answer)
    form = EvidenceForm(request.POST, request.FILES) if request.method == "POST" else EvidenceForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = _create(data, instansi=member.instansi, opd=member.opd, user=_user(request), answer=answer)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Bukti dukung tersimpan."))
            return _to_answer(answer) if answer else redirect("assessment:evidence-detail", evidence.pk)
    context = {"form": form, "answer": answer, "max_bytes": settings.EVIDENCE_MAX_BYTES}
    return render(request, "assessment/evidence/evidence_upload.html", context)


@require_safe
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_membership(request)
    evidence = evidence_for(member, pk)
    links = (
        AnswerEvidence.objects.filter(evidence=evidence, answer__in=answers_for(member).values("pk"))
        .select_related("answer__indicator", "answer__evaluation")
        .order_by("-answer__evaluation__year", "answer__indicator__number")
    )
    context = {
        "evidence": evidence,
        "versions": evidence.versions.select_related("uploaded_by"),
        "links": links,
        "show_access_note": library.can_read_access_note(member, evidence),
        "form": VersionForm() if library.can_add_version(member, evidence) else None,
    }
    return render(request, "assessment/evidence/evidence_detail.html", context)


@require_POST
def evidence_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "use_library")
    evidence = evidence_for(member, pk)
    if not library.can_add_version(member, evidence):
        raise Http404
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = library.add_version(evidence, _user(request), data["file"], data["document_date"])
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Versi %(number)s tersimpan.") % {"number": version.number})
            return redirect("assessment:evidence-detail", evidence.pk)
    return render(request, "assessment/evidence/evidence_version_form.html", {"evidence": evidence, "form": form})


def _disposition(kind: str, name: str) -> str:
    """RFC 6266: an ASCII fallback for old clients, then the exact name as UTF-8 (RFC 5987)."""
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", name) or "bukti"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _serve(version: EvidenceVersion, *, inline: bool) -> HttpResponseBase:
    # The type comes from our own check at upload time, never from the file name.
    content_type = version.content_type if version.content_type in SERVED_TYPES else "application/octet-stream"
    name = version.file.name or ""
    response: HttpResponseBase
    if settings.EVIDENCE_X_ACCEL and not storage.is_s3(version.file.storage):
        # Behind nginx: the permission check happened here; nginx sends the bytes from an
        # `internal` location, keeping these headers (deploy/nginx/spbe.conf.template).
        if not version.file.storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.EVIDENCE_X_ACCEL_PREFIX + quote(name)
    else:
        # Streamed in chunks from the disk or the private bucket: memory stays flat.
        try:
            handle, size = storage.open_stream(version.file.storage, name)
        except OSError:  # the row outlived its file (restored backup, manual cleanup)
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
        response.block_size = storage.CHUNK
        response["Content-Length"] = str(size)
    response["Content-Disposition"] = _disposition("inline" if inline else "attachment", version.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PREVIEW_CSP if inline else ATTACHMENT_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _serve(evidence_version_for(membership(request), pk), inline=False)


@require_safe
def evidence_preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    version = evidence_version_for(membership(request), pk)
    if version.content_type not in INLINE_TYPES:
        raise Http404
    return _serve(version, inline=True)


def _editable_answer(request: HttpRequest, pk: int) -> Answer:
    return answer_to_write(membership(request), pk)


@require_POST
def evidence_attach(request: HttpRequest, pk: int) -> HttpResponse:
    member = membership(request)
    answer = answer_for(member, pk)
    raw = request.POST.get("evidence", "")
    # Everything named must be in sight (else 404) before the action is refused (403): both ids.
    evidence = evidence_for(member, int(raw)) if re.fullmatch(r"[0-9]{1,18}", raw) else None
    if evidence is not None and evidence.instansi_id != answer.evaluation.instansi_id:
        raise Http404
    refuse_unless(is_answerer(member, answer))
    if evidence is None:
        messages.error(request, _("Pilih bukti dari pustaka."))
        return _to_answer(answer)
    try:
        library.attach(answer, evidence, _user(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bukti dukung dilampirkan."))
    return _to_answer(answer)


@require_POST
def evidence_detach(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        link = AnswerEvidence.objects.get(pk=pk)
    except AnswerEvidence.DoesNotExist:
        raise Http404 from None
    answer = _editable_answer(request, link.answer_id)  # the answer decides who may see the link
    try:
        library.detach(link, request.user)  # type: ignore[arg-type]
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bukti dukung dilepas; berkasnya tetap ada di pustaka."))
    return _to_answer(answer)


def _back(request: HttpRequest) -> HttpResponse:
    """To the page the form was on (same site only), else the worklist."""
    target = request.POST.get("next", "")
    # A path only: redirect() reads a bare word as a URL name and raises NoReverseMatch.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("assessment:worklist")


@require_POST
def evidence_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    member = require_capability(request, "carry_over")
    evaluation = evaluation_for(member, pk)
    if evaluation.instansi_id != member.instansi_id:
        raise Http404
    previous = library.previous_evaluation(evaluation)
    if previous is None:
        messages.error(request, _("Belum ada evaluasi tahun sebelumnya untuk instansi ini."))
        return _back(request)
    try:
        added = library.carry_over(previous, evaluation, _user(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s bukti dukung dibawa dari evaluasi %(year)s.",
                "%(count)s bukti dukung dibawa dari evaluasi %(year)s.",
                added,
            )
            % {"count": added, "year": previous.year},
        )
    return _back(request)
