"""A published index an indicator's evidence cites (Pemdi I10-I12: BSSN's IKASANDI), read as data.

Unlike an externally fed indicator (`extra["external"]`, Indeks SDI), whose value *is* the
converted figure, the IKASANDI figure is one evidence item among others: the 2026 assessor scored
I10-I12 from the uploaded evidence. So the figure decides nothing here. The portal shows which
level its band names (the Modul's Data Dukung per level, "1,50 < IKASANDI < 2,50") and flags a
figure measured more than `max_age_months` before the evaluation's reference date. The bands and
the age live in the framework file (`extra["index_reference"]`, outside the structure hash
because no score depends on them). Pure: no Django.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from assessment.conversion import LevelBand, level_of


class IndexReferenceError(ValueError):
    """An `index_reference` entry the loader must refuse."""


@dataclass(frozen=True)
class IndexReference:
    index: str
    short_name: str
    agency: str
    source_min: Decimal
    source_max: Decimal
    bands: list[LevelBand]  # lower-inclusive; need not cover the whole range (I11: level 5 only)
    max_age_months: int


@dataclass(frozen=True)
class Reading:
    figure: Decimal
    measured_on: date
    level: int | None  # the level whose band holds the figure; None when no band does
    band: LevelBand | None
    reference_date: date
    oldest_fresh: date  # measured before this day: older than max_age_months
    stale: bool


def reference_of(extra: dict[str, Any]) -> IndexReference | None:
    raw = extra.get("index_reference")
    if not isinstance(raw, dict):
        return None
    try:
        bands = [
            LevelBand(int(b["level"]), Decimal(str(b["lower"])), Decimal(str(b["upper"])),
                      bool(b.get("upper_inclusive", False)))
            for b in raw.get("bands") or []
        ]  # fmt: skip
        reference = IndexReference(
            index=str(raw["index"]),
            short_name=str(raw.get("short_name") or raw["index"]),
            agency=str(raw.get("agency", "")),
            source_min=Decimal(str(raw["source_min"])),
            source_max=Decimal(str(raw["source_max"])),
            bands=sorted(bands, key=lambda b: b.lower),
            max_age_months=int(raw["max_age_months"]),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise IndexReferenceError(f"index_reference: {exc!r}") from exc
    check(reference)
    return reference


def check(reference: IndexReference) -> None:
    if reference.source_min >= reference.source_max or reference.max_age_months < 1:
        raise IndexReferenceError("index_reference: needs source_min < source_max and max_age_months >= 1")
    if not reference.bands:
        raise IndexReferenceError("index_reference: needs at least one band")
    for band in reference.bands:
        if not reference.source_min <= band.lower < band.upper <= reference.source_max:
            raise IndexReferenceError(f"index_reference: band of level {band.level} leaves the source range")
    for below, above in zip(reference.bands, reference.bands[1:], strict=False):
        if above.lower < below.upper or (above.lower == below.upper and below.upper_inclusive):
            raise IndexReferenceError(f"index_reference: bands of levels {below.level} and {above.level} overlap")


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day (31 March - 1 month = 28/29 February)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def read(reference: IndexReference, figure: Decimal, measured_on: date, reference_date: date) -> Reading:
    oldest = months_before(reference_date, reference.max_age_months)
    level = level_of(reference.bands, figure)
    band = next((b for b in reference.bands if b.level == level), None)
    return Reading(figure, measured_on, level, band, reference_date, oldest, measured_on < oldest)
