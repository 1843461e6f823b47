"""The index arithmetic, as a pure function of a framework tree and indicator values.

No Django here: the engine takes frozen dataclasses and plain Decimals and returns values.
`scoring.services` maps database rows in and results out.

Arithmetic (PermenPANRB 59/2020, Bab II; the same rule serves Pemdi 8/2026):

* Indeks kelompok (aspect, domain, ...) = sum(value x weight) / sum(weight) over the indicators
  below the group. Because group weights are exactly the sums of their children's weights
  (the catalog loader refuses anything else), this equals the regulation's nested form
  sum(NA x BA) / BD computed from *unrounded* aspect indices.
* Indeks = the same sum over every indicator, divided by the total weight (100).
* Everything is exact: weights are turned into integers, values into integers of the
  framework's places or, where the framework takes exact values (Pemdi: an assessor's 7/6), into
  `Fraction`s; quotients stay as `Fraction`. Only the displayed figure is rounded, once, half-up, to `places` decimals.
* The predikat is read from the exact value by default, or from the rounded one when the
  evaluation period says so (2023 practice).
* Missing indicators are never counted as any level. The result is then *provisional*: group
  and overall indices are the weighted mean of what was answered, and `missing` lists the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class PredicateBasis(StrEnum):
    EXACT = "exact"
    ROUNDED = "rounded"


class ScoringError(ValueError):
    """Values that cannot be scored against the framework (unknown key, out of range)."""


@dataclass(frozen=True)
class Group:
    code: str
    kind: str
    weight: Decimal
    parent: str | None = None


@dataclass(frozen=True)
class Indicator:
    key: str
    weight: Decimal
    group: str
    # Decimal-valued frameworks (Pemdi 8/2026): each level's (number, lower edge of its value
    # band), ascending; empty where levels are whole values (59/2020).
    levels: tuple[tuple[int, Decimal], ...] = ()


@dataclass(frozen=True)
class Band:
    name: str
    lower: Decimal
    upper: Decimal
    lower_inclusive: bool = True
    upper_inclusive: bool = False
    _bounds: tuple[int, int, int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lower, upper = Fraction(self.lower), Fraction(self.upper)
        bounds = (lower.numerator, lower.denominator, upper.numerator, upper.denominator)
        object.__setattr__(self, "_bounds", bounds)

    def contains(self, value: Fraction) -> bool:
        # Cross-multiplied integers: the same comparison as Fraction's, without its overhead
        # (the ranking compares thousands of values).
        ln, ld, un, ud = self._bounds
        n, d = value.numerator, value.denominator
        above = n * ld >= ln * d if self.lower_inclusive else n * ld > ln * d
        below = n * ud <= un * d if self.upper_inclusive else n * ud < un * d
        return above and below


def _places_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Framework:
    """A weighted tree: groups (any depth) over indicators, plus predicate bands."""

    groups: Sequence[Group]
    indicators: Sequence[Indicator]
    bands: Sequence[Band]
    value_min: Decimal = Decimal(1)
    value_max: Decimal = Decimal(5)
    value_places: int = 0
    places: int = 2
    # Values may be any rational in range (7/6, 1.1667), not only multiples of 10**-value_places.
    exact_values: bool = False
    # Derived once, so scoring a batch does no per-vector bookkeeping.
    _weight_scale: int = field(init=False, repr=False)
    _edges: dict[str, tuple[tuple[int, int], ...]] = field(init=False, repr=False)
    _int_weights: dict[str, int] = field(init=False, repr=False)
    _ancestors: dict[str, tuple[str, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        scale = 10 ** max((_places_of(i.weight) for i in self.indicators), default=0)
        parents = {g.code: g.parent for g in self.groups}
        ancestors: dict[str, tuple[str, ...]] = {}
        for indicator in self.indicators:
            chain: list[str] = []
            code: str | None = indicator.group
            while code is not None:
                if code not in parents:
                    raise ScoringError(f"indicator {indicator.key} names unknown group {code}")
                chain.append(code)
                code = parents[code]
            ancestors[indicator.key] = tuple(chain)
        object.__setattr__(self, "_weight_scale", scale)
        object.__setattr__(self, "_int_weights", {i.key: int(i.weight * scale) for i in self.indicators})
        object.__setattr__(self, "_ancestors", ancestors)
        edges = {
            i.key: tuple(sorted((to_hundredths(lower, self.value_places), level) for level, lower in i.levels))
            for i in self.indicators
            if i.levels
        }
        object.__setattr__(self, "_edges", {k: tuple((lvl, e) for e, lvl in v) for k, v in edges.items()})

    def level_edges(self, key: str) -> tuple[tuple[int, int], ...]:
        """The indicator's (level, lower edge in units) pairs, ascending; empty for whole levels."""
        return self._edges.get(key, ())

    def next_step(self, key: str, current: int | Fraction) -> tuple[int, int]:
        """Where one level up takes indicator `key` from `current` (units): (value in units, level).

        Whole levels go to the next whole value; decimal values with level bands go to the lower
        edge of the next band (2,35 in Membangun -> 2,50, where Berkembang starts). Capped at
        the maximum, whose level is the band holding it.
        """
        scale, top = 10**self.value_places, to_hundredths(self.value_max, self.value_places)
        edges = self._edges.get(key)
        if not edges:
            after = min((current // scale + 1) * scale, top)
            return after, after // scale
        after = min(next((edge for _, edge in edges if edge > current), top), top)
        return after, max((level for level, edge in edges if edge <= after), default=edges[0][0])

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators)

    def int_weight(self, key: str) -> int:
        """The indicator's weight as an integer (all weights scaled by the same power of ten)."""
        return self._int_weights[key]

    def ancestors(self, key: str) -> tuple[str, ...]:
        """The codes of the groups above the indicator, nearest first."""
        return self._ancestors[key]

    def predicate(self, value: Fraction) -> str | None:
        for band in self.bands:
            if band.contains(value):
                return band.name
        return None


@dataclass(frozen=True)
class Score:
    """One index figure: exact, as displayed, and its predikat on the chosen basis."""

    exact: Fraction
    display: Decimal
    predicate: str | None


@dataclass(frozen=True)
class Result:
    index: Score | None
    groups: dict[str, Score]
    kinds: dict[str, str]
    missing: tuple[str, ...]

    @property
    def provisional(self) -> bool:
        return bool(self.missing)

    def by_kind(self, kind: str) -> dict[str, Score]:
        return {code: s for code, s in self.groups.items() if self.kinds[code] == kind}


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact non-negative or negative value half away from zero, as displayed."""
    scale = 10**places
    numerator, denominator = value.numerator * scale, value.denominator
    sign = -1 if numerator < 0 else 1
    quotient = (2 * abs(numerator) + denominator) // (2 * denominator)
    return Decimal(sign * quotient).scaleb(-places)


def to_hundredths(value: Decimal | int, places: int) -> int:
    """An indicator value as an integer count of 10**-places, refusing finer values."""
    if type(value) is int:  # the common case (whole levels), without a Decimal round trip
        return int(value * 10**places)
    scaled = Decimal(value) * (10**places)
    if scaled != scaled.to_integral_value():
        raise ScoringError(f"value {value} has more than {places} decimal places")
    return int(scaled)


Value = Decimal | int | Fraction


def value_units(value: Value, framework: Framework) -> int | Fraction:
    """An indicator value in units of 10**-value_places: an integer, or a Fraction when the
    framework takes exact values and the value is finer than its places."""
    scale: int = 10**framework.value_places
    if isinstance(value, Fraction):
        units = value * scale
        if units.denominator == 1:
            return int(units)
        if not framework.exact_values:
            raise ScoringError(f"value {value} has more than {framework.value_places} decimal places")
        return units
    if framework.exact_values and type(value) is not int:
        units = Fraction(value) * scale
        return int(units) if units.denominator == 1 else units
    return to_hundredths(value, framework.value_places)


def score(
    framework: Framework,
    values: Mapping[str, Value],
    basis: PredicateBasis = PredicateBasis.EXACT,
) -> Result:
    """Score one set of indicator values (keyed by `Indicator.key`)."""
    unknown = sorted(set(values) - set(framework._int_weights))
    if unknown:
        raise ScoringError(f"unknown indicator(s): {', '.join(unknown)}")
    lowest = to_hundredths(framework.value_min, framework.value_places)
    highest = to_hundredths(framework.value_max, framework.value_places)

    value_scale = 10**framework.value_places
    weights: dict[str, int] = {}
    total_sum: int | Fraction = 0
    total_weight = 0
    sums: dict[str, int | Fraction] = {}
    missing: list[str] = []
    for key in framework.keys:
        if key not in values or values[key] is None:
            missing.append(key)
            continue
        v = value_units(values[key], framework)
        if not lowest <= v <= highest:
            raise ScoringError(
                f"indicator {key}: value {values[key]} is outside {framework.value_min}..{framework.value_max}"
            )
        w = framework._int_weights[key]
        total_sum += v * w
        total_weight += w
        for code in framework._ancestors[key]:
            sums[code] = sums.get(code, 0) + v * w
            weights[code] = weights.get(code, 0) + w

    def make(weighted_sum: int | Fraction, weight: int) -> Score:
        exact = Fraction(weighted_sum, weight * value_scale)
        display = round_half_up(exact, framework.places)
        basis_value = exact if basis is PredicateBasis.EXACT else Fraction(display)
        return Score(exact, display, framework.predicate(basis_value))

    groups = {g.code: make(sums[g.code], weights[g.code]) for g in framework.groups if weights.get(g.code)}
    return Result(
        index=make(total_sum, total_weight) if total_weight else None,
        groups=groups,
        kinds={g.code: g.kind for g in framework.groups},
        missing=tuple(missing),
    )


@dataclass(frozen=True)
class Step:
    """Raise indicator `key` one level, `before` -> `after`; the index gains `gain` exactly."""

    key: str
    before: Decimal | Fraction  # exact: an assessor's 7/6 stays 7/6
    after: Decimal
    gain: Fraction
    index_after: Fraction  # the exact index once this and every earlier step are taken
    level: int = 0  # the level `after` lies in (its criterion is the one to meet)


def improvement_steps(framework: Framework, values: Mapping[str, Value], target: Decimal | Fraction) -> list[Step]:
    """The one-level steps that raise the index most, in order, until it reaches `target`.

    A step moves one indicator to its next level (`Framework.next_step`: the next whole value,
    or with level value bands the next band's lower edge; capped at `value_max`) and gains
    (after - before) x weight / total weight of the index: for whole levels exactly
    weight / total weight, so the heaviest indicators come first. Each indicator appears at most
    once, because a plan for the next cycle names the next level's criterion to meet; when one
    step on every indicator does not reach the target, every step is returned and the last
    `index_after` shows the shortfall. Ties: lower current level first (the easier, earlier
    criterion), then the framework's indicator order. Indicators already at the maximum are
    skipped; missing ones are not counted, as in `score`, so the total weight is that of the
    answered indicators. An index already at or above the target gives no steps.
    """
    places = framework.value_places
    scale = 10**places
    top = to_hundredths(framework.value_max, places)
    answered = [k for k in framework.keys if values.get(k) is not None]
    total_weight = sum(framework._int_weights[k] for k in answered)
    if not total_weight:
        return []
    current = {k: value_units(values[k], framework) for k in answered}
    weighted = sum(current[k] * framework._int_weights[k] for k in answered)
    index = Fraction(weighted, total_weight * scale)
    goal = Fraction(target)
    candidates = []
    for position, key in enumerate(answered):
        if current[key] >= top:
            continue
        after, level = framework.next_step(key, current[key])
        gain = Fraction((after - current[key]) * framework._int_weights[key], total_weight * scale)
        candidates.append((-gain, current[key], position, key, after, gain, level))
    candidates.sort()
    steps: list[Step] = []
    for _, before, _, key, after, gain, level in candidates:
        if index >= goal:
            break
        index += gain
        steps.append(
            Step(
                key,
                Fraction(before, scale)
                if isinstance(before, Fraction)
                else Decimal(before).scaleb(-framework.value_places),
                Decimal(after).scaleb(-framework.value_places),
                gain,
                index,
                level,
            )
        )
    return steps
