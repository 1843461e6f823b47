"""Converting an agency's published index into an indicator value, and value bands per level.

Pure (no Django): the catalog checks tables with it, the questionnaire converts with it, tests
call it directly. A conversion table is a list of (source value, indicator value) break points
with increasing source values; between two points the value is linear (PermenPANRB 8/2026
Modul Indikator 5: Indeks SDI 25 -> 2,00; 68,75 -> 3,75). The exact result is a Fraction; it is
rounded once, half-up, to the framework's places when it becomes an answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


class ConversionError(ValueError):
    """A table that cannot convert, or a source value outside the table."""


@dataclass(frozen=True)
class Conversion:
    """One conversion: the source figure, the exact and the rounded value, and the segment used."""

    source: Decimal
    exact: Fraction
    value: Decimal
    segment: tuple[Decimal, Decimal, Decimal, Decimal]  # source from, to -> value from, to


def round_half_up(value: Fraction, places: int) -> Decimal:
    scale = 10**places
    numerator, denominator = value.numerator * scale, value.denominator
    sign = -1 if numerator < 0 else 1
    quotient = (2 * abs(numerator) + denominator) // (2 * denominator)
    return Decimal(sign * quotient).scaleb(-places)


def check_table(points: Sequence[tuple[Decimal, Decimal]]) -> None:
    if len(points) < 2:
        raise ConversionError("a conversion table needs at least two points")
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x1 <= x0:
            raise ConversionError(f"source values must increase ({x0} then {x1})")
        if y1 < y0:
            raise ConversionError(f"indicator values must not decrease ({y0} then {y1})")


def convert(points: Sequence[tuple[Decimal, Decimal]], source: Decimal, places: int = 2) -> Conversion:
    """The indicator value for `source`, linear between the two break points around it."""
    check_table(points)
    low, high = points[0][0], points[-1][0]
    if not low <= source <= high:
        raise ConversionError(f"source value {source} is outside {low}..{high}")
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if source <= x1:
            exact = Fraction(y0) + (Fraction(source) - Fraction(x0)) * (Fraction(y1) - Fraction(y0)) / (
                Fraction(x1) - Fraction(x0)
            )
            return Conversion(source, exact, round_half_up(exact, places), (x0, x1, y0, y1))
    raise AssertionError("unreachable: source is within the table")  # pragma: no cover


@dataclass(frozen=True)
class LevelBand:
    level: int
    lower: Decimal
    upper: Decimal
    upper_inclusive: bool

    def contains(self, value: Decimal | Fraction) -> bool:
        return self.lower <= value and (value <= self.upper if self.upper_inclusive else value < self.upper)

    def last(self, places: int) -> Decimal:
        """The highest value of the band written with `places` decimals (1,50 exclusive -> 1,49)."""
        return self.upper if self.upper_inclusive else self.upper - Decimal(1).scaleb(-places)


def level_of(bands: Sequence[LevelBand], value: Decimal | Fraction) -> int | None:
    for band in bands:
        if band.contains(value):
            return band.level
    return None


def check_bands(bands: Sequence[LevelBand], low: Decimal, high: Decimal) -> None:
    """Level bands must tile low..high without gap or overlap, lower-inclusive, the last closed."""
    ordered = sorted(bands, key=lambda b: b.level)
    if ordered[0].lower != low or ordered[-1].upper != high or not ordered[-1].upper_inclusive:
        raise ConversionError(f"level bands must cover {low}..{high}")
    for below, above in itertools.pairwise(ordered):
        if below.upper != above.lower or below.upper_inclusive or below.lower >= below.upper:
            raise ConversionError(f"level bands {below.level} and {above.level} leave a gap or overlap")
