"""Item 5 of issue 14: every per-OPD count on the progress page equals an independent count.

The data has what multiplied the old counts: answers with values in several stages, answers
with contributing OPDs, and several review rounds per answer. The second count is made in
Python over plain rows, not with the page's query.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client

from assessment.models import Answer, AnswerStatus, Decision, Review, Stage, StageValue
from tests.world import World

pytestmark = pytest.mark.django_db

KEYS = ("total", "answered", "submitted", "returned", "approved")
STAGES = [Stage.MANDIRI, Stage.VERIFIKASI, Stage.DOKUMEN, Stage.INTERVIU, Stage.VISITASI]


def busy_evaluation(world: World) -> None:
    reviewer = world.a.users["verifikator"]
    answers = list(world.evaluation.answers.order_by("indicator__number"))
    statuses = [AnswerStatus.DRAFT, AnswerStatus.SUBMITTED, AnswerStatus.RETURNED, AnswerStatus.APPROVED]
    for i, answer in enumerate(answers):
        answer.lead_opd = [world.a.bkpsdm, world.a.diskominfo, None][i % 3]
        answer.status = statuses[i % 4]
        answer.save()
        if i % 2 == 0:  # the other OPD contributes to every second answer
            answer.contributors.add(world.a.diskominfo if answer.lead_opd == world.a.bkpsdm else world.a.bkpsdm)
        # a value in 0..5 stages; every fifth answer has values only in later stages, none of its own
        stages = STAGES[1 : 1 + i % 4] if i % 5 == 0 else STAGES[: i % 6]
        for stage in stages:
            StageValue.objects.create(answer=answer, stage=stage, value=Decimal(2))
        for round_ in range(1, i % 4 + 1):  # up to three review rounds
            Review.objects.create(answer=answer, round=round_, decision=Decision.RETURNED, reason="r",
                                  reviewer=reviewer, snapshot={})  # fmt: skip


def independent_counts(world: World) -> dict[str, dict[str, int]]:
    names = {world.a.bkpsdm.pk: "BKPSDM", world.a.diskominfo.pk: "Diskominfo", None: None}
    with_own_value = set(StageValue.objects.filter(stage=Stage.MANDIRI).values_list("answer_id", flat=True))
    counts: dict[str, Counter[str]] = {}
    for pk, lead, status in Answer.objects.filter(evaluation=world.evaluation).values_list("pk", "lead_opd", "status"):
        row = counts.setdefault(str(names[lead]), Counter())
        row["total"] += 1
        row["answered"] += pk in with_own_value
        row[status] += 1
    return {name: {k: c[k] for k in KEYS} for name, c in counts.items()}


def test_every_per_opd_count_equals_an_independent_count(client: Client, world: World) -> None:
    busy_evaluation(world)
    expected = independent_counts(world)
    client.force_login(world.a.users["sekda"])
    response = client.get(f"/indeks/evaluasi/{world.evaluation.pk}/")
    assert response.status_code == 200
    shown = {
        str(row["lead_opd__short_name"]): {
            k: row[k] for k in ("total", "answered", "submitted", "returned", "approved")
        }
        for row in response.context["per_opd"]
    }
    assert shown == expected
    # the figures as drawn in the table, row by row
    page = response.content.decode()
    row = expected["Diskominfo"]
    cells = "".join(f'<td class="text-end">{row[k]}</td>' for k in ("total", "answered", "submitted", "returned",
                                                                      "approved"))  # fmt: skip
    assert f"<td>Diskominfo</td>{cells}" in page
    total = sum(r["total"] for r in expected.values())
    assert total == world.evaluation.answers.count() and all(r["answered"] <= r["total"] for r in expected.values())


def test_the_worklist_cards_count_each_answer_once(client: Client, world: World) -> None:
    busy_evaluation(world)
    client.force_login(world.a.users["opd.diskominfo"])
    response = client.get("/penilaian/")
    assert response.status_code == 200
    cards = dict(response.context["cards"])
    shown = cards[next(e for e in cards if e.pk == world.evaluation.pk)]
    opd = world.a.diskominfo
    mine = {
        pk: status
        for pk, lead, status in Answer.objects.filter(evaluation=world.evaluation).values_list(
            "pk", "lead_opd", "status"
        )
        if lead == opd.pk
    }
    contributed = set(Answer.contributors.through.objects.filter(opd=opd).values_list("answer_id", flat=True))
    for pk, status in Answer.objects.filter(pk__in=contributed).values_list("pk", "status"):
        mine[pk] = status
    assert shown == {s: Counter(mine.values())[s] for s in ("draft", "submitted", "returned", "approved")}
