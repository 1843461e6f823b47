"""The parsed form of a framework file: its dataclasses, its error and the number rule they share.

`assessment/catalog.py` reads a file into these; `assessment/catalog_checks.py` checks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from assessment.conversion import LevelBand

FORMAT_VERSION = 1
TOTAL_WEIGHT = Decimal(100)


class FrameworkFileError(ValueError):
    """The file is not a consistent framework; the message names the problem."""


@dataclass
class LevelText:
    criterion: str
    fulfilment: str = ""
    evidence: str = ""
    # Pemdi 2026.2 (Modul Indikator): the Kondisi, the numbered evidence items (code, text) in
    # the national application's I#-L#-## form, and a note where the source has a gap.
    condition: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)
    gap: str = ""


@dataclass
class IndicatorDef:
    number: int
    code: str
    name: str
    weight: Decimal
    question: str
    levels: dict[int, LevelText]
    level_scale: str
    description: str = ""
    assessment_rule: str = ""
    evidence_examples: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class GroupDef:
    code: str
    number: int
    kind: str
    name: str
    weight: Decimal
    level_scale: str | None
    groups: list[GroupDef]
    indicators: list[IndicatorDef]


@dataclass
class ScaleDef:
    code: str
    name: str
    levels: dict[int, tuple[str, str]]  # level -> (name, description)
    bands: dict[int, LevelBand] = field(default_factory=dict)  # decimal values: each level's band


@dataclass
class BandDef:
    name: str
    lower: Decimal
    upper: Decimal
    lower_inclusive: bool
    upper_inclusive: bool


@dataclass
class FrameworkDef:
    code: str
    version: str
    name: str
    short_name: str
    regulation: str
    provisional: bool
    unverified: list[str]
    value_kind: str
    value_min: Decimal
    value_max: Decimal
    value_places: int
    rounding_places: int
    predicate_basis: str
    group_kinds: dict[str, str]
    scales: list[ScaleDef]
    bands: list[BandDef]
    groups: list[GroupDef]
    meta: dict[str, Any]
    checksum: str

    def all_groups(self) -> list[GroupDef]:
        found: list[GroupDef] = []
        stack = list(reversed(self.groups))
        while stack:
            group = stack.pop()
            found.append(group)
            stack.extend(reversed(group.groups))
        return found

    def all_indicators(self) -> list[IndicatorDef]:
        return [i for g in self.all_groups() for i in g.indicators]

    def level_numbers(self) -> range:
        return range(int(self.value_min), int(self.value_max) + 1)


def decimal_of(raw: Any, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise FrameworkFileError(f"{where}: '{raw}' is not a number") from exc
    if not value.is_finite():
        raise FrameworkFileError(f"{where}: '{raw}' is not a finite number")
    return value


def external_points(extra: dict[str, Any]) -> list[tuple[Decimal, Decimal]] | None:
    """The conversion table of an externally fed indicator (`extra["external"]`), or None."""
    feed = extra.get("external")
    if not isinstance(feed, dict):
        return None
    return [(Decimal(str(x)), Decimal(str(y))) for x, y in feed.get("points") or []]
