"""One row per indicator: the official stage's value (blank = not revisited) and a note."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.forms.answers import value_field
from assessment.models import Answer, Framework, ScaleLevel


class StageForm(forms.Form):
    def __init__(self, *args: Any, framework: Framework, levels: dict[int, list[ScaleLevel]], answers: list[Answer],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.answers = answers
        for answer in answers:
            label = _("Nilai indikator %(number)s") % {"number": answer.indicator.number}
            scale = levels.get(answer.indicator.scale_id, [])
            self.fields[f"v{answer.pk}"] = value_field(framework, scale, label=label, required=False)
            select = isinstance(self.fields[f"v{answer.pk}"].widget, forms.Select)
            self.fields[f"v{answer.pk}"].widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )
            self.fields[f"n{answer.pk}"] = forms.CharField(
                label=_("Catatan indikator %(number)s") % {"number": answer.indicator.number},
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def entries(self) -> dict[int, tuple[Decimal | None, str]]:
        return {a.pk: (self.cleaned_data[f"v{a.pk}"], self.cleaned_data[f"n{a.pk}"].strip()) for a in self.answers}

    def rows(self) -> list[tuple[Answer, forms.BoundField, forms.BoundField]]:
        return [(a, self[f"v{a.pk}"], self[f"n{a.pk}"]) for a in self.answers]
