"""Forms of the answer workflow. They validate and normalise; services do the work."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from assessment.models import Decision, Framework, ScaleLevel, ValueKind


def value_field(framework: Framework, levels: list[ScaleLevel], *, label: StrOrPromise, required: bool) -> forms.Field:
    """A whole-level choice (59/2020) or a decimal 1,00-5,00 written with a comma (Pemdi)."""
    if framework.value_kind == ValueKind.LEVEL:
        choices = [("", _("— pilih tingkat —"))] + [(str(lv.level), f"{lv.level} — {lv.name}") for lv in levels]
        return forms.TypedChoiceField(label=label, choices=choices, coerce=Decimal, empty_value=None, required=required)
    return forms.DecimalField(
        label=label, min_value=framework.value_min, max_value=framework.value_max,
        decimal_places=framework.value_places, localize=True, required=required,
    )  # fmt: skip


class AnswerForm(forms.Form):
    explanation = forms.CharField(
        label=_("Penjelasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tulis FAKTA (dokumen, pasal, halaman, berkas) lalu ANALISIS (kriteria mana yang dipenuhi)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, framework: Framework, levels: list[ScaleLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"value": value_field(framework, levels, label=_("Tingkat"), required=False), **self.fields}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Alasan / catatan verifikator"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib saat mengembalikan, atau saat tingkat terverifikasi berbeda dari klaim."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, framework: Framework, levels: list[ScaleLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verified_value"] = value_field(framework, levels, label=_("Tingkat terverifikasi"), required=False)


class EvidenceDecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Bukti dukung"), choices=[("approved", _("Terima")), ("rejected", _("Tolak"))])
    comment = forms.CharField(label=_("Komentar"), required=False, max_length=2000)
