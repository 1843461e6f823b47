"""The index engine against the regulation's arithmetic, without a database."""

from __future__ import annotations

import ast
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.catalog import read_framework_file
from scoring import engine
from scoring.engine import PredicateBasis, round_half_up, score
from scoring.services import framework_from_definition
from tests.conftest import FRAMEWORK_59

SPEC = framework_from_definition(read_framework_file(FRAMEWORK_59))
WEIGHT = {i.key: i.weight for i in SPEC.indicators}
KEYS = SPEC.keys


def vector(**overrides: int) -> dict[str, int]:
    values = dict.fromkeys(KEYS, 3)
    values.update({k.removeprefix("i"): v for k, v in overrides.items()})
    return values


def test_the_engine_imports_nothing_from_django() -> None:
    tree = ast.parse(Path(engine.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not [name for name in imported if name.split(".")[0] in {"django", "assessment", "reports"}]


def test_regulation_table_10_aspect_two_is_three() -> None:
    result = score(SPEC, vector(i11=3, i12=4, i13=3, i14=2))
    assert result.groups["A2"].display == Decimal("3.00")


def test_regulation_table_11_domain_two_from_its_aspects() -> None:
    # A2 = 3,00, A3 = 4,00 and A4 = 3,00 give D2 = 3,40.
    values = vector(i15=4, i16=4, i17=4, i18=4, i19=3, i20=3)
    result = score(SPEC, values)
    assert (result.groups["A2"].display, result.groups["A3"].display, result.groups["A4"].display) == (
        Decimal("3.00"),
        Decimal("4.00"),
        Decimal("3.00"),
    )
    assert result.groups["D2"].exact == Fraction(34, 10)


def test_regulation_table_12_index_from_domains_is_3_28_baik() -> None:
    # Domains 3,70 / 3,40 / 3,00 / 3,20 with weights 13 / 25 / 16,5 / 45,5 give 3,282.
    d1 = [4] * 7 + [3] * 3  # 3,70
    d2 = [3, 4, 3, 2] + [4] * 4 + [3, 3]  # 3,40
    d3 = [3] * 11  # 3,00
    d4 = [3] * 16  # whole levels cannot make D4 exactly 3,20; the nested check below covers it
    values = dict(zip(KEYS, d1 + d2 + d3 + d4, strict=True))
    result = score(SPEC, values)
    domains = {c: result.groups[c].exact for c in ("D1", "D2", "D3")}
    assert domains == {"D1": Fraction(37, 10), "D2": Fraction(34, 10), "D3": Fraction(3)}
    # The regulation's own example works from domain indices directly; so does the engine's
    # nested form: sum(ND x BD) / 100 with ND = 3,70 / 3,40 / 3,00 / 3,20.
    nested = (
        Fraction(37, 10) * 13 + Fraction(34, 10) * 25 + 3 * Fraction(33, 2) + Fraction(32, 10) * Fraction(91, 2)
    ) / 100
    assert nested == Fraction(3282, 1000)
    assert round_half_up(nested) == Decimal("3.28")
    assert SPEC.predicate(nested) == "Baik"


def test_index_equals_nested_formula_from_unrounded_aspects_and_domains() -> None:
    values = dict(zip(KEYS, [1, 2, 3, 4, 5] * 9 + [2, 3], strict=True))
    result = score(SPEC, values)
    domain_codes = [g.code for g in SPEC.groups if g.kind == "domain"]
    weights = {g.code: Fraction(g.weight) for g in SPEC.groups}
    nested = sum(result.groups[c].exact * weights[c] for c in domain_codes) / 100
    assert result.index is not None
    assert result.index.exact == nested


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        (Fraction(4745, 1000), "4.75"),
        (Fraction(3005, 1000), "3.01"),
        (Fraction(34985, 10000), "3.50"),
        (Fraction(2, 3), "0.67"),
        (Fraction(1, 200), "0.01"),
        (Fraction(-4745, 1000), "-4.75"),
    ],
)
def test_display_rounds_half_up_once(exact: Fraction, shown: str) -> None:
    assert str(round_half_up(exact)) == shown


