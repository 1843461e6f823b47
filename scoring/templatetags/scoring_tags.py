"""Template helpers for index figures: always the engine's rounded value, localised."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import get_format

from scoring.engine import Score

register = template.Library()


@register.filter
def figure(value: Score | Decimal | str | None) -> str:
    """'2,35' in Indonesian ('2.35' in English); a dash when there is nothing to show.

    Scores arrive already rounded half-up by the engine; this only localises the digits.
    """
    if value is None or value == "":
        return "–"  # noqa: RUF001  (an en dash is the typographic "no value")
    number = value.display if isinstance(value, Score) else Decimal(value)
    # What number_format(number, decimal_pos=<its own places>) gives with USE_THOUSAND_SEPARATOR
    # off (settings: years and codes must not be grouped), at a tenth of the cost: a ranking
    # page shows 400 figures.
    text = f"{number:f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR")) if "." in text else text
