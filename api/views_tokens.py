"""The user's own API tokens: list, create (the key is shown once), revoke. Nothing crosses users."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api import tokens
from api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=80,
        help_text=gettext_lazy("Untuk apa token ini, misalnya “Dasbor Diskominfo”."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Berlaku"),
        coerce=int,
        required=False,  # not sent: the default
        empty_value=tokens.DEFAULT_DAYS,  # type: ignore[arg-type]  # stubs say str; any value works
        initial=tokens.DEFAULT_DAYS,
        help_text=gettext_lazy("Sesudah itu token ditolak; buat token baru bila masih diperlukan."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labelled here, per request, so that they follow the language switch.
        self.fields["days"].choices = [(d, _("%(days)d hari") % {"days": d}) for d in tokens.LIFETIME_CHOICES]  # type: ignore[attr-defined]


def _own(request: HttpRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user_id=request.user.pk or 0)[:100])


@never_cache  # the page that shows a new key must not be kept by any cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = tokens.issue(request.user, form.cleaned_data["name"], form.cleaned_data["days"])  # type: ignore[arg-type]
        form = TokenForm()
    context = {"form": form, "tokens": _own(request), "issued": issued, "docs_url": reverse("api:docs")}
    return render(request, "api/token_list.html", context, status=201 if issued else 200)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user_id=request.user.pk or 0, revoked_at=None).first()
    if token is None:
        raise Http404  # another user's token (or a revoked one) cannot be probed
    tokens.revoke(token)
    messages.success(
        request, _("Token “%(name)s” dicabut; permintaan dengan token ini ditolak.") % {"name": token.name}
    )
    return redirect("exchange:tokens")