def test_exact_3_4985_shows_3_50_but_is_baik_on_the_exact_basis() -> None:
    assert SPEC.predicate(Fraction(34985, 10000)) == "Baik"
    assert SPEC.predicate(Fraction(round_half_up(Fraction(34985, 10000)))) == "Sangat Baik"


def test_predicate_basis_decides_a_real_vector_just_below_a_band_edge() -> None:
    # All 3 except every service indicator (32-47), I11 and I21 at 4: 349,50 / 100 = 3,495.
    values = vector(i11=4, i21=4)
    values.update({str(n): 4 for n in range(32, 48)})
    exact = score(SPEC, values, PredicateBasis.EXACT).index
    rounded = score(SPEC, values, PredicateBasis.ROUNDED).index
    assert exact is not None
    assert rounded is not None
    assert exact.exact == Fraction(3495, 1000)
    assert (exact.display, exact.predicate) == (Decimal("3.50"), "Baik")
    assert (rounded.display, rounded.predicate) == (Decimal("3.50"), "Sangat Baik")


@pytest.mark.parametrize(
    ("value", "predicate"),
    [("1", "Kurang"), ("1.79", "Kurang"), ("1.8", "Cukup"), ("2.59", "Cukup"), ("2.6", "Baik"),
     ("3.49", "Baik"), ("3.5", "Sangat Baik"), ("4.19", "Sangat Baik"), ("4.2", "Memuaskan"), ("5", "Memuaskan")],
)  # fmt: skip
def test_band_edges_are_lower_inclusive(value: str, predicate: str) -> None:
    assert SPEC.predicate(Fraction(value)) == predicate


def test_domain_predicates_use_the_same_bands() -> None:
    result = score(SPEC, vector(i1=5, i2=5, i3=5, i4=5, i5=5, i6=5, i7=5, i8=5, i9=5, i10=5))
    assert result.groups["D1"].predicate == "Memuaskan"
    assert result.groups["D2"].predicate == "Baik"


def test_missing_indicators_make_a_provisional_result_and_are_never_counted() -> None:
    values = vector()
    del values["47"], values["1"]
    result = score(SPEC, values)
    assert result.provisional
    assert result.missing == ("1", "47")
    assert result.index is not None
    assert result.index.exact == 3
    assert "A8" in result.groups
    assert result.groups["A8"].exact == 3


def test_nothing_answered_gives_no_index() -> None:
    result = score(SPEC, {})
    assert result.index is None
    assert result.groups == {}
    assert len(result.missing) == len(KEYS)


@pytest.mark.parametrize("bad", [{"48": 3}, {"1": 6}, {"1": 0}, {"1": Decimal("2.5")}])
def test_unknown_indicators_and_values_outside_the_scale_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(engine.ScoringError):
        score(SPEC, {**vector(), **bad})  # type: ignore[dict-item]


levels = st.fixed_dictionaries({k: st.integers(1, 5) for k in KEYS})


@given(levels)
def test_index_stays_within_one_and_five(values: dict[str, int]) -> None:
    result = score(SPEC, values)
    assert result.index is not None
    assert 1 <= result.index.exact <= 5
    assert all(1 <= g.exact <= 5 for g in result.groups.values())


@given(levels, st.sampled_from(KEYS))
def test_raising_any_level_never_lowers_the_index(values: dict[str, int], key: str) -> None:
    before = score(SPEC, values).index
    raised = {**values, key: min(5, values[key] + 1)}
    after = score(SPEC, raised).index
    assert before is not None
    assert after is not None
    assert after.exact >= before.exact


@given(levels)
def test_index_is_the_weighted_mean_and_its_display_the_half_up_rounding(values: dict[str, int]) -> None:
    result = score(SPEC, values)
    mean = sum(Fraction(WEIGHT[k]) * v for k, v in values.items()) / sum(Fraction(w) for w in WEIGHT.values())
    assert result.index is not None
    assert result.index.exact == mean and isinstance(mean, Fraction)
    assert result.index.display == (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.01"), rounding="ROUND_HALF_UP"
    )
