"""Template helpers for index figures: always the engine's rounded value, localised."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

from scoring.engine import Score, round_half_up

register = template.Library()


@register.filter
def figure(value: Score | Decimal | str | None) -> str:
    """'2,35' in Indonesian ('2.35' in English); a dash when there is nothing to show.

    Scores arrive already rounded half-up by the engine; this only localises the digits.
    """
    if value is None or value == "":
        return "–"  # noqa: RUF001  (an en dash is the typographic "no value")
    if isinstance(value, Score):
        number = value.display
        exponent = number.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return number_format(number, decimal_pos=places)
    # Other index-like figures (band bounds such as 2.600, national series) read as "2,60".
    return number_format(round_half_up(Fraction(Decimal(value)), 2), decimal_pos=2)
