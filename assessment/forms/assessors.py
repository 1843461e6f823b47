"""The provincial coordinator's form to assign an external assessor (validation only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.models import Evaluation, Role


class AssignForm(forms.Form):
    assessor = forms.CharField(label=_("Nama pengguna asesor"), max_length=150)
    evaluation = forms.ModelChoiceField(label=_("Evaluasi"), queryset=Evaluation.objects.none())
    starts_on = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Berakhir"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, evaluations: QuerySet[Evaluation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evaluation"]
        field.queryset = evaluations  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: f"{e.instansi.name} {e.year}"  # type: ignore[attr-defined]

    def clean_assessor(self) -> Any:
        user = (
            get_user_model()
            .objects.filter(
                username=self.cleaned_data["assessor"].strip(), is_active=True, membership__role=Role.ASESOR
            )
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("Tidak ada akun asesor aktif dengan nama pengguna ini."))
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Tanggal berakhir tidak boleh sebelum tanggal mulai."))
        return data
