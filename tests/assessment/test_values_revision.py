"""An evaluation's values revision rises on every change of its stage values, whatever wrote them,
so that stored results (scoring.results) can tell in one indexed query that they are stale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from assessment.models import Answer, Evaluation, Framework, Stage, StageValue, ValuesRevision
from scoring.results import results_for
from tests.factories import EvaluationFactory, answer_all, finalised

pytestmark = pytest.mark.django_db


def revision(evaluation: Evaluation) -> int:
    row = ValuesRevision.objects.filter(evaluation=evaluation).first()
    return row.revision if row else 0


def test_an_evaluation_without_values_has_no_revision(framework59: Framework) -> None:
    assert revision(EvaluationFactory(framework=framework59)) == 0


def test_inserting_updating_and_deleting_values_each_raise_it(framework59: Framework) -> None:
    evaluation = EvaluationFactory(framework=framework59)
    answer_all(evaluation, {1: 3})
    after_insert = revision(evaluation)
    StageValue.objects.filter(answer__evaluation=evaluation).update(value=Decimal(4))
    after_update = revision(evaluation)
    StageValue.objects.filter(answer__evaluation=evaluation).delete()
    assert 0 < after_insert < after_update < revision(evaluation)


def test_a_bulk_insert_raises_each_evaluation_it_touches_and_no_other(framework59: Framework) -> None:
    first, second, untouched = (EvaluationFactory(framework=framework59, year=y) for y in (2022, 2023, 2024))
    answer_all(untouched, {1: 2})
    before = revision(untouched)
    indicators = list(framework59.indicators.order_by("number")[:5])
    answers = Answer.objects.bulk_create(Answer(evaluation=e, indicator=i) for e in (first, second) for i in indicators)
    StageValue.objects.bulk_create(StageValue(answer=a, stage=Stage.MANDIRI, value=Decimal(3)) for a in answers)
    assert revision(first) >= 1 and revision(second) >= 1
    assert revision(untouched) == before


def test_raw_sql_is_seen_too(framework59: Framework) -> None:
    evaluation = EvaluationFactory(framework=framework59)
    answer_all(evaluation, {1: 3})
    before = revision(evaluation)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assessment_stagevalue SET value = 5")
    assert revision(evaluation) > before


def test_deleting_an_evaluation_with_values_works_and_leaves_a_harmless_row(framework59: Framework) -> None:
    evaluation = EvaluationFactory(framework=framework59)
    answer_all(evaluation, {1: 3, 2: 4})
    pk = evaluation.pk
    evaluation.delete()
    assert not Evaluation.objects.filter(pk=pk).exists()
    assert not StageValue.objects.filter(answer__evaluation_id=pk).exists()


def test_swapping_two_values_in_place_makes_stored_results_stale(framework59: Framework) -> None:
    """Count, sum, newest timestamp and highest id all stay the same here: only a revision sees it."""
    evaluation = finalised(framework59, dict.fromkeys(range(1, 48), 1) | {1: 5})
    evaluation = Evaluation.objects.select_related("framework").get(pk=evaluation.pk)
    before = results_for([evaluation])[evaluation.pk][-1].index
    values = StageValue.objects.filter(answer__evaluation=evaluation)
    weight_of_1 = framework59.indicators.get(number=1).weight
    other = next(i.number for i in framework59.indicators.order_by("number") if i.weight != weight_of_1)
    values.filter(answer__indicator__number=1).update(value=Decimal(1))
    values.filter(answer__indicator__number=other).update(value=Decimal(5))
    after = results_for([evaluation])[evaluation.pk][-1].index
    assert after != before
