"""Pages issue the same number of queries however many answers, OPDs, rounds or changes there are."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessment.models import AnswerStatus, Decision, Stage, StageValue
from assessment.services import answers as workflow
from tests.factories import OpdFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def queries(client: Client, path: str) -> int:
    client.get(path)  # warm per-process caches (the framework spec), as a running server has
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def submit(world: World, numbers: range) -> None:
    for answer in world.evaluation.answers.filter(indicator__number__in=numbers):
        StageValue.objects.update_or_create(answer=answer, stage=Stage.MANDIRI, defaults={"value": Decimal(3)})
        answer.explanation = "FAKTA. ANALISIS."
        answer.lead_opd = world.a.bkpsdm
        answer.status = AnswerStatus.SUBMITTED
        answer.save()


def test_review_queue_does_not_grow_with_submissions(client: Client, world: World) -> None:
    client.force_login(world.a.users["verifikator"])
    submit(world, range(1, 2))
    few = queries(client, "/penilaian/periksa/")
    submit(world, range(2, 30))
    assert queries(client, "/penilaian/periksa/") == few <= 12


def test_opd_worklist_does_not_grow_with_assigned_answers(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    few = queries(client, "/penilaian/")
    submit(world, range(1, 30))
    assert queries(client, "/penilaian/") == few <= 12


def test_progress_page_does_not_grow_with_opds_or_stages(client: Client, world: World) -> None:
    client.force_login(world.a.users["sekda"])
    path = f"/indeks/evaluasi/{world.evaluation.pk}/"
    submit(world, range(1, 3))
    few = queries(client, path)
    for n in range(8):
        OpdFactory(instansi=world.a.instansi, code=f"opd-extra-{n}")
    submit(world, range(3, 47))
    for answer in world.evaluation.answers.filter(status=AnswerStatus.SUBMITTED)[:10]:
        workflow.decide(answer, world.a.users["verifikator"], decision=Decision.APPROVED, reason="", verified_value=None,
                        seen_version=answer.version)  # fmt: skip
    assert queries(client, path) == few <= 16


def test_answer_page_does_not_grow_with_history_or_review_rounds(client: Client, world: World) -> None:
    client.force_login(world.a.users["verifikator"])
    path = f"/penilaian/jawaban/{world.answer.pk}/"
    few = queries(client, path)
    user = world.a.users["opd.bkpsdm"]
    for round_ in range(3):
        world.answer.refresh_from_db()
        answer = workflow.save_draft(world.answer, user, value=Decimal(3), explanation=f"FAKTA {round_}. ANALISIS.",
                                     seen_version=world.answer.version)  # fmt: skip
        answer = workflow.submit(answer, user, seen_version=answer.version)
        workflow.decide(answer, world.a.users["verifikator"], decision=Decision.RETURNED, reason="Perbaiki.",
                        verified_value=None, seen_version=answer.version)  # fmt: skip
    assert queries(client, path) == few <= 25
