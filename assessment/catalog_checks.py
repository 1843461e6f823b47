"""Checking a parsed framework as a whole: unique codes, weights summing to 100, complete levels,
decimal value rules and predicate bands that tile the scale without gaps or overlaps.
"""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from assessment.catalog_defs import TOTAL_WEIGHT, FrameworkDef, FrameworkFileError, decimal_of, external_points
from assessment.conversion import ConversionError, check_bands, check_table
from assessment.index_reference import IndexReferenceError, reference_of


def _check_duplicates(label: str, items: list[Any]) -> None:
    repeated = sorted(str(k) for k, n in Counter(items).items() if n > 1)
    if repeated:
        raise FrameworkFileError(f"duplicate {label}: {', '.join(repeated)}")


def _check_weights(framework: FrameworkDef) -> None:
    for group in framework.all_groups():
        if group.weight <= 0:
            raise FrameworkFileError(f"group {group.code}: weight must be positive")
        parts = [g.weight for g in group.groups] + [i.weight for i in group.indicators]
        if sum(parts) != group.weight:
            raise FrameworkFileError(
                f"group {group.code}: weight {group.weight} is not the sum of its children ({sum(parts)})"
            )
    for indicator in framework.all_indicators():
        if indicator.weight <= 0:
            raise FrameworkFileError(f"indicator {indicator.code}: weight must be positive")
    total = sum((g.weight for g in framework.groups), Decimal(0))
    if total != TOTAL_WEIGHT:
        raise FrameworkFileError(f"weights sum to {total}, not {TOTAL_WEIGHT}")


def _check_levels(framework: FrameworkDef) -> None:
    scales = {s.code: s for s in framework.scales}
    expected = set(framework.level_numbers())
    for scale in framework.scales:
        if set(scale.levels) != expected:
            raise FrameworkFileError(f"level scale {scale.code}: levels {sorted(scale.levels)} != {sorted(expected)}")
    for indicator in framework.all_indicators():
        if indicator.level_scale not in scales:
            raise FrameworkFileError(f"indicator {indicator.code}: unknown level scale {indicator.level_scale!r}")
        for level in sorted(expected):
            text = indicator.levels.get(level)
            if text is None or not text.criterion:
                raise FrameworkFileError(f"indicator {indicator.code}: criterion for level {level} is missing")
        extra = sorted(set(indicator.levels) - expected)
        if extra:
            raise FrameworkFileError(f"indicator {indicator.code}: levels {extra} are outside the scale")


def _check_decimal_values(framework: FrameworkDef) -> None:
    """Level value bands must tile the value range; an external feed needs a usable conversion table."""
    for scale in framework.scales:
        if scale.bands and framework.value_kind != "decimal":
            raise FrameworkFileError(f"level scale {scale.code}: value bands ('lower'/'upper') need decimal values")
        if scale.bands:
            if set(scale.bands) != set(scale.levels):
                raise FrameworkFileError(f"level scale {scale.code}: give 'lower'/'upper' on every level or none")
            try:
                check_bands(list(scale.bands.values()), framework.value_min, framework.value_max)
            except ConversionError as exc:
                raise FrameworkFileError(f"level scale {scale.code}: {exc}") from exc
    for indicator in framework.all_indicators():
        if "index_reference" in indicator.extra:
            try:
                reference_of(indicator.extra)
            except IndexReferenceError as exc:
                raise FrameworkFileError(f"indicator {indicator.code}: {exc}") from exc
        if "external" not in indicator.extra:
            continue
        where = f"indicator {indicator.code} external"
        try:
            points = external_points(indicator.extra) or []
            check_table(points)
        except (ConversionError, InvalidOperation, TypeError, ValueError) as exc:
            raise FrameworkFileError(f"{where}: {exc}") from exc
        if framework.value_kind != "decimal":
            raise FrameworkFileError(f"{where}: converted values need decimal indicator values")
        if points[0][1] < framework.value_min or points[-1][1] > framework.value_max:
            raise FrameworkFileError(f"{where}: converted values leave {framework.value_min}..{framework.value_max}")
        missing = decimal_of(indicator.extra["external"].get("missing_value", framework.value_min), f"{where} missing")
        if not framework.value_min <= missing <= framework.value_max:
            raise FrameworkFileError(f"{where}: missing_value {missing} is outside the value range")


def _check_bands(framework: FrameworkDef) -> None:
    if not framework.bands:
        raise FrameworkFileError("no predicate bands")
    bands = sorted(framework.bands, key=lambda b: b.lower)
    first, last = bands[0], bands[-1]
    if first.lower != framework.value_min or not first.lower_inclusive:
        raise FrameworkFileError(
            f"predicate bands leave a gap below {first.lower} (must start at {framework.value_min})"
        )
    if last.upper != framework.value_max or not last.upper_inclusive:
        raise FrameworkFileError(
            f"predicate bands leave a gap at the top (must end at {framework.value_max} inclusive)"
        )
    for band in bands:
        if band.lower >= band.upper:
            raise FrameworkFileError(f"predicate {band.name}: lower {band.lower} is not below upper {band.upper}")
    for below, above in itertools.pairwise(bands):
        if below.upper < above.lower:
            raise FrameworkFileError(f"gap between predicates {below.name} and {above.name}")
        if below.upper > above.lower:
            raise FrameworkFileError(f"predicates {below.name} and {above.name} overlap")
        if below.upper_inclusive and above.lower_inclusive:
            raise FrameworkFileError(f"predicates {below.name} and {above.name} overlap at {above.lower}")
        if not below.upper_inclusive and not above.lower_inclusive:
            raise FrameworkFileError(f"gap at {above.lower} between predicates {below.name} and {above.name}")


def check_framework(framework: FrameworkDef) -> None:
    if not framework.groups:
        raise FrameworkFileError("no groups: a framework needs at least one weighted group")
    if framework.value_kind not in {"level", "decimal"}:
        raise FrameworkFileError(f"values.kind must be 'level' or 'decimal', not {framework.value_kind!r}")
    if framework.value_kind == "level" and framework.value_places != 0:
        raise FrameworkFileError("values.places must be 0 for whole levels")
    groups = framework.all_groups()
    indicators = framework.all_indicators()
    _check_duplicates("group codes", [g.code for g in groups])
    _check_duplicates("indicator codes", [i.code for i in indicators])
    _check_duplicates("indicator numbers", [i.number for i in indicators])
    _check_duplicates("predicate names", [b.name for b in framework.bands])
    _check_duplicates("level scale codes", [s.code for s in framework.scales])
    _check_weights(framework)
    _check_levels(framework)
    _check_decimal_values(framework)
    _check_bands(framework)
