"""The what-if simulator's data for the browser, and a Python mirror of its arithmetic.

The page sends the framework as integers (weights scaled by a power of ten, values in units of
10**-value_places, band bounds as numerator/denominator) and `static/js/simulator.js` computes
the index exactly with BigInt. `compute` below is the same algorithm step by step, so tests can
check it against `scoring.engine.score`; the JS file itself is also run under node in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from assessment.models import Evaluation, FrameworkGroup, Indicator
from scoring import engine
from scoring.services import engine_framework


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def to_units(value: Decimal | int, places: int) -> int:
    """A value as an integer count of 10**-places (refuses finer values)."""
    scaled = Decimal(value).scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(scaled)


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
    parents = {g.code: (g.parent.code if g.parent else None) for g in groups}
    indicators = list(Indicator.objects.filter(framework=framework).select_related("group").order_by("number"))
    weight_scale = 10 ** max((_places(i.weight) for i in indicators), default=0)

    def ancestors(code: str | None) -> list[str]:
        chain = []
        while code is not None:
            chain.append(code)
            code = parents[code]
        return chain

    lowest, highest = to_units(framework.value_min, places), to_units(framework.value_max, places)
    whole = [to_units(level, places) for level in range(int(framework.value_min), int(framework.value_max) + 1)]
    rows = []
    for indicator in indicators:
        key = str(indicator.number)
        now = to_units(current[key], places) if key in current else None
        begin = to_units(Decimal(str(start[key])), places) if start.get(key) not in (None, "") else None
        values = sorted({*whole, *(v for v in (now, begin) if v is not None)})
        options = tuple((v, _label(v, places)) for v in values if lowest <= v <= highest)
        rows.append(Row(key, indicator.number, indicator.name, indicator.group.code, options, now, begin))
    data = {
        "places": spec.places,
        "scale": 10**places,
        "min": lowest,
        "max": highest,
        "basis": evaluation.predicate_basis,
        "indicators": [
            {"key": str(i.number), "w": int(i.weight * weight_scale), "groups": ancestors(i.group.code)}
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
    value = Decimal(units).scaleb(-places)
    return str(value).replace(".", ",")


# --- the mirror of simulator.js ---------------------------------------------------------------


def round_units(numerator: int, denominator: int, places: int) -> int:
    """floor((2 n 10^p + d) / (2 d)): half-up rounding of n/d (n >= 0) to 10**-places units."""
    return int((2 * numerator * 10**places + denominator) // (2 * denominator))


def display(units: int, places: int) -> str:
    text = str(units).rjust(places + 1, "0")
    return f"{text[:-places]},{text[-places:]}" if places else text


def band_for(bands: list[dict[str, Any]], numerator: int, denominator: int) -> str | None:
    for band in bands:
        (ln, ld), (un, ud) = band["lower"], band["upper"]
        lower = numerator * ld - ln * denominator  # sign of n/d - lower
        upper = numerator * ud - un * denominator
        above = lower >= 0 if band["li"] else lower > 0
        below = upper <= 0 if band["ui"] else upper < 0
        if above and below:
            return str(band["name"])
    return None


def compute(data: Mapping[str, Any], levels: Mapping[str, int | None]) -> dict[str, Any]:
    """The index, group indices and predikat of `levels` (units), exactly as simulator.js does."""
    sums: dict[str, int] = {}
    weights: dict[str, int] = {}
    total = total_weight = 0
    for indicator in data["indicators"]:
        value = levels.get(indicator["key"])
        if value is None:
            continue
        total += value * indicator["w"]
        total_weight += indicator["w"]
        for code in indicator["groups"]:
            sums[code] = sums.get(code, 0) + value * indicator["w"]
            weights[code] = weights.get(code, 0) + indicator["w"]

    def make(weighted: int, weight: int) -> dict[str, Any]:
        denominator = weight * data["scale"]
        rounded = round_units(weighted, denominator, data["places"])
        if data["basis"] == engine.PredicateBasis.ROUNDED:
            predicate = band_for(data["bands"], rounded, 10 ** data["places"])
        else:
            predicate = band_for(data["bands"], weighted, denominator)
        return {"display": display(rounded, data["places"]), "predicate": predicate}

    return {
        "index": make(total, total_weight) if total_weight else None,
        "groups": {code: make(sums[code], weights[code]) for code in sums if weights[code]},
    }


def raise_levels(data: Mapping[str, Any], levels: Mapping[str, int], keys: Iterable[str]) -> dict[str, int]:
    """Each of `keys` one whole level up (capped at the maximum), as the plan's steps do."""
    raised = dict(levels)
    scale = data["scale"]
    for key in keys:
        if key in raised and raised[key] < data["max"]:
            raised[key] = min((raised[key] // scale + 1) * scale, data["max"])
    return raised
