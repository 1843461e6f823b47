"""The rule for a valid answer value, in one place: parse, step, range, band and the fed conversion.

Every entry point goes through it with the same Indonesian reasons: the answer form
(`forms.answers`, its fields call `read` and `check`), the API draft save, the Excel
questionnaire import, and `services.answers.save_draft`, which calls `check_claim` so a new
entry point cannot skip it.

* A whole-level framework (59/2020) takes whole levels within value_min..value_max.
* A decimal framework (Pemdi) takes exact values: any number of places, or a fraction such as
  7/6 (an assessor's value), kept exact; on the answer page the OPD also names the level and
  the value must lie in that level's band.
* An externally fed indicator (`assessment.claims`) takes no typed value: its value is the
  conversion of the agency's figure, kept beside it, or the "not yet published" value.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from assessment.claims import ClaimError, fed_claim, is_fed
from assessment.conversion import LevelBand
from assessment.models import Framework, Indicator, ValueKind
from assessment.services.evaluations import WorkflowError
from spbe_portal import formatting
from spbe_portal.numbers import parse_decimal, parse_int

Number = Decimal | Fraction


class ValueRefused(WorkflowError, ValueError):  # noqa: N818  (a refusal, shown as it is)
    """A value the rule refuses; the message is the reason shown, `code` names the rule."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def comma(value: Number, places: int) -> str:
    """A figure as typed into the portal's number fields, which read a comma: 2,35 (whatever the language)."""
    return formatting.number(value, places, language="id")


def exact(framework: Framework) -> bool:
    """A decimal framework keeps values finer than its places exact (an assessor's 7/6)."""
    return framework.value_kind != ValueKind.LEVEL


def step_of(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def within(number: Number, low: Decimal, high: Decimal, places: int) -> None:
    if not low <= number <= high:
        raise ValueRefused(
            _("Nilai harus antara %(low)s dan %(high)s.") % {"low": comma(low, places), "high": comma(high, places)},
            "range",
        )


def on_step(number: Number, places: int) -> Decimal:
    """The number in steps of 10**-places, or the step's reason."""
    if isinstance(number, int):  # a caller's whole level (tests, seeding): Decimal(3)
        number = Decimal(number)
    if isinstance(number, Fraction):
        if number.denominator != 1 and (number * 10**places).denominator != 1:
            raise ValueRefused(_("Nilai ditulis dalam kelipatan %(step)s.") % {"step": comma(step_of(places), places)},
                               "step")  # fmt: skip
        number = Decimal(number.numerator) / Decimal(number.denominator)
    if number != number.quantize(step_of(places)):
        raise ValueRefused(
            _("Nilai ditulis dalam kelipatan %(step)s.") % {"step": comma(step_of(places), places)}, "step"
        )
    return number.quantize(step_of(places))


def read(raw: object, *, low: Decimal, high: Decimal, places: int, exact: bool = False) -> Number | None:
    """A number written with a comma or a dot (or, when `exact`, a fraction), in range and on step.

    With `exact` any number of places and a fraction such as 7/6 are taken and kept exact.
    """
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):  # a spreadsheet cell's number
        cell = parse_decimal(raw)
        text = "?" if cell is None else format(cell, "f")
    else:
        text = str(raw if raw is not None else "").strip().replace(" ", "")
    if not text:
        return None
    if exact and "/" in text:
        return _fraction(text, low, high, places)
    number = parse_decimal(text)
    if number is None or isinstance(raw, bool):
        raise ValueRefused(
            _("Tulis angka seperti %(example)s (koma sebagai pemisah desimal).")
            % {"example": comma(low + Decimal("1.35"), places)},
            "invalid",
        )
    if exact and len(text) <= 40:
        within(number, low, high, places)
        return number if number == number.quantize(step_of(places)) else Fraction(number)
    on_step(number, places)
    within(number, low, high, places)
    return number.quantize(step_of(places))


def _fraction(text: str, low: Decimal, high: Decimal, places: int) -> Fraction:
    top, _slash, bottom = text.partition("/")
    numerator, denominator = parse_int(top), parse_int(bottom)
    if numerator is None or not denominator:
        raise ValueRefused(
            _("Tulis pecahan seperti 7/6, atau angka seperti %(example)s.")
            % {"example": comma(low + Decimal("1.35"), places)},
            "invalid",
        )
    number = Fraction(numerator, denominator)
    within(number, low, high, places)
    return number


def read_value(raw: object, framework: Framework) -> Number | None:
    """An indicator value for the framework, as the answer page reads it ("2,35", "2.35", "7/6", 3)."""
    return read(raw, low=framework.value_min, high=framework.value_max, places=framework.value_places,
                exact=exact(framework))  # fmt: skip


def check(framework: Framework, value: Number) -> Number:
    """A value already parsed: on the framework's steps (unless it keeps values exact) and in range."""
    places = framework.value_places
    if not exact(framework):
        value = on_step(value, places)
    within(value, framework.value_min, framework.value_max, places)
    return value


def in_band(band: LevelBand | None, level: int, value: Number, places: int) -> None:
    """The value lies in the chosen level's band (decimal frameworks, on the answer page)."""
    if band is not None and not band.contains(value):
        raise ValueRefused(
            _("Nilai %(value)s di luar rentang tingkat %(level)s (%(range)s).")
            % {"value": comma(value, places), "level": level,
               "range": f"{comma(band.lower, places)}\N{EN DASH}{comma(band.last(places), places)}"},
            "band",
        )  # fmt: skip


def fed_refusal(indicator: Indicator) -> ValueRefused:
    feed = indicator.extra["external"].get("short_name", "")
    return ValueRefused(
        _("Nilai indikator ini dikonversi dari %(feed)s: isi angka sumbernya atau nyatakan belum diterbitkan.")
        % {"feed": feed},
        "fed",
    )


def check_claim(indicator: Indicator, framework: Framework, value: Number | None, source: Decimal | None) -> None:
    """The value to store with its source figure: in range and on step, and for a fed indicator the
    conversion of `source` (or, without a figure, the "not yet published" value). `save_draft` asks it."""
    if not is_fed(indicator):
        if source is not None:
            raise ValueRefused(_("Indikator ini tidak diisi dari angka instansi lain."), "source")
        if value is not None:
            check(framework, value)
        return
    if value is None:
        if source is not None:
            raise fed_refusal(indicator)
        return
    try:
        claim = fed_claim(indicator, framework, source, source is None)
    except ClaimError as error:
        raise ValueRefused(str(error), "source") from error
    if claim.value is None or value != claim.value:
        raise fed_refusal(indicator)
