"""Indeks Pemdi (PermenPANRB 8/2026, provisional): 7 aspects, 20 decimal indicators, own bands.

The arithmetic is the same weighted mean as 59/2020 (docs/scoring.md): an aspect is the sum of
weight x value over its indicators divided by the aspect weight, the index the sum over all 20
divided by 100, exact until the displayed figure is rounded half-up once.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings

from assessment.catalog import read_framework_file
from scoring import engine
from scoring.services import framework_from_definition
from tests.scoring.test_spbe_index_command import database, spbe_index  # noqa: F401  (module fixture)

PEMDI = Path(settings.BASE_DIR) / "frameworks" / "pemdi-8-2026.json"
CODE = "permenpanrb-8-2026"


@pytest.fixture(scope="module")
def spec() -> engine.Framework:
    return framework_from_definition(read_framework_file(PEMDI))


# Indicator -> value; weights (from the file) in the comment: 5 5 | 5 5 | 5 3 3 4 | 4 4 3 4 | 5 5 | 4 4 4 3 | 10 15
HAND = {
    "1": "2.00", "2": "3.50",                          # A1 = (5x2,00 + 5x3,50)/10 = 27,5/10 = 2,75
    "3": "2.75", "4": "1.25",                          # A2 = (5x2,75 + 5x1,25)/10 = 20/10 = 2,00
    "5": "3.75", "6": "1.00", "7": "2.40", "8": "1.60",  # A3 = (18,75 + 3 + 7,2 + 6,4)/15 = 35,35/15 = 2,3566.. -> 2,36
    "9": "3.00", "10": "2.20", "11": "1.50", "12": "4.10",  # A4 = (12 + 8,8 + 4,5 + 16,4)/15 = 41,7/15 = 2,78
    "13": "3.30", "14": "2.90",                        # A5 = (16,5 + 14,5)/10 = 3,10
    "15": "1.80", "16": "2.60", "17": "3.40", "18": "1.00",  # A6 = (7,2 + 10,4 + 13,6 + 3)/15 = 34,2/15 = 2,28
    "19": "2.05", "20": "1.95",                        # A7 = (20,5 + 29,25)/25 = 49,75/25 = 1,99
}  # fmt: skip
# Index = (27,5 + 20 + 35,35 + 41,7 + 31 + 34,2 + 49,75)/100 = 239,5/100 = 2,395 -> shown 2,40 (half-up), Cukup.


def values(vector: dict[str, str]) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in vector.items()}


def flat(value: str, **overrides: str) -> dict[str, Decimal]:
    return values({**{str(n): value for n in range(1, 21)}, **overrides})


def test_the_file_has_seven_weighted_aspects_over_twenty_indicators(spec: engine.Framework) -> None:
    weights = {g.code: g.weight for g in spec.groups}
    assert len(spec.keys) == 20 and {g.kind for g in spec.groups} == {"aspect"}
    assert weights == {f"A{n}": Decimal(w) for n, w in enumerate((10, 10, 15, 15, 10, 15, 25), start=1)}
    assert (spec.value_min, spec.value_max, spec.value_places) == (Decimal(1), Decimal(5), 2)


def test_a_full_twenty_indicator_vector_scored_by_hand(spec: engine.Framework) -> None:
    result = engine.score(spec, values(HAND))
    assert result.index is not None and not result.provisional
    assert result.index.exact == Fraction("2.395")
    assert (result.index.display, result.index.predicate) == (Decimal("2.40"), "Cukup")
    aspects = {code: s.display for code, s in result.by_kind("aspect").items()}
    assert aspects == {"A1": Decimal("2.75"), "A2": Decimal("2.00"), "A3": Decimal("2.36"), "A4": Decimal("2.78"),
                       "A5": Decimal("3.10"), "A6": Decimal("2.28"), "A7": Decimal("1.99")}  # fmt: skip
    assert result.groups["A3"].exact == Fraction("35.35") / 15


@pytest.mark.parametrize(
    ("value", "predicate"),
    [("1.00", "Kurang"), ("1.49", "Kurang"), ("1.50", "Cukup"), ("2.49", "Cukup"), ("2.50", "Baik"),
     ("3.49", "Baik"), ("3.50", "Sangat Baik"), ("3.99", "Sangat Baik"), ("4.00", "Memuaskan"),
     ("5.00", "Memuaskan")],
)  # fmt: skip
def test_band_edges_on_exact_values_are_lower_inclusive(spec: engine.Framework, value: str, predicate: str) -> None:
    result = engine.score(spec, flat(value))
    assert result.index is not None and result.index.predicate == predicate


def test_a_value_that_rounds_onto_a_band_edge_takes_its_band_only_on_the_rounded_basis(
    spec: engine.Framework,
) -> None:
    # All 2,50 but I19 (weight 10) 2,45: (250 - 10 x 0,05)/100 = 2,495 exactly, shown 2,50.
    vector = flat("2.50", **{"19": "2.45"})
    exact = engine.score(spec, vector, engine.PredicateBasis.EXACT).index
    rounded = engine.score(spec, vector, engine.PredicateBasis.ROUNDED).index
    assert exact is not None and rounded is not None
    assert (exact.exact, exact.display, exact.predicate) == (Fraction("2.495"), Decimal("2.50"), "Cukup")
    assert (rounded.display, rounded.predicate) == (Decimal("2.50"), "Baik")


def test_finer_values_stay_exact_and_values_outside_one_to_five_are_refused(spec: engine.Framework) -> None:
    # Issue 15: an assessor's value may be finer than two places; it is kept, never cut.
    finer = engine.score(spec, flat("2.50", **{"1": "2.505"})).index
    assert finer is not None and finer.exact == Fraction("2.50") + Fraction("0.005") * 5 / 100
    with pytest.raises(engine.ScoringError, match="outside"):
        engine.score(spec, flat("2.50", **{"1": "0.99"}))


def test_spbe_index_scores_a_pemdi_vector_of_decimal_strings(database: dict[str, str]) -> None:  # noqa: F811
    run = spbe_index(database, json.dumps([{"id": "uji", "levels": HAND}]), "--framework", CODE)
    assert run.returncode == 0, run.stderr
    [out] = json.loads(run.stdout)
    assert out == {
        "id": "uji", "index": "2.40", "predicate": "Cukup",
        "aspects": {"A1": "2.75", "A2": "2.00", "A3": "2.36", "A4": "2.78", "A5": "3.10", "A6": "2.28", "A7": "1.99"},
    }  # fmt: skip


def test_spbe_index_keeps_a_third_decimal_for_pemdi_exact(database: dict[str, str]) -> None:  # noqa: F811
    # Issue 15: any number of places is accepted and kept exact. 3,755 instead of 3,75 at weight 5
    # adds 0,005 x 5 / 15 = 1/600 to A3 (2,3566.. -> 2,3583..) and 1/4000 to the index.
    run = spbe_index(database, json.dumps([{"id": 1, "levels": {**HAND, "5": "3.755"}}]), "--framework", CODE)
    assert run.returncode == 0, run.stderr
    [out] = json.loads(run.stdout)
    assert (out["index"], out["aspects"]["A3"]) == ("2.40", "2.36")
    run = spbe_index(database, json.dumps([{"id": 1, "levels": {**HAND, "5": "5.001"}}]), "--framework", CODE)
    assert run.returncode == 2 and run.stdout == ""
    assert "indicator 5: '5.001' is outside 1.00..5.00" in run.stderr
