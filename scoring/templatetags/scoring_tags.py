"""Template helpers for index figures: always the engine's rounded value, localised."""

from __future__ import annotations

from decimal import Decimal

from django import template

from scoring.engine import Score
from spbe_portal import formatting

register = template.Library()


@register.filter
def figure(value: Score | Decimal | str | None) -> str:
    """'2,35' in Indonesian ('2.35' in English); a dash when there is nothing to show.

    Scores arrive already rounded half-up by the engine; this only localises the digits.
    """
    return formatting.number(value.display if isinstance(value, Score) else value)
