"""Level vectors from outside the portal: parsing and the result shape shared by `spbe_index` and the API.

Both accept `{"<indicator number>": <level>, ...}` per item (for Pemdi also "7/6") and answer with
`{"id", "index", "predicate", "<kind>s": {code: value}}` (for 59/2020 `domains` and `aspects`).
Figures are decimal strings with a dot and the framework's places. Errors name the item and the
indicator, so a caller can fix the one bad value.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from scoring import engine


class VectorError(ValueError):
    """An item that cannot be scored; the message names it."""


def parse_value(raw: Any, spec: engine.Framework, where: str) -> Decimal | Fraction:
    """One indicator value: a number (or numeric string) with the framework's places, in range.

    A framework that takes exact values (Pemdi) also accepts any number of decimal places and
    fractions such as "7/6" (an assessor's value); they are kept exact, never cut.
    """
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise VectorError(f"{where}: {raw!r} is not a number")
    if spec.exact_values and isinstance(raw, str) and "/" in raw:
        return _fraction(raw, spec, where)
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise VectorError(f"{where}: {raw!r} is not a number") from exc
    if not value.is_finite():
        raise VectorError(f"{where}: {raw!r} is not a number")
    if spec.exact_values:
        _check_range(value, raw, spec, where)
        return value
    if value != value.quantize(Decimal(1).scaleb(-spec.value_places)):
        kind = "a whole level" if spec.value_places == 0 else f"a value with at most {spec.value_places} decimals"
        raise VectorError(f"{where}: {raw!r} is not {kind}")
    if not spec.value_min <= value <= spec.value_max:
        step = Decimal(1).scaleb(-spec.value_places)
        low, high = spec.value_min.quantize(step), spec.value_max.quantize(step)
        raise VectorError(f"{where}: {raw!r} is outside {low}..{high}")
    return value


def _fraction(raw: str, spec: engine.Framework, where: str) -> Fraction:
    numerator, _, denominator = raw.strip().partition("/")
    try:
        value = Fraction(int(numerator), int(denominator))
    except (ValueError, ZeroDivisionError) as exc:  # also digits beyond int()'s limit
        raise VectorError(f"{where}: {raw!r} is not a number or a fraction such as 7/6") from exc
    _check_range(value, raw, spec, where)
    return value


def _check_range(value: Decimal | Fraction, raw: Any, spec: engine.Framework, where: str) -> None:
    if not spec.value_min <= value <= spec.value_max:
        step = Decimal(1).scaleb(-spec.value_places)
        low, high = spec.value_min.quantize(step), spec.value_max.quantize(step)
        raise VectorError(f"{where}: {raw!r} is outside {low}..{high}")


def parse_levels(levels: Any, spec: engine.Framework, label: str) -> dict[str, Decimal | Fraction]:
    """A complete vector: every indicator of the framework, nothing else."""
    if not isinstance(levels, dict):
        raise VectorError(f"{label}: 'levels' must be an object mapping indicator numbers to levels")
    keys = set(spec.keys)
    unknown = sorted(set(map(str, levels)) - keys, key=lambda k: (len(k), k))
    if unknown:
        raise VectorError(f"{label}: unknown indicator {', '.join(unknown)}")
    missing = [k for k in spec.keys if k not in levels]
    if missing:
        raise VectorError(f"{label}: missing indicator {', '.join(missing)}")
    return {str(k): parse_value(v, spec, f"{label}: indicator {k}") for k, v in levels.items()}


def parse_items(items: Any, spec: engine.Framework) -> list[tuple[Any, dict[str, Decimal | Fraction]]]:
    """`[{"id": ..., "levels": {...}}, ...]` -> [(id, values)], refusing the whole batch on one bad item."""
    if not isinstance(items, list):
        raise VectorError('input must be a JSON array of {"id": ..., "levels": {...}} objects')
    parsed = []
    for position, item in enumerate(items):
        label = f"item {position + 1}"
        if not isinstance(item, dict):
            raise VectorError(f"{label}: expected an object with 'id' and 'levels'")
        if "id" in item:
            label += f" (id {json.dumps(item['id'], ensure_ascii=False)})"
        parsed.append((item.get("id"), parse_levels(item.get("levels"), spec, label)))
    return parsed


def result_entry(item_id: Any, result: engine.Result) -> dict[str, Any]:
    """The output of one scored item: the index, its predikat and every group kind's figures."""
    if result.index is None:  # cannot happen: parse_levels refuses incomplete vectors
        raise VectorError(f"item {item_id!r} has no indicator values")
    entry: dict[str, Any] = {"id": item_id, "index": f"{result.index.display:f}", "predicate": result.index.predicate}
    for kind in dict.fromkeys(result.kinds.values()):
        entry[f"{kind}s"] = {code: f"{s.display:f}" for code, s in result.by_kind(kind).items()}
    return entry
