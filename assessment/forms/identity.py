"""The letterhead form: it only validates (the emblem's content is checked by the service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.services.identity import MAX_EMBLEM_BYTES, IdentityError, check_pattern


class LetterheadForm(forms.Form):
    heading = forms.CharField(
        label=_("Baris kepala kop"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=400,
        help_text=_("Satu baris per baris kop, mis. PEMERINTAH KABUPATEN SIAK lalu SEKRETARIAT DAERAH."),
    )
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=60, required=False)
    website = forms.CharField(label=_("Situs web"), max_length=120, required=False)
    email = forms.EmailField(label=_("Surel"), max_length=120, required=False)
    number_pattern = forms.CharField(
        label=_("Pola nomor dokumen"),
        max_length=80,
        help_text=_("{n} nomor urut per tahun, {tahun} tahun, {bulan} bulan dalam angka Romawi."),
    )
    place = forms.CharField(label=_("Tempat penandatanganan"), max_length=80, required=False)
    signer_name = forms.CharField(label=_("Nama Sekretaris Daerah"), max_length=120, required=False)
    signer_nip = forms.RegexField(
        label=_("NIP Sekretaris Daerah"),
        regex=r"^[0-9 ]{18,21}$",
        max_length=30,
        required=False,
        error_messages={"invalid": _("NIP terdiri atas 18 angka (boleh dengan spasi).")},
    )
    emblem = forms.FileField(
        label=_("Lambang daerah (PNG atau SVG)"),
        required=False,
        help_text=_("Paling besar 2 MB. SVG diubah menjadi gambar PNG sebelum disimpan."),
    )

    def clean_number_pattern(self) -> str:
        pattern: str = self.cleaned_data["number_pattern"].strip()
        try:
            return check_pattern(pattern)
        except IdentityError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_emblem(self) -> Any:
        emblem = self.cleaned_data.get("emblem")
        if emblem is not None and emblem.size > MAX_EMBLEM_BYTES:
            raise forms.ValidationError(_("Berkas lambang paling besar 2 MB."))
        return emblem


class IndexTargetForm(forms.Form):
    """One year's target (IKU); a blank target removes that year's."""

    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    target = forms.DecimalField(
        label=_("Target indeks"),
        required=False,
        min_value=0,
        max_digits=3,
        decimal_places=2,
        localize=True,  # "2,50" in Indonesian
        help_text=_("Kosongkan untuk menghapus target tahun itu."),
    )
    basis = forms.CharField(label=_("Dasar penetapan"), max_length=160, required=False,
                            help_text=_("Mis. IKU RPJMD 2021-2026."))  # fmt: skip
