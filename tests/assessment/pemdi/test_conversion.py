"""Externally fed indicators: the agency's index converted piecewise-linearly (assessment.conversion)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from assessment.catalog import external_points
from assessment.conversion import ConversionError, LevelBand, check_bands, convert, level_of
from tests.assessment.pemdi.conftest import FRAMEWORK_PEMDI


def table(number: int) -> list[tuple[Decimal, Decimal]]:
    data = json.loads(FRAMEWORK_PEMDI.read_text())
    indicators = {i["number"]: i for g in data["groups"] for i in g["indicators"]}
    points = external_points(indicators[number])
    assert points is not None
    return points


def test_the_conversion_module_imports_nothing_from_django() -> None:
    source = (FRAMEWORK_PEMDI.parent.parent / "assessment" / "conversion.py").read_text()
    assert "django" not in source


@pytest.mark.parametrize(("sdi", "value"), [("25", "2.00"), ("68.75", "3.75")])
def test_the_modul_indikator_5_examples_sdi_25_and_68_75(sdi: str, value: str) -> None:
    assert convert(table(5), Decimal(sdi)).value == Decimal(value)


@pytest.mark.parametrize(
    ("sdi", "value"),
    [("0", "1.00"), ("12.5", "1.50"), ("37.5", "2.50"), ("62.5", "3.50"), ("75", "4.00"), ("100", "5.00"),
     ("50", "3.00"), ("87.5", "4.50")],
)  # fmt: skip
def test_sdi_band_edges_and_midpoints(sdi: str, value: str) -> None:
    assert convert(table(5), Decimal(sdi)).value == Decimal(value)


def test_the_exact_result_is_rounded_half_up_once() -> None:
    # SDI 13,125: 1,5 + (13,125 - 12,5)/25 = 1,525 exactly -> 1,53
    done = convert(table(5), Decimal("13.125"))
    assert (done.exact, done.value) == (Fraction("1.525"), Decimal("1.53"))
    assert done.segment == (Decimal("12.5"), Decimal("37.5"), Decimal("1.50"), Decimal("2.50"))


def test_the_statistics_index_follows_the_spbe_like_band_edges() -> None:
    points = table(7)
    assert [convert(points, Decimal(x)).value for x in ("1", "1.8", "2.6", "3.5", "4.2", "5")] == [
        Decimal(v) for v in ("1.00", "1.50", "2.50", "3.50", "4.00", "5.00")
    ]


def test_sjig_maps_one_to_one_and_sdi_interoperability_uses_the_sdi_table() -> None:
    assert convert(table(6), Decimal("3.27")).value == Decimal("3.27")
    assert table(18) == table(5)


def test_a_value_outside_the_table_or_a_broken_table_is_refused() -> None:
    with pytest.raises(ConversionError, match=r"outside 0\.\.100"):
        convert(table(5), Decimal("100.01"))
    with pytest.raises(ConversionError, match="must increase"):
        convert([(Decimal(1), Decimal(1)), (Decimal(1), Decimal(2))], Decimal(1))


BANDS = [LevelBand(1, Decimal("1"), Decimal("1.5"), False), LevelBand(2, Decimal("1.5"), Decimal("2.5"), False),
         LevelBand(3, Decimal("2.5"), Decimal("3.5"), False), LevelBand(4, Decimal("3.5"), Decimal("4"), False),
         LevelBand(5, Decimal("4"), Decimal("5"), True)]  # fmt: skip


@pytest.mark.parametrize(("value", "level"), [("1.00", 1), ("1.49", 1), ("1.50", 2), ("3.99", 4), ("4.00", 5),
                                              ("5.00", 5), ("5.01", None)])  # fmt: skip
def test_a_value_lies_in_exactly_one_level_band(value: str, level: int | None) -> None:
    check_bands(BANDS, Decimal(1), Decimal(5))
    assert level_of(BANDS, Decimal(value)) == level
    assert BANDS[0].last(2) == Decimal("1.49") and BANDS[-1].last(2) == Decimal(5)
