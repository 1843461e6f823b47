"""The `figure` filter writes a figure as Django's number_format would, in both languages."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import Score
from scoring.templatetags.scoring_tags import figure

figures = st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), allow_nan=False, places=None)


@given(figures)
def test_it_matches_number_format_with_the_figures_own_places(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    for language in ("id", "en"):
        with translation.override(language):
            assert figure(value) == number_format(value, decimal_pos=places)


def test_indonesian_uses_a_comma_and_english_a_point() -> None:
    with translation.override("id"):
        assert figure(Decimal("2.35")) == "2,35"
        assert figure(Score(exact=Fraction(387, 100), display=Decimal("3.87"), predicate="Baik")) == "3,87"
    with translation.override("en"):
        assert figure("2.35") == "2.35"
    assert figure(None) == figure("") == "–"  # noqa: RUF001
    assert figure(Decimal("2022")) == "2022"  # never grouped: years and codes
