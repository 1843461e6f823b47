"""Forms of the answer workflow. They validate and normalise; services do the work.

Whole-level frameworks (59/2020) take a level from a list. Decimal frameworks (Pemdi 8/2026,
`Framework.value_kind == "decimal"`) take a value written "2,35" (a dot is accepted too) in
steps of 10**-value_places; on the answer page the OPD also names the level, and the value must
lie in that level's band (ScaleLevel.lower/upper). An externally fed indicator (its
`extra["external"]` conversion table) takes the agency's published figure instead, converted
by `assessment.conversion`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from assessment.catalog import external_points
from assessment.conversion import ConversionError, LevelBand, convert
from assessment.models import Decision, Framework, Indicator, ScaleLevel, ValueKind
from spbe_portal.numbers import parse_decimal


def comma(value: Decimal, places: int) -> str:
    """A figure as Indonesians write it: 2,35."""
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}".replace(".", ",")


def span(low: Decimal, high: Decimal, places: int) -> str:
    """A range as printed, with an en dash: 1,50 to 2,49."""
    return f"{comma(low, places)}\N{EN DASH}{comma(high, places)}"


def band_of(level: ScaleLevel, places: int) -> LevelBand | None:
    if level.lower is None or level.upper is None:
        return None
    return LevelBand(level.level, level.lower, level.upper, level.upper_inclusive)


class DecimalValueField(forms.Field):
    """A decimal written with a comma or a dot, in steps of 10**-places, within low..high."""

    widget = forms.TextInput

    def __init__(self, *, low: Decimal, high: Decimal, places: int, **kwargs: Any) -> None:
        self.low, self.high, self.places = low, high, places
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "placeholder": comma(low, places)})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip().replace(" ", "")
        if not text:
            return None
        number = parse_decimal(text)
        if number is None:
            raise forms.ValidationError(
                _("Tulis angka seperti %(example)s (koma sebagai pemisah desimal).")
                % {"example": comma(self.low + Decimal("1.35"), self.places)},
                code="invalid",
            )
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            step = comma(Decimal(1).scaleb(-self.places), self.places)
            raise forms.ValidationError(_("Nilai ditulis dalam kelipatan %(step)s.") % {"step": step}, code="step")
        if not self.low <= number <= self.high:
            raise forms.ValidationError(
                _("Nilai harus antara %(low)s dan %(high)s.")
                % {"low": comma(self.low, self.places), "high": comma(self.high, self.places)},
                code="range",
            )
        return number.quantize(Decimal(1).scaleb(-self.places))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return comma(value, self.places)
        if isinstance(value, str) and value.replace(".", "", 1).isdigit():
            return value.replace(".", ",")  # a stored figure passed as text: show it the Indonesian way
        return value


def value_field(framework: Framework, levels: list[ScaleLevel], *, label: StrOrPromise, required: bool) -> forms.Field:
    """A whole-level choice (59/2020) or a decimal 1,00-5,00 written with a comma (Pemdi)."""
    if framework.value_kind == ValueKind.LEVEL:
        choices = [("", _("— pilih tingkat —"))] + [(str(lv.level), f"{lv.level} — {lv.name}") for lv in levels]
        return forms.TypedChoiceField(label=label, choices=choices, coerce=Decimal, empty_value=None, required=required)
    return DecimalValueField(
        label=label, low=framework.value_min, high=framework.value_max, places=framework.value_places,
        required=required, help_text=_("Dua desimal, mis. 2,35; tingkatnya mengikuti rentang nilai."),
    )  # fmt: skip


def level_label(level: ScaleLevel, places: int) -> str:
    band = band_of(level, places)
    if band is None:
        return f"{level.level} — {level.name}"
    return f"{level.level} — {level.name} ({span(band.lower, band.last(places), places)})"


class AnswerForm(forms.Form):
    explanation = forms.CharField(
        label=_("Penjelasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tulis FAKTA (dokumen, pasal, halaman, berkas) lalu ANALISIS (kriteria mana yang dipenuhi)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, framework: Framework, levels: list[ScaleLevel], indicator: Indicator | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.framework, self.levels = framework, levels
        self.feed = indicator.extra.get("external") if indicator is not None else None
        self.points = external_points(indicator.extra) if indicator is not None else None
        places = framework.value_places
        fields: dict[str, forms.Field] = {}
        if framework.value_kind == ValueKind.LEVEL:
            fields["value"] = value_field(framework, levels, label=_("Tingkat"), required=False)
        elif self.feed and self.points:
            low, high = self.points[0][0], self.points[-1][0]
            fields["source_value"] = DecimalValueField(
                label=_("Nilai %(index)s (%(agency)s)") % {"index": self.feed.get("short_name", ""),
                                                            "agency": self.feed.get("agency", "")},
                low=low, high=high, places=places, required=False,
                help_text=_("Angka yang diterbitkan instansi pembina, %(range)s; portal mengonversinya.")
                % {"range": span(low, high, places)},
            )  # fmt: skip
            fields["source_missing"] = forms.BooleanField(
                label=_("Angka belum diterbitkan (dihitung %(value)s)")
                % {"value": comma(Decimal(str(self.feed.get("missing_value", framework.value_min))), places)},
                required=False,
            )
        else:
            choices = [("", _("— pilih tingkat —"))] + [(str(lv.level), level_label(lv, places)) for lv in levels]
            fields["level"] = forms.TypedChoiceField(
                label=_("Tingkat"), choices=choices, coerce=int, empty_value=None, required=False
            )
            fields["value"] = value_field(framework, levels, label=_("Nilai indikator"), required=False)
            fields["value"].help_text = _("Dua desimal dalam rentang tingkat yang dipilih, mis. 2,35.")
        self.fields = {**fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.framework.value_kind == ValueKind.LEVEL or self.errors:
            return data
        places = self.framework.value_places
        if "source_value" in self.fields:
            source, missing = data.get("source_value"), data.get("source_missing")
            if source is not None and missing:
                raise forms.ValidationError(_("Isi angka indeks atau centang 'belum diterbitkan', bukan keduanya."))
            if source is not None and self.points:
                try:
                    data["value"] = convert(self.points, source, places).value
                except ConversionError as exc:
                    raise forms.ValidationError(str(exc)) from exc
            elif missing and self.feed:
                data["value"] = Decimal(str(self.feed.get("missing_value", self.framework.value_min)))
            else:
                data["value"] = None
            return data
        level, value = data.get("level"), data.get("value")
        if value is None:  # a level alone (autosave right after choosing it) keeps the text, no value yet
            return data
        chosen = next((lv for lv in self.levels if lv.level == level), None)
        band = band_of(chosen, places) if chosen else None
        if chosen is None:
            self.add_error("level", _("Pilih tingkat yang sesuai dengan nilai."))
        elif band is not None and not band.contains(value):
            self.add_error(
                "value",
                _("Nilai %(value)s di luar rentang tingkat %(level)s (%(range)s).")
                % {"value": comma(value, places), "level": level, "range": span(band.lower, band.last(places), places)},
            )  # fmt: skip
        return data


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
