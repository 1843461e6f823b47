"""Forms of the evidence library. They validate; `assessment.uploads` judges file contents."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import EvidenceKind
from assessment.uploads import CheckedUpload, check_upload

TEXT = {"class": "form-control"}


def _file_field(required: bool) -> forms.FileField:
    # Empty files pass here so that check_upload refuses them with the library's own message.
    return forms.FileField(
        label=_("Berkas"),
        required=required,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods"}),
    )


def _date_field(required: bool) -> forms.DateField:
    return forms.DateField(
        label=_("Tanggal dokumen"),
        required=required,
        widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"),
    )


def _not_in_future(value: date | None) -> date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("Tanggal dokumen tidak boleh di masa depan."), code="future")
    return value


class EvidenceForm(forms.Form):
    """A new library item: a file (with its document date) or a link to a running service."""

    kind = forms.ChoiceField(
        label=_("Jenis bukti"), choices=EvidenceKind.choices, initial=EvidenceKind.FILE, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Judul"), max_length=255, widget=forms.TextInput(attrs=TEXT))
    document_date = _date_field(required=False)
    file = _file_field(required=False)
    url = forms.URLField(
        label=_("Alamat layanan (URL)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs=TEXT),
    )
    access_note = forms.CharField(
        label=_("Catatan akses (mis. akun demo)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )

    def clean_document_date(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("document_date"))

    def clean_file(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("file")
        if not upload or self.cleaned_data.get("kind") != EvidenceKind.FILE:
            return None
        return check_upload(upload)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == EvidenceKind.FILE:
            if not data.get("file") and "file" not in self.errors:
                self.add_error("file", forms.ValidationError(_("Pilih berkas untuk diunggah."), code="required"))
            if not data.get("document_date") and "document_date" not in self.errors:
                self.add_error("document_date", forms.ValidationError(_("Isi tanggal dokumen."), code="required"))
        elif data.get("kind") == EvidenceKind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", forms.ValidationError(_("Isi alamat layanan."), code="required"))
        return data


class VersionForm(forms.Form):
    """A replacement file for an existing library item."""

    file = _file_field(required=True)
    document_date = _date_field(required=False)

    def clean_document_date(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("document_date"))

    def clean_file(self) -> CheckedUpload:
        return check_upload(self.cleaned_data["file"])
