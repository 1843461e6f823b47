"""The what-if simulator's data for the browser.

The page sends the framework as integers (the engine's scaled weights, values in units of
10**-value_places, band bounds as numerator/denominator) and `static/js/simulator.js` computes
the index exactly with BigInt; the tests run that file under node against `scoring.engine.score`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from assessment.models import Evaluation, FrameworkGroup, Indicator
from scoring import engine
from scoring.services import engine_framework
from spbe_portal import formatting


def to_units(value: Decimal | int, places: int) -> int:
    """A value as an integer count of 10**-places (the engine's conversion; refuses finer values)."""
    return engine.to_hundredths(value, places)


def from_units(units: int, places: int) -> int | str:
    """The inverse of `to_units`, as stored in a scenario: an int for whole levels."""
    value = Decimal(units).scaleb(-places)
    return int(value) if value == value.to_integral_value() else str(value)


@dataclass(frozen=True)
class Row:
    key: str
    number: int
    name: str
    group: str
    options: tuple[tuple[int, str], ...]  # (value in units, label)
    current: int | None
    start: int | None


def _fraction(value: Decimal) -> list[int]:
    f = Fraction(value)
    return [f.numerator, f.denominator]


def simulator_data(
    evaluation: Evaluation, current: Mapping[str, Decimal], start: Mapping[str, Decimal | int | str]
) -> tuple[dict[str, Any], list[Row], list[FrameworkGroup]]:
    """The JSON for simulator.js, the table rows and the groups (3 queries + the engine cache)."""
    framework = evaluation.framework
    spec = engine_framework(framework)
    places = framework.value_places
    groups = list(FrameworkGroup.objects.filter(framework=framework).select_related("parent"))
    indicators = list(Indicator.objects.filter(framework=framework).select_related("group").order_by("number"))
    lowest, highest = to_units(framework.value_min, places), to_units(framework.value_max, places)
    whole = [to_units(level, places) for level in range(int(framework.value_min), int(framework.value_max) + 1)]
    # Decimal values (Pemdi 8/2026) may be any 10**-places step of the range, as in the questionnaire.
    every = list(range(lowest, highest + 1)) if places else []
    rows = []
    for indicator in indicators:
        key = str(indicator.number)
        now = to_units(current[key], places) if key in current else None
        begin = to_units(Decimal(str(start[key])), places) if start.get(key) not in (None, "") else None
        values = sorted({*whole, *every, *(v for v in (now, begin) if v is not None)})
        options = tuple((v, _label(v, places)) for v in values if lowest <= v <= highest)
        rows.append(Row(key, indicator.number, indicator.name, indicator.group.code, options, now, begin))
    data = {
        "places": spec.places,
        "scale": 10**places,
        "min": lowest,
        "max": highest,
        "basis": evaluation.predicate_basis,
        "indicators": [
            {
                "key": str(i.number),
                "w": spec.int_weight(str(i.number)),
                "groups": list(spec.ancestors(str(i.number))),
                # level value bands' lower edges in units (decimal frameworks): "naik" steps to the next one
                "edges": [edge for _, edge in spec.level_edges(str(i.number))],
            }
            for i in indicators
        ],
        "groups": [{"code": g.code, "kind": g.kind, "name": g.name} for g in groups],
        "bands": [
            {
                "name": b.name,
                "lower": _fraction(b.lower),
                "upper": _fraction(b.upper),
                "li": b.lower_inclusive,
                "ui": b.upper_inclusive,
            }
            for b in spec.bands
        ],
        "current": {r.key: r.current for r in rows if r.current is not None},
        "start": {r.key: r.start for r in rows if r.start is not None},
    }
    return data, rows, groups


def _label(units: int, places: int) -> str:
    return formatting.number(Decimal(units).scaleb(-places))
