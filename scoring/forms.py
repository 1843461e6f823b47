"""Forms of the simulator, the improvement plan and the follow-up items (validation only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import Evaluation
from scoring.models import FollowUpStatus


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Nama skenario"), max_length=120)


class FollowUpCreateForm(forms.Form):
    target = forms.CharField(required=False, widget=forms.HiddenInput)
    steps = forms.MultipleChoiceField(label=_("Langkah"), choices=(), widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(
        label=_("Tenggat"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps"].choices = [(k, k) for k in keys]  # type: ignore[attr-defined]
        self.fields["steps"].error_messages["required"] = _("Pilih sedikitnya satu langkah.")


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=FollowUpStatus.choices, widget=forms.Select(attrs={"class": "form-select"})
    )


class CarryOverForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Dari evaluasi"), queryset=Evaluation.objects.none())
    target = forms.ModelChoiceField(label=_("Ke evaluasi"), queryset=Evaluation.objects.none())

    def __init__(self, *args: Any, evaluations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            field = self.fields[name]
            field.queryset = evaluations  # type: ignore[attr-defined]
            field.label_from_instance = lambda e: str(e.year)  # type: ignore[attr-defined]
            field.widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data and data.get("source") and data.get("target") and data["target"].year <= data["source"].year:
            raise forms.ValidationError(_("Evaluasi tujuan harus tahun sesudah evaluasi asal."))
        return data
