"""The admin's letterhead page (/kelola/kop/): lines, number pattern, emblem and index targets (IKU)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment.access import require_capability
from assessment.forms.identity import IndexTargetForm, LetterheadForm
from assessment.models import IndexTarget, Letterhead
from assessment.services.identity import IdentityError, save_letterhead, set_index_target

FIELDS = ("heading", "address", "phone", "website", "email", "number_pattern", "place", "signer_name", "signer_nip")


@require_http_methods(["GET", "POST"])
def letterhead(request: HttpRequest) -> HttpResponse:
    member = require_capability(request, "administer")
    current = Letterhead.objects.filter(instansi=member.instansi).first() or Letterhead(instansi=member.instansi)
    initial = {name: getattr(current, name) for name in FIELDS}
    if not current.heading:
        initial["heading"] = f"PEMERINTAH {member.instansi.name.upper()}\nSEKRETARIAT DAERAH"
    form = LetterheadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.pop("emblem")
        try:
            save_letterhead(
                member.instansi, upload.read() if upload else None, **{n: form.cleaned_data[n] for n in FIELDS}
            )
        except IdentityError as error:
            form.add_error("emblem", str(error))
        else:
            messages.success(request, _("Kop surat disimpan; dokumen berikutnya memakainya."))
            return redirect("assessment:manage-letterhead")
    context = {
        "form": form,
        "has_emblem": bool(current.emblem),
        "target_form": IndexTargetForm(),
        "targets": IndexTarget.objects.filter(instansi=member.instansi),
    }
    return render(request, "assessment/manage/letterhead.html", context)


@require_http_methods(["POST"])
def index_target(request: HttpRequest) -> HttpResponse:
    """Set or remove one year's target index of the admin's own instansi."""
    member = require_capability(request, "administer")
    form = IndexTargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("assessment:manage-letterhead")
    data = form.cleaned_data
    try:
        set_index_target(member.instansi, data["year"], data["target"], data["basis"])
    except IdentityError as error:
        messages.error(request, str(error))
        return redirect("assessment:manage-letterhead")
    messages.success(request, _("Target indeks disimpan."))
    return redirect("assessment:manage-letterhead")
