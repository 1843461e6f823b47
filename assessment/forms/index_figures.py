"""The OPD's published index figure and its measurement date (validation only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.index_reference import IndexReference
from spbe_portal import formatting
from spbe_portal.numbers import parse_decimal


class IndexFigureForm(forms.Form):
    figure = forms.CharField(required=False, max_length=12, label=gettext_lazy("Angka yang diterbitkan"))
    measured_on = forms.DateField(
        required=False, label=gettext_lazy("Tanggal pengukuran"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, reference: IndexReference, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference, self.today = reference, today

    def clean_figure(self) -> Any:
        raw = self.cleaned_data["figure"].strip()
        if not raw:
            return None
        value = parse_decimal(raw)
        low, high = self.reference.source_min, self.reference.source_max
        if value is None or not low <= value <= high or value.as_tuple().exponent < -3:  # type: ignore[operator]
            raise forms.ValidationError(
                _("Tulis angka %(index)s antara %(low)s dan %(high)s, paling banyak tiga angka di belakang koma.")
                % {
                    "index": self.reference.short_name,
                    "low": formatting.number(low, 2),
                    "high": formatting.number(high, 2),
                }
            )
        return value

    def clean_measured_on(self) -> Any:
        day = self.cleaned_data["measured_on"]
        if day is not None and day > self.today:
            raise forms.ValidationError(_("Tanggal pengukuran tidak boleh sesudah hari ini."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("figure") is not None and data.get("measured_on") is None and "measured_on" not in self.errors:
            self.add_error("measured_on", _("Isi tanggal pengukuran angka itu."))
        return data
