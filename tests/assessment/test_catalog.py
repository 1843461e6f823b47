"""Framework files: a consistent file loads; each kind of inconsistency is refused by name."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assessment.catalog import FrameworkFileError, parse_framework, read_framework_file
from scoring import engine
from scoring.services import framework_from_definition
from tests.conftest import FRAMEWORK_59


def small_framework() -> dict[str, Any]:
    """Another shape: aspects only (no domains), 3 indicators, decimal values 1,00-5,00, own bands."""

    def indicator(number: int, weight: str) -> dict[str, Any]:
        return {
            "number": number,
            "code": f"I{number}",
            "name": f"Indikator {number}",
            "weight": weight,
            "levels": {str(lv): f"Kriteria {lv}" for lv in range(1, 6)},
        }

    return {
        "format": 1,
        "code": "uji-aspek",
        "version": "1",
        "name": "Kerangka uji hanya aspek",
        "short_name": "Indeks Uji",
        "provisional": True,
        "unverified": ["semua bobot"],
        "values": {"kind": "decimal", "min": "1", "max": "5", "places": 2},
        "rounding": {"places": 2, "mode": "half-up", "predicate_basis": "exact"},
        "level_scales": [
            {"code": "kematangan", "name": "Kematangan", "levels": [{"level": n, "name": f"T{n}"} for n in range(1, 6)]}
        ],
        "predicates": [
            {"name": "Kurang", "lower": "1", "upper": "1.5"},
            {"name": "Cukup", "lower": "1.5", "upper": "2.5"},
            {"name": "Baik", "lower": "2.5", "upper": "3.5"},
            {"name": "Sangat Baik", "lower": "3.5", "upper": "4"},
            {"name": "Memuaskan", "lower": "4", "upper": "5", "upper_inclusive": True},
        ],
        "groups": [
            {"code": "A1", "kind": "aspect", "name": "Aspek satu", "weight": "40", "level_scale": "kematangan",
             "indicators": [indicator(1, "25"), indicator(2, "15")]},
            {"code": "A2", "kind": "aspect", "name": "Aspek dua", "weight": "60", "level_scale": "kematangan",
             "indicators": [indicator(3, "60")]},
        ],
    }  # fmt: skip


def refusal(data: dict[str, Any]) -> str:
    with pytest.raises(FrameworkFileError) as excinfo:
        parse_framework(data)
    return str(excinfo.value)


def test_the_shipped_59_2020_file_is_consistent_and_complete() -> None:
    definition = read_framework_file(FRAMEWORK_59)
    assert [g.code for g in definition.groups] == ["D1", "D2", "D3", "D4"]
    assert len(definition.all_indicators()) == 47
    assert sum(i.weight for i in definition.all_indicators()) == Decimal(100)
    first = definition.all_indicators()[0]
    assert first.question.startswith("Apakah")
    assert first.levels[5].criterion
    assert first.levels[1].evidence
    assert first.levels[1].fulfilment
    assert {i.level_scale for i in definition.all_indicators()} == {"proses", "layanan"}


def test_a_framework_of_another_shape_loads_and_scores_with_decimal_values() -> None:
    spec = framework_from_definition(parse_framework(small_framework()))
    result = engine.score(spec, {"1": Decimal("3.50"), "2": Decimal("3.00"), "3": Decimal("1.17")})
    # (25 x 3,50 + 15 x 3,00 + 60 x 1,17) / 100 = 2,027
    assert result.index is not None
    assert result.index.display == Decimal("2.03")
    assert result.index.predicate == "Cukup"
    assert result.groups["A1"].display == Decimal("3.31")  # 132,5 / 40 = 3,3125
    assert set(result.kinds.values()) == {"aspect"}


def test_weights_that_do_not_sum_to_100_are_refused() -> None:
    data = small_framework()
    data["groups"][1]["weight"] = "50"
    data["groups"][1]["indicators"][0]["weight"] = "50"
    assert refusal(data) == "weights sum to 90, not 100"


def test_a_group_weight_that_is_not_the_sum_of_its_children_is_refused() -> None:
    data = small_framework()
    data["groups"][0]["indicators"][0]["weight"] = "20"
    assert "group A1: weight 40 is not the sum of its children (35)" in refusal(data)


def test_duplicate_indicator_codes_and_numbers_are_refused() -> None:
    data = small_framework()
    data["groups"][1]["indicators"][0]["code"] = "I1"
    assert refusal(data) == "duplicate indicator codes: I1"
    data = small_framework()
    data["groups"][1]["indicators"][0]["number"] = 2
    assert refusal(data) == "duplicate indicator numbers: 2"
    data = small_framework()
    data["groups"][1]["code"] = "A1"
    assert refusal(data) == "duplicate group codes: A1"


def test_a_missing_level_criterion_is_refused() -> None:
    data = small_framework()
    del data["groups"][0]["indicators"][1]["levels"]["4"]
    assert refusal(data) == "indicator I2: criterion for level 4 is missing"
    data["groups"][0]["indicators"][1]["levels"]["4"] = "  "
    assert refusal(data) == "indicator I2: criterion for level 4 is missing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b[1].update(lower="1.6"), "gap between predicates Kurang and Cukup"),
        (lambda b: b[1].update(lower="1.4"), "predicates Kurang and Cukup overlap"),
        (lambda b: b[0].update(upper_inclusive=True), "predicates Kurang and Cukup overlap at 1.5"),
        (lambda b: b[1].update(lower_inclusive=False), "gap at 1.5 between predicates Kurang and Cukup"),
        (lambda b: b[0].update(lower="1.2"), "predicate bands leave a gap below 1.2 (must start at 1)"),
        (lambda b: b[4].update(upper_inclusive=False), "predicate bands leave a gap at the top"),
    ],
)
def test_bands_with_gaps_or_overlaps_are_refused(change: Any, message: str) -> None:
    data = small_framework()
    change(data["predicates"])
    assert message in refusal(data)


def test_an_unknown_level_scale_and_a_malformed_weight_are_named() -> None:
    data = small_framework()
    data["groups"][0]["level_scale"] = "proses"
    assert refusal(data) == "indicator I1: unknown level scale 'proses'"
    data = copy.deepcopy(small_framework())
    data["groups"][0]["weight"] = "empat puluh"
    assert refusal(data) == "group A1 weight: 'empat puluh' is not a number"


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rusak.json"
    path.write_text('{"format": 1,')
    with pytest.raises(FrameworkFileError, match=r"rusak\.json is not valid JSON"):
        read_framework_file(path)


def test_the_checksum_is_of_the_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "uji.json"
    path.write_text(json.dumps(small_framework()))
    assert len(read_framework_file(path).checksum) == 64
