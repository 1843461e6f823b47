"""Two people save the same answer at the same moment: exactly one wins, nothing is lost silently.

Runs on the real database in use (PostgreSQL in CI, where the row lock decides; SQLite file
databases serialise writers with IMMEDIATE transactions).
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from assessment.models import Answer
from assessment.services import answers as workflow
from tests.conftest import require_service
from tests.world import World

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_saves_from_the_same_version_one_wins_one_conflicts(world: World) -> None:
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://...)")
    user = world.a.users["opd.bkpsdm"]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(text: str) -> None:
        try:
            answer = Answer.objects.get(pk=world.answer.pk)
            barrier.wait(timeout=10)
            workflow.save_draft(answer, user, value=Decimal(3), explanation=text, seen_version=0)
            outcomes.append("saved")
        except workflow.StaleEditError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(f"teks {i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    answer = Answer.objects.get(pk=world.answer.pk)
    assert answer.version == 1 and answer.explanation in {"teks 1", "teks 2"}
    assert answer.history.count() == 2  # created, then the one winning save
