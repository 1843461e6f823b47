"""improvement_steps: the one-level steps that raise the index most toward a target."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from assessment.catalog import read_framework_file
from assessment.demo import SIAK
from scoring import engine
from scoring.engine import improvement_steps, score
from scoring.services import framework_from_definition
from tests.conftest import FRAMEWORK_59

SPEC = framework_from_definition(read_framework_file(FRAMEWORK_59))
WEIGHT = {i.key: Fraction(i.weight) for i in SPEC.indicators}
TOTAL = sum(WEIGHT.values())


def siak() -> dict[str, int]:
    return {str(n): level for n, level in enumerate(SIAK.verified_2022, start=1)}


def test_each_step_gains_its_weight_over_the_total_and_the_gains_sum_to_the_change() -> None:
    values = siak()
    start = score(SPEC, values).index
    assert start is not None and start.display == Decimal("2.35")
    steps = improvement_steps(SPEC, values, Decimal("2.6"))
    raised = dict(values)
    for step in steps:
        assert step.gain == WEIGHT[step.key] / TOTAL
        assert step.after == step.before + 1
        raised[step.key] = int(step.after)
    after = score(SPEC, raised).index
    assert after is not None
    assert after.exact == start.exact + sum(s.gain for s in steps) == steps[-1].index_after


def test_stops_as_soon_as_the_target_is_reached() -> None:
    values = siak()
    steps = improvement_steps(SPEC, values, Decimal("2.6"))
    assert steps[-1].index_after >= Fraction("2.6")
    assert steps[-2].index_after < Fraction("2.6")  # one step fewer would fall short
    assert score(SPEC, values).index is not None
    assert improvement_steps(SPEC, values, Decimal("2.0")) == []  # already there


def test_heaviest_indicators_first_ties_by_lower_level_then_indicator_order() -> None:
    values = siak()
    steps = improvement_steps(SPEC, values, Decimal("5"))
    gains = [s.gain for s in steps]
    assert gains == sorted(gains, reverse=True)
    # A8 (weight 3): indicators 42..47 at levels 3, 2, 3, 2, 2, 3 -> the level-2 ones first.
    assert [s.key for s in steps[:6]] == ["43", "45", "46", "42", "44", "47"]
    assert len({s.key for s in steps}) == len(steps)  # at most one step per indicator


def test_indicators_at_the_maximum_are_skipped_and_no_step_exceeds_it() -> None:
    values = dict.fromkeys(SPEC.keys, 5)
    values.update({"1": 4, "47": 3})
    steps = improvement_steps(SPEC, values, Decimal("5"))
    assert [(s.key, s.before, s.after) for s in steps] == [
        ("47", Decimal(3), Decimal(4)),
        ("1", Decimal(4), Decimal(5)),
    ]
    assert improvement_steps(SPEC, dict.fromkeys(SPEC.keys, 5), Decimal("5")) == []


def test_an_unreachable_target_returns_every_step_with_the_shortfall_visible() -> None:
    values = dict.fromkeys(SPEC.keys, 1)
    steps = improvement_steps(SPEC, values, Decimal("3"))
    assert len(steps) == 47
    assert steps[-1].index_after == 2


def test_missing_indicators_are_not_counted() -> None:
    values = {"1": 2, "11": 2}  # weights 1,3 and 2,5: the provisional index is their mean
    steps = improvement_steps(SPEC, values, Decimal("3"))
    assert [s.key for s in steps] == ["11", "1"]
    assert steps[0].gain == Fraction(25, 38)
    assert steps[-1].index_after == 3


def test_decimal_values_step_to_the_next_whole_level() -> None:
    spec = engine.Framework(
        groups=[engine.Group("A", "aspect", Decimal(2))],
        indicators=[engine.Indicator("1", Decimal(1), "A"), engine.Indicator("2", Decimal(1), "A")],
        bands=[],
        value_places=2,
    )
    steps = improvement_steps(spec, {"1": Decimal("3.25"), "2": Decimal("4.90")}, Decimal(5))
    assert [(s.key, s.after, s.gain) for s in steps] == [
        ("1", Decimal(4), Fraction(75, 200)),
        ("2", Decimal(5), Fraction(10, 200)),
    ]


@given(st.lists(st.integers(1, 5), min_size=47, max_size=47), st.integers(100, 500))
def test_properties_never_exceed_the_maximum_and_reach_a_reachable_target(levels: list[int], cents: int) -> None:
    values = dict(zip(SPEC.keys, levels, strict=True))
    target = Fraction(cents, 100)
    steps = improvement_steps(SPEC, values, target)
    assert all(1 <= s.before < s.after <= 5 for s in steps)
    start = score(SPEC, values).index
    assert start is not None
    best = start.exact + sum(WEIGHT[k] / TOTAL for k, v in values.items() if v < 5)
    if start.exact >= target:
        assert steps == []
    elif best >= target:
        assert steps[-1].index_after >= target
