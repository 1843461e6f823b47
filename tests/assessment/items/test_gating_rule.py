"""The national application's gating rule over many generated verdict sequences (hypothesis).

Stated independently of the implementation: an item is rejected automatically exactly when some
level below it is not fully accepted, and the level offered to the reviewer is the highest level L
with every item of levels 1..L accepted.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assessment import items as rule

VERDICTS = st.sampled_from(["", rule.ACCEPTED, rule.REVISION])
# Five levels of 0-4 items each (a level may have none: I9 level 3 in the Modul).
LEVELS = st.lists(st.lists(VERDICTS, min_size=0, max_size=4), min_size=5, max_size=5)


def as_input(levels: list[list[str]]) -> dict[int, list[tuple[str, str]]]:
    return {n: [(f"I1-L{n}-{i + 1:02d}", v) for i, v in enumerate(items)] for n, items in enumerate(levels, start=1)}


@given(LEVELS)
def test_an_item_is_auto_rejected_exactly_when_a_level_below_is_not_fully_accepted(levels: list[list[str]]) -> None:
    states = rule.item_states(as_input(levels))
    assert len(states) == sum(map(len, levels))
    for state in states:
        below = levels[: state.level - 1]
        expected = any(not items or any(v != rule.ACCEPTED for v in items) for items in below)
        assert state.auto_rejected == expected
        assert state.verdict == (rule.AUTO_REJECTED if expected else levels[state.level - 1][int(state.code[-2:]) - 1])


@given(LEVELS)
def test_the_level_offered_is_the_highest_fully_accepted_one(levels: list[list[str]]) -> None:
    offered = rule.supported_level(dict(enumerate(levels, start=1)))
    complete = [bool(items) and all(v == rule.ACCEPTED for v in items) for items in levels]
    assert all(complete[:offered]) and (offered == 5 or not complete[offered])
    # Nothing at or below the offered level is auto-rejected, and nothing two levels above it is judged.
    for state in rule.item_states(as_input(levels)):
        assert state.auto_rejected == (state.level > offered + 1)


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 3), VERDICTS), max_size=40))
def test_a_sequence_of_verdicts_keeps_the_rule_at_every_step(steps: list[tuple[int, int, str]]) -> None:
    # A revision round: verdicts arrive one by one, each overriding the last for its item.
    levels = [["", "", "", ""][: n % 4 + 1] for n in range(5)]
    for level, index, verdict in steps:
        if index < len(levels[level - 1]):
            levels[level - 1][index] = verdict
        offered = rule.supported_level(dict(enumerate(levels, start=1)))
        for state in rule.item_states(as_input(levels)):
            assert state.auto_rejected == (state.level > offered + 1)
