"""Template filters over spbe_portal.formatting (registered as the `formatting` library in settings).

{% load formatting %}
{{ value|number:2 }}  {{ value|level:framework.value_places }}  {{ moment|wib }}  {{ moment|wib_time }}
{{ moment|day }} (the WIB day)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template

from spbe_portal import formatting

register = template.Library()


@register.filter
def number(value: Decimal | int | str | None, places: int | None = None) -> str:
    return formatting.number(value, places)


@register.filter
def level(value: Decimal | int | None, places: int) -> str:
    return formatting.level(value, places)


@register.filter
def wib(moment: datetime | None) -> str:
    return formatting.wib(moment)


@register.filter
def wib_time(moment: datetime | None) -> str:
    return formatting.wib(moment, date=False)


@register.filter
def day(moment: datetime | date | None) -> str:
    return formatting.day(moment)
