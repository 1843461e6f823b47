"""One row per indicator: the official stage's value (blank = not revisited) and a note."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.forms.answers import value_field
from assessment.models import Answer, EvidenceItem, Framework, ItemVerdict, ScaleLevel


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


class StageItemsForm(forms.Form):
    """One row per evidence item: the official stage's verdict (blank = no finding) and a note."""

    def __init__(self, *args: Any, items: list[EvidenceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"verdict-{item.pk}"] = forms.ChoiceField(
                label=_("Temuan butir %(code)s") % {"code": item.code},
                choices=ItemVerdict.choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"note-{item.pk}"] = forms.CharField(
                label=_("Catatan butir %(code)s") % {"code": item.code},
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def entries(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {i.pk: (data[f"verdict-{i.pk}"], data[f"note-{i.pk}"].strip()) for i in self.items}

    def rows(self) -> list[tuple[EvidenceItem, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"verdict-{i.pk}"], self[f"note-{i.pk}"]) for i in self.items]
