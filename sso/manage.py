"""The instansi admin's part of SSO, on the user page of /kelola/: record a member's NIP (the
invitation to sign in through SSO) and unlink. Another instansi's member answers 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessment.access import member_for, membership
from sso import services
from sso.models import NIP_PATTERN, SsoIdentity


class NipForm(forms.Form):
    nip = forms.CharField(
        label=gettext_lazy("NIP"),
        max_length=40,
        validators=[RegexValidator(NIP_PATTERN, gettext_lazy("NIP terdiri atas 18 angka."))],
    )


@require_POST
def record_nip(request: HttpRequest, pk: int) -> HttpResponse:
    target = member_for(membership(request), pk)
    # Spaces go before the 18-digit check: NIPs are often written in groups ("19800101 200604 1 001").
    form = NipForm({"nip": "".join(request.POST.get("nip", "").split())})
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["nip"]))
        return redirect("assessment:manage-user", pk=target.pk)
    try:
        services.set_nip(target.user, form.cleaned_data["nip"], request.user)  # type: ignore[arg-type]  # logged in
    except ValidationError:
        messages.error(request, _("NIP ini sudah tercatat pada akun lain di portal."))
    else:
        messages.success(request, _("NIP dicatat; pemilik akun dapat masuk dengan SSO."))
    return redirect("assessment:manage-user", pk=target.pk)


@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    target = member_for(membership(request), pk)
    identity = SsoIdentity.objects.filter(user=target.user).first()
    if identity is not None:
        services.unlink(identity)
        messages.success(
            request, _("SSO diputus dan NIP dihapus dari akun ini; akun tetap bisa masuk dengan kata sandi.")
        )
    return redirect("assessment:manage-user", pk=target.pk)
