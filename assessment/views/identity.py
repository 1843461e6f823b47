"""The admin's letterhead page (/kelola/kop/): lines, number pattern and emblem."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment.access import require_membership
from assessment.forms.identity import LetterheadForm
from assessment.models import Letterhead, Role
from assessment.services.identity import IdentityError, save_letterhead

FIELDS = ("heading", "address", "phone", "website", "email", "number_pattern", "place", "signer_name", "signer_nip")


@require_http_methods(["GET", "POST"])
def letterhead(request: HttpRequest) -> HttpResponse:
    member = require_membership(request, Role.ADMIN)
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
    return render(request, "assessment/manage/letterhead.html", {"form": form, "has_emblem": bool(current.emblem)})
