from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Masukkan 6 angka yang tampil di aplikasi autentikator.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "7"}),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class VerifyForm(CodeForm):
    """The login's second step: the authenticator's code, or one of the recovery codes."""

    code = forms.RegexField(
        label=_("Kode 6 angka dari aplikasi autentikator, atau kode pemulihan"),
        regex=r"^\s*(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})\s*$",
        error_messages={
            "invalid": _("Masukkan 6 angka dari aplikasi autentikator, atau kode pemulihan seperti abcde-fghjk.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "maxlength": "12"}),
    )
