"""How the portal writes figures, percentages and times: one module for pages, charts, PDFs, Excel and e-mail.

Every function follows the active language (Indonesian "2,35" and "14.05 WIB"; English "2.35"
and "14:05 WIB") unless `language` names one, which text stored in the database does ("id").
Figures are never grouped (years and codes must not read "2.022"); rounding is half-up, and only
where `places` asks for it: index figures arrive already rounded by the engine. Templates use the
same functions through the `formatting` filters (spbe_portal/formatting_tags.py); library code
imports this module, never a template tag.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.utils import formats, translation

WIB = ZoneInfo("Asia/Jakarta")
DASH = "\N{EN DASH}"  # a figure that is not there


def _separator(language: str | None) -> str:
    if language is None:
        return str(formats.get_format("DECIMAL_SEPARATOR"))
    with translation.override(language):
        return str(formats.get_format("DECIMAL_SEPARATOR"))


def number(
    value: Decimal | Fraction | int | str | None, places: int | None = None, *, language: str | None = None
) -> str:
    """A figure: "2,35"; with `places`, exactly that many decimals, half-up ("2,30", "3").

    Without `places` the value keeps its own digits. None or "" is an en dash.
    """
    if value is None or value == "":
        return DASH
    if isinstance(value, Fraction):  # an exact value (an assessor's 7/6): half-up at the places shown
        places = 2 if places is None else places
        units = (2 * abs(value.numerator) * 10**places + value.denominator) // (2 * value.denominator)
        value = Decimal(units if value >= 0 else -units).scaleb(-places)
    figure = Decimal(value)
    if places is not None:
        figure = figure.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{figure:f}"
    return text.replace(".", _separator(language)) if "." in text else text


def level(value: Decimal | int | None, places: int, *, language: str | None = None) -> str:
    """A value on a framework's scale: whole levels as "3", decimal scales with their places ("2,30")."""
    return number(value, places, language=language)


def cell_format(places: int) -> str:
    """A spreadsheet cell's number format for `places` decimals ("0.00"): the cell stays a number,
    and Excel or LibreOffice writes it with the reader's own decimal separator."""
    return "0." + "0" * places if places else "0"


def span(low: Decimal, high: Decimal, places: int, *, language: str | None = None) -> str:
    """A range of values: "1,50" and "2,49" joined by an en dash."""
    return f"{number(low, places, language=language)}{DASH}{number(high, places, language=language)}"


def percent(part: int, whole: int, *, language: str | None = None) -> str:
    """A share as a whole percentage, half-up: "67 %" is written "67%" in both languages."""
    if whole <= 0:
        return DASH
    return f"{number(Decimal(100 * part) / Decimal(whole), 0, language=language)}%"


def wib(moment: datetime | None, *, date: bool = True, language: str | None = None) -> str:
    """A moment in WIB: "1 Desember 2026 14.05 WIB" (English "1 December 2026 14:05 WIB").

    Without `date`, the time alone: "14.05 WIB".
    """
    if moment is None:
        return DASH
    local = moment.astimezone(WIB) if moment.tzinfo else moment
    with translation.override(language or translation.get_language()):
        clock = f"{local:%H}{'.' if translation.get_language() == 'id' else ':'}{local:%M}"
    return f"{day(local, language=language) if date else ''} {clock} WIB".strip()


def day(moment: datetime | dt.date | None, *, language: str | None = None) -> str:
    """A calendar day: "1 Desember 2026" (English "1 December 2026"); a moment is read in WIB,
    so a PDF printed at 23.30 WIB is dated that day, not the UTC one."""
    if moment is None:
        return DASH
    if isinstance(moment, datetime) and moment.tzinfo:
        moment = moment.astimezone(WIB)
    with translation.override(language or translation.get_language()):
        return str(formats.date_format(moment, "j F Y"))
