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
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from assessment import values
from assessment.catalog import external_points
from assessment.claims import ClaimError, fed_claim, source_range
from assessment.conversion import LevelBand
from assessment.models import Decision, Framework, Indicator, ScaleLevel, ValueKind
from assessment.models.evaluation import EXPLANATION_MAX_CHARS
from assessment.services.answers import explanation_too_long
from spbe_portal import formatting
from spbe_portal.numbers import parse_decimal

comma = values.comma  # a figure as typed into the portal's number fields: 2,35 (whatever the language)


def decimal_text(value: Fraction) -> str | None:
    """A fraction with a finite decimal expansion written out in full (11667/10000 -> 1,1667)."""
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return None  # 7/6 never ends
    places = max(twos, fives)
    return comma(Decimal(int(value * 10**places)).scaleb(-places), places)


def span(low: Decimal, high: Decimal, places: int) -> str:
    """A range as printed, with an en dash: 1,50 to 2,49."""
    return f"{comma(low, places)}\N{EN DASH}{comma(high, places)}"


def band_of(level: ScaleLevel) -> LevelBand | None:
    if level.lower is None or level.upper is None:
        return None
    return LevelBand(level.level, level.lower, level.upper, level.upper_inclusive)


class DecimalValueField(forms.Field):
    """A decimal written with a comma or a dot, in steps of 10**-places, within low..high.

    With `exact` (indicator values of a decimal framework) any number of places and a fraction
    such as 7/6 are taken too, and kept exact: a national assessor's value is often finer than
    two places (Aceh Tengah's I13 is 7/6, shown 1,17).
    """

    widget = forms.TextInput

    def __init__(self, *, low: Decimal, high: Decimal, places: int, exact: bool = False, **kwargs: Any) -> None:
        self.low, self.high, self.places, self.exact = low, high, places, exact
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "placeholder": comma(low, places)})

    def to_python(self, value: Any) -> Decimal | Fraction | None:
        try:  # the one rule for a value (assessment/values.py): parse, step, range
            return values.read(value, low=self.low, high=self.high, places=self.places, exact=self.exact)
        except values.ValueRefused as refused:
            raise forms.ValidationError(str(refused), code=refused.code) from refused

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Fraction):  # an exact value finer than the places: 1,1667 or, if endless, 7/6
            return decimal_text(value) or f"{value.numerator}/{value.denominator}"
        if isinstance(value, Decimal):
            return comma(value, self.places)
        if isinstance(value, str) and "," not in value and parse_decimal(value) is not None:
            return formatting.number(value, language="id")  # a stored figure passed as text, as the field reads it
        return value


class LevelChoiceField(forms.TypedChoiceField):
    """A whole level from the list; a number off the list also gets the value rule's reason
    (assessment/values.py), the words the API and the Excel import give."""

    def __init__(self, *, framework: Framework, **kwargs: Any) -> None:
        self.framework = framework
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        try:
            super().validate(value)
        except forms.ValidationError as off_list:
            number = parse_decimal(value)
            try:
                if number is not None:
                    values.check(self.framework, number)
            except values.ValueRefused as refused:
                reason = forms.ValidationError(str(refused), code=refused.code)
                raise forms.ValidationError([*off_list.error_list, reason]) from refused
            raise


def value_field(framework: Framework, levels: list[ScaleLevel], *, label: StrOrPromise, required: bool) -> forms.Field:
    """A whole-level choice (59/2020) or a decimal 1,00-5,00 written with a comma (Pemdi)."""
    if framework.value_kind == ValueKind.LEVEL:
        choices = [("", _("— pilih tingkat —"))] + [(str(lv.level), f"{lv.level} — {lv.name}") for lv in levels]
        return LevelChoiceField(framework=framework, label=label, choices=choices, coerce=Decimal, empty_value=None,
                                required=required)  # fmt: skip
    return DecimalValueField(
        label=label, low=framework.value_min, high=framework.value_max, places=framework.value_places,
        required=required, exact=True,
        help_text=_("Mis. 2,35; nilai asesor yang lebih halus ditulis lengkap (1,1667) atau sebagai pecahan (7/6)."),
    )  # fmt: skip


def level_label(level: ScaleLevel, places: int) -> str:
    band = band_of(level)
    if band is None:
        return f"{level.level} — {level.name}"
    return f"{level.level} — {level.name} ({span(band.lower, band.last(places), places)})"


class AnswerForm(forms.Form):
    # No max_length: its HTML maxlength would cut pasted text silently. clean_explanation refuses
    # instead (the text stays on the page) and static/js/char-counter.js counts as the user types.
    explanation = forms.CharField(
        label=_("Penjelasan"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "data-max-chars": EXPLANATION_MAX_CHARS,
                "data-counter-text": _("%(n)s dari %(max)s karakter"),
                "data-counter-over": _("Melebihi batas: persingkat sebelum menyimpan."),
            }
        ),
        help_text=_(
            "Tulis FAKTA (dokumen, pasal, halaman, berkas) lalu ANALISIS (kriteria mana yang dipenuhi). "
            "Paling banyak 10.000 karakter."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_explanation(self) -> str:
        text: str = self.cleaned_data["explanation"]
        if len(text) > EXPLANATION_MAX_CHARS:
            raise forms.ValidationError(explanation_too_long(len(text)))
        return text

    def __init__(
        self, *args: Any, framework: Framework, levels: list[ScaleLevel], indicator: Indicator | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.framework, self.levels = framework, levels
        self.indicator = indicator
        self.feed = indicator.extra.get("external") if indicator is not None else None
        self.points = external_points(indicator.extra) if indicator is not None else None
        places = framework.value_places
        fields: dict[str, forms.Field] = {}
        if framework.value_kind == ValueKind.LEVEL:
            fields["value"] = value_field(framework, levels, label=_("Tingkat"), required=False)
        elif self.feed and self.points:
            low, high = source_range(indicator)  # type: ignore[arg-type]
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
            fields["value"].help_text = _(
                "Nilai dalam rentang tingkat yang dipilih, mis. 2,35; nilai yang lebih halus ditulis lengkap (1,1667) "
                "atau sebagai pecahan (7/6)."
            )
        self.fields = {**fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.framework.value_kind == ValueKind.LEVEL or self.errors:
            return data
        places = self.framework.value_places
        if "source_value" in self.fields and self.indicator is not None:
            if str(self.data.get("value") or "").strip():  # a fed value is converted, never typed
                raise forms.ValidationError(str(values.fed_refusal(self.indicator)))
            try:  # the one rule, shared with the API (assessment/claims.py)
                claim = fed_claim(
                    self.indicator, self.framework, data.get("source_value"), bool(data.get("source_missing"))
                )
            except ClaimError as exc:
                raise forms.ValidationError(str(exc)) from exc
            data["value"], data["source_value"] = claim.value, claim.source_value
            return data
        level, value = data.get("level"), data.get("value")
        if value is None:  # a level alone (autosave right after choosing it) keeps the text, no value yet
            return data
        chosen = next((lv for lv in self.levels if lv.level == level), None)
        if chosen is None:
            self.add_error("level", _("Pilih tingkat yang sesuai dengan nilai."))
            return data
        try:
            values.in_band(band_of(chosen), chosen.level, value, places)
        except values.ValueRefused as refused:
            self.add_error("value", str(refused))
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
    # No default decision: an untouched control must not read as "accepted".
    status = forms.ChoiceField(
        label=_("Bukti dukung"),
        choices=[("", _("— pilih keputusan —")), ("approved", _("Terima")), ("rejected", _("Tolak"))],
    )
    comment = forms.CharField(label=_("Komentar"), required=False, max_length=2000)
