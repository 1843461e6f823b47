"""The one parser for outside numbers: ASCII digits only, bounded, no exponent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spbe_portal.numbers import parse_decimal, parse_int


@pytest.mark.parametrize(
    ("raw", "expected"), [("7", 7), (" 2026 ", 2026), ("0", 0), (12, 12), ("999999999", 999999999)]
)
def test_plain_ascii_integers_are_read(raw: object, expected: int) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    "raw", ["²", "١٢", "12\x00", "-1", "1e3", "1.0", "", None, "9" * 10, "9" * 40, "+5", True, "1 2", "\u0663"]
)
def test_anything_else_is_no_integer(raw: object) -> None:
    assert parse_int(raw) is None


def test_an_integer_outside_its_bounds_is_no_integer() -> None:
    assert parse_int("1000000", high=36_500) is None and parse_int("5", low=6) is None
    assert parse_int("36500", high=36_500) == 36_500


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2,35", "2.35"), ("2.35", "2.35"), (" 2, 35 ", "2.35"), ("3", "3.0"), ("-1,5", "-1.5"),
     (2.35, "2.35"), (4, "4"), (Decimal("1.10"), "1.10"), ("98,50", "98.50")],
)  # fmt: skip
def test_decimals_with_a_comma_or_a_dot_are_read_exactly(raw: object, expected: str) -> None:
    assert parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw",
    ["1e30", "9" * 40, "1e300", 1e300, float("inf"), float("nan"), "NaN", "Infinity", "²", "١٢", "2,3,5",
     "2.3.5", "", None, "\x00", "2,35\x00", "0x10", Decimal("1e30"), 10**40, "1" + "0" * 12, True],
)  # fmt: skip
def test_huge_exotic_or_malformed_figures_are_no_decimal(raw: object) -> None:
    assert parse_decimal(raw) is None


def test_a_whole_number_keeps_its_exponent() -> None:
    assert str(parse_decimal("3")) == "3" and str(parse_decimal("2,50")) == "2.50"


def test_what_is_returned_can_always_be_quantized() -> None:
    biggest = parse_decimal("9" * 12 + "," + "9" * 16)
    assert biggest is not None and biggest.quantize(Decimal("0.01")) == Decimal("1" + "0" * 12)
