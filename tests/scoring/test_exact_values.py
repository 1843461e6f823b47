"""Exact values end to end: a national assessor's 7/6 is kept as 7/6, never cut to 1,17.

The case is real: Kab. Aceh Tengah's 2026 external-assessor result (KemenPANRB interview deck,
21 Sep 2026, as transcribed in /work/shared/spbe/pemdi-8-2026-modul.json `aceh_tengah_2026`).
Its aspect "Teknologi Pemerintah Digital" (I13 and I14, weights 5 and 5) is published as 1,08,
which needs I13 just under 1,17: (5 x 7/6 + 5 x 1) / 10 = 13/12 = 1,0833 -> 1,08, whereas a value
cut to 1,17 gives 1,085 -> 1,09. Every other published figure must come out too.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from assessment.models import Answer, Evaluation, Framework, Review, Stage, StageValue
from assessment.services import answers as workflow
from assessment.services.evaluations import create_evaluation
from scoring import engine
from scoring.services import engine_framework, score_evaluations
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.scoring.test_spbe_index_command import database, spbe_index  # noqa: F401  (module fixture)
from tests.world import make_side

CODE = "permenpanrb-8-2026"

# The assessor's indicator values as published (two places), I13 as the exact value behind 1,17.
ACEH_TENGAH = {
    "1": "2.0", "2": "1.5", "3": "1.26", "4": "1.3", "5": "1.0", "6": "1.0", "7": "1.0", "8": "1.0",
    "9": "1.0", "10": "1.0", "11": "1.5", "12": "1.25", "13": "7/6", "14": "1.0", "15": "1.0",
    "16": "1.0", "17": "2.5", "18": "1.0", "19": "1.0", "20": "1.3",
}  # fmt: skip
# Published: Tata Kelola 1,75; Penyelenggara 1,28; Data 1,00; Keamanan 1,17; Teknologi 1,08;
# Keterpaduan 1,40; Kepuasan 1,18; index 1,24 (Kurang).
PUBLISHED = {"A1": "1.75", "A2": "1.28", "A3": "1.00", "A4": "1.17", "A5": "1.08", "A6": "1.40", "A7": "1.18"}


@pytest.mark.parametrize("i13", ["7/6", "1.1667", "1.16666666666666666667", " 14/12 "])
def test_spbe_index_reproduces_every_published_aceh_tengah_figure(database: dict[str, str], i13: str) -> None:  # noqa: F811
    run = spbe_index(database, json.dumps([{"id": "aceh-tengah", "levels": {**ACEH_TENGAH, "13": i13}}]),
                     "--framework", CODE)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        {"id": "aceh-tengah", "index": "1.24", "predicate": "Kurang", "aspects": PUBLISHED}
    ]


def test_a_value_cut_to_two_places_misses_the_published_aspect(database: dict[str, str]) -> None:  # noqa: F811
    # Why exactness matters: 1,17 stored as such moves Teknologi to 1,09, off the published 1,08.
    run = spbe_index(database, json.dumps([{"id": 1, "levels": {**ACEH_TENGAH, "13": "1.17"}}]), "--framework", CODE)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["aspects"]["A5"] == "1.09"


@pytest.mark.parametrize(
    ("written", "message"),
    [("7/0", "'7/0' is not a number or a fraction such as 7/6"),
     ("a/6", "'a/6' is not a number or a fraction such as 7/6"),
     ("31/6", "'31/6' is outside 1.00..5.00"),
     ("0.9999999", "'0.9999999' is outside 1.00..5.00")],
)  # fmt: skip
def test_spbe_index_refuses_a_bad_fraction_naming_the_indicator(database: dict[str, str], written: str,  # noqa: F811
                                                                message: str) -> None:  # fmt: skip
    run = spbe_index(database, json.dumps([{"id": 1, "levels": {**ACEH_TENGAH, "13": written}}]), "--framework", CODE)
    assert run.returncode == 2 and run.stdout == ""
    assert f"indicator 13: {message}" in run.stderr


def test_whole_level_frameworks_still_refuse_fractions(database: dict[str, str]) -> None:  # noqa: F811
    run = spbe_index(database, json.dumps([{"id": 1, "levels": {str(n): 3 for n in range(1, 48)} | {"5": "7/2"}}]))
    assert run.returncode == 2 and "indicator 5: '7/2' is not a number" in run.stderr


@pytest.mark.django_db
def test_an_evaluation_in_the_database_keeps_7_6_and_reproduces_the_published_result(pemdi: Framework) -> None:  # noqa: F811
    side = make_side("at")
    evaluation = create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    user = side.users["verifikator"]
    for answer in Answer.objects.filter(evaluation=evaluation).select_related("indicator"):
        raw = ACEH_TENGAH[str(answer.indicator.number)]
        value = Fraction(raw) if "/" in raw else Decimal(raw)
        workflow.save_draft(answer, user, value=value, explanation="Nilai asesor.", seen_version=answer.version)
    stored = StageValue.objects.get(answer__evaluation=evaluation, answer__indicator__number=13, stage=Stage.MANDIRI)
    assert (stored.value, stored.exact, stored.number) == (Decimal("1.17"), "7/6", Fraction(7, 6))
    # Values that fit two places carry no fraction: 1,26 is exact as it is.
    i3 = StageValue.objects.get(answer__evaluation=evaluation, answer__indicator__number=3, stage=Stage.MANDIRI)
    assert (i3.value, i3.exact, i3.number) == (Decimal("1.26"), "", Decimal("1.26"))

    [scored] = score_evaluations([Evaluation.objects.get(pk=evaluation.pk)])
    result = scored.result
    assert result.index is not None and not result.provisional
    assert (result.index.display, result.index.predicate) == (Decimal("1.24"), "Kurang")
    assert {code: f"{s.display:f}" for code, s in result.by_kind("aspect").items()} == PUBLISHED
    assert result.groups["A5"].exact == Fraction(13, 12)


@pytest.mark.django_db
def test_a_reviewer_verifies_an_exact_value_and_the_review_keeps_it(pemdi: Framework) -> None:  # noqa: F811
    side = make_side("rv")
    evaluation = create_evaluation(side.instansi, pemdi, 2026, None, "exact")
    answer = Answer.objects.get(evaluation=evaluation, indicator__number=13)
    opd, reviewer = side.users["opd.diskominfo"], side.users["verifikator"]
    answer = workflow.save_draft(answer, opd, value=Decimal("1.25"), explanation="Klaim.", seen_version=answer.version)
    answer = workflow.submit(answer, opd, seen_version=answer.version)
    workflow.decide(answer, reviewer, decision="approved", reason="Nilai asesor.", verified_value=Fraction(7, 6),
                    seen_version=answer.version)  # fmt: skip
    review = Review.objects.get(answer=answer)
    assert (review.verified_value, review.verified_exact) == (Decimal("1.17"), "7/6")
    verified = StageValue.objects.get(answer=answer, stage=Stage.VERIFIKASI)
    assert verified.number == Fraction(7, 6)


def test_the_engine_scores_fractions_exactly_and_refuses_them_for_whole_levels() -> None:
    groups = [engine.Group("A", "aspect", Decimal(10))]
    indicators = [engine.Indicator("1", Decimal(5), "A"), engine.Indicator("2", Decimal(5), "A")]
    bands = [engine.Band("Kurang", Decimal(1), Decimal("1.5")), engine.Band("Cukup", Decimal("1.5"), Decimal(6))]
    exact = engine.Framework(groups, indicators, bands, value_places=2, exact_values=True)
    result = engine.score(exact, {"1": Fraction(7, 6), "2": Decimal("1.0")})
    assert (
        result.index is not None and result.index.exact == Fraction(13, 12) and result.index.display == Decimal("1.08")
    )
    whole = engine.Framework(groups, indicators, bands, value_places=0)
    with pytest.raises(engine.ScoringError, match="more than 0 decimal places"):
        engine.score(whole, {"1": Fraction(7, 6), "2": 1})
    assert engine.score(whole, {"1": Fraction(4, 2), "2": 1}).index == engine.score(whole, {"1": 2, "2": 1}).index


@pytest.mark.django_db
def test_the_engine_view_of_pemdi_takes_exact_values(pemdi: Framework) -> None:  # noqa: F811
    assert engine_framework(pemdi).exact_values
