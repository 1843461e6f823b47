"""The one parser for numbers that come from outside: form fields, query parameters, API filters
and imported files.

Why not `str.isdigit()` + `int()` or `Decimal(text)`: `"²".isdigit()` is true and `int("²")`
raises; `Decimal("١٢")` reads Arabic-Indic digits; `Decimal("1e30")` parses but raises
`InvalidOperation` when quantized, and `Decimal("1e999999")` overflows date and float arithmetic.
Here a number is ASCII digits only, with at most one decimal separator (comma or dot), no
exponent, and a bounded length, so whatever is returned is safe to quantize, compare and store.
A caller that gets None answers with its own message in Indonesian.
"""

from __future__ import annotations

import re
from decimal import Decimal

MAX_INT_DIGITS = 9  # below 2**31: fits every integer column and a timedelta in days
MAX_DECIMAL_DIGITS = 12  # integer part; far above any score, percentage or index
MAX_FRACTION_DIGITS = 16  # with the integer part, within the 28 digits of the default context

_INTEGER = re.compile(rf"[0-9]{{1,{MAX_INT_DIGITS}}}")
_DECIMAL = re.compile(rf"(-?)([0-9]{{1,{MAX_DECIMAL_DIGITS}}})(?:[.,]([0-9]{{1,{MAX_FRACTION_DIGITS}}}))?")


def parse_int(raw: object, *, low: int | None = None, high: int | None = None) -> int | None:
    """A non-negative integer written in ASCII digits within low..high, or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not _INTEGER.fullmatch(text):
            return None
        value = int(text)
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return value


def parse_decimal(raw: object) -> Decimal | None:
    """A decimal written "2,35" or "2.35" (spaces ignored), or a finite int/float/Decimal of bounded
    size (an imported spreadsheet cell), or None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float | Decimal):
        raw = format(Decimal(str(raw)), "f") if _finite(raw) else ""
    text = str(raw).strip().replace(" ", "").replace("\N{NO-BREAK SPACE}", "")
    match = _DECIMAL.fullmatch(text)
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")  # "3" stays 3, not 3.0


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, int):
        return bool(abs(value) < 10**MAX_DECIMAL_DIGITS)
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return False
    return bool(number.is_finite() and abs(number) < 10**MAX_DECIMAL_DIGITS)
