"""Level vectors from outside the portal: parsing and the result shape shared by `spbe_index` and the API.

Both accept `{"<indicator number>": <level>, ...}` per item (for Pemdi also "7/6") and answer with
`{"id", "index", "predicate", "<kind>s": {code: value}}` (for 59/2020 `domains` and `aspects`).
Figures are decimal strings with a dot and the framework's places. Errors name the item and the
indicator, so a caller can fix the one bad value. Their parts are English message ids (the
command's output); the API shows them in the user's language with `VectorError.localized()`
(Indonesian in `locale/id`).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext, gettext_noop

from scoring import engine

Part = tuple[str, dict[str, Any]]  # a message id and its parameters


class VectorError(ValueError):
    """An item that cannot be scored; the message names it ("where: where: what")."""

    def __init__(self, what: Part, *where: Part) -> None:
        self.parts = (*where, what)
        super().__init__(": ".join(template % params for template, params in self.parts))

    def localized(self) -> str:
        return ": ".join(gettext(template) % params for template, params in self.parts)


def _raw(value: Any) -> str:
    return repr(value)


def parse_value(raw: Any, spec: engine.Framework, *where: Part) -> Decimal | Fraction:
    """One indicator value: a number (or numeric string) with the framework's places, in range.

    A framework that takes exact values (Pemdi) also accepts any number of decimal places and
    fractions such as "7/6" (an assessor's value); they are kept exact, never cut.
    """
    not_a_number = VectorError((gettext_noop("%(raw)s is not a number"), {"raw": _raw(raw)}), *where)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise not_a_number
    if spec.exact_values and isinstance(raw, str) and "/" in raw:
        return _fraction(raw, spec, *where)
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise not_a_number from exc
    if not value.is_finite():
        raise not_a_number
    # The range first: quantizing 1e30 would raise InvalidOperation.
    _check_range(value, raw, spec, *where)
    if spec.exact_values:
        return value
    if value != value.quantize(Decimal(1).scaleb(-spec.value_places)):
        if spec.value_places == 0:
            raise VectorError((gettext_noop("%(raw)s is not a whole level"), {"raw": _raw(raw)}), *where)
        what = gettext_noop("%(raw)s is not a value with at most %(places)d decimals")
        raise VectorError((what, {"raw": _raw(raw), "places": spec.value_places}), *where)
    return value


def _fraction(raw: str, spec: engine.Framework, *where: Part) -> Fraction:
    numerator, _, denominator = raw.strip().partition("/")
    try:
        if not (numerator.isascii() and denominator.isascii()) or len(raw) > 40:
            raise ValueError(raw)
        value = Fraction(int(numerator), int(denominator))
    except (ValueError, ZeroDivisionError) as exc:
        what = gettext_noop("%(raw)s is not a number or a fraction such as 7/6")
        raise VectorError((what, {"raw": _raw(raw)}), *where) from exc
    _check_range(value, raw, spec, *where)
    return value


def _check_range(value: Decimal | Fraction, raw: Any, spec: engine.Framework, *where: Part) -> None:
    if not spec.value_min <= value <= spec.value_max:
        step = Decimal(1).scaleb(-spec.value_places)
        low, high = spec.value_min.quantize(step), spec.value_max.quantize(step)
        outside = gettext_noop("%(raw)s is outside %(low)s..%(high)s")
        raise VectorError((outside, {"raw": _raw(raw), "low": low, "high": high}), *where)


def parse_levels(levels: Any, spec: engine.Framework, label: Part) -> dict[str, Decimal | Fraction]:
    """A complete vector: every indicator of the framework, nothing else."""
    if not isinstance(levels, dict):
        raise VectorError((gettext_noop("'levels' must be an object mapping indicator numbers to levels"), {}), label)
    keys = set(spec.keys)
    unknown = sorted(set(map(str, levels)) - keys, key=lambda k: (len(k), k))
    if unknown:
        raise VectorError((gettext_noop("unknown indicator %(keys)s"), {"keys": ", ".join(unknown)}), label)
    missing = [k for k in spec.keys if k not in levels]
    if missing:
        raise VectorError((gettext_noop("missing indicator %(keys)s"), {"keys": ", ".join(missing)}), label)
    indicator = gettext_noop("indicator %(key)s")
    return {str(k): parse_value(v, spec, label, (indicator, {"key": k})) for k, v in levels.items()}


def parse_items(items: Any, spec: engine.Framework) -> list[tuple[Any, dict[str, Decimal | Fraction]]]:
    """`[{"id": ..., "levels": {...}}, ...]` -> [(id, values)], refusing the whole batch on one bad item."""
    if not isinstance(items, list):
        raise VectorError((gettext_noop('input must be a JSON array of {"id": ..., "levels": {...}} objects'), {}))
    parsed = []
    for position, item in enumerate(items):
        label: Part = (gettext_noop("item %(n)d"), {"n": position + 1})
        if not isinstance(item, dict):
            raise VectorError((gettext_noop("expected an object with 'id' and 'levels'"), {}), label)
        if "id" in item:
            shown = json.dumps(item["id"], ensure_ascii=False)
            label = (gettext_noop("item %(n)d (id %(id)s)"), {"n": position + 1, "id": shown})
        parsed.append((item.get("id"), parse_levels(item.get("levels"), spec, label)))
    return parsed


def result_entry(item_id: Any, result: engine.Result) -> dict[str, Any]:
    """The output of one scored item: the index, its predikat and every group kind's figures."""
    if result.index is None:  # cannot happen: parse_levels refuses incomplete vectors
        raise VectorError((gettext_noop("item %(id)s has no indicator values"), {"id": _raw(item_id)}))
    entry: dict[str, Any] = {"id": item_id, "index": f"{result.index.display:f}", "predicate": result.index.predicate}
    for kind in dict.fromkeys(result.kinds.values()):
        entry[f"{kind}s"] = {code: f"{s.display:f}" for code, s in result.by_kind(kind).items()}
    return entry
