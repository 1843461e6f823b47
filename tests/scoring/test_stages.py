"""The one rule for stages: a stage that does not revisit an indicator carries the previous value."""

from __future__ import annotations

from decimal import Decimal

from scoring.stages import as_of, carried_at, carry

RECORDED = {
    "mandiri": {"1": Decimal(3), "2": Decimal(4), "3": Decimal(2)},
    "verifikasi": {"2": Decimal(3)},
    "interviu": {"3": Decimal(5)},  # no document stage: interview follows verification
}


def test_each_stage_with_values_carries_the_earlier_stages_values() -> None:
    assert carry(RECORDED) == [
        ("mandiri", {"1": Decimal(3), "2": Decimal(4), "3": Decimal(2)}),
        ("verifikasi", {"1": Decimal(3), "2": Decimal(3), "3": Decimal(2)}),
        ("interviu", {"1": Decimal(3), "2": Decimal(3), "3": Decimal(5)}),
    ]


def test_the_values_as_of_a_stage_that_recorded_nothing_are_the_previous_stages() -> None:
    assert carried_at(RECORDED, "dokumen") == {"1": Decimal(3), "2": Decimal(3), "3": Decimal(2)}
    assert carried_at(RECORDED, "visitasi") == carry(RECORDED)[-1][1]
    assert carried_at({"verifikasi": {"1": Decimal(2)}}, "mandiri") == {}


def test_one_indicators_value_as_of_a_stage() -> None:
    levels = {"mandiri": Decimal(4), "dokumen": Decimal(2)}
    assert as_of(levels, "mandiri") == Decimal(4)
    assert as_of(levels, "verifikasi") == Decimal(4)  # carried from the self-assessment
    assert as_of(levels) == Decimal(2)
    assert as_of({}, "visitasi") is None


def test_the_carried_values_of_one_stage_are_not_changed_by_a_later_one() -> None:
    stages = carry(RECORDED)
    assert stages[0][1]["2"] == Decimal(4) and stages[1][1]["2"] == Decimal(3)
