"""An instansi with an admin, its other roles, and a neighbour instansi with its own admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from assessment.models import Answer, Evaluation, Framework, Indicator, Instansi, Membership, Opd, Role
from tests.factories import EvaluationFactory, InstansiFactory, MembershipFactory, OpdFactory

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def instansi(db: None) -> Instansi:
    del db  # requested for database access
    return InstansiFactory(name="Kabupaten Contoh", slug="kabupaten-contoh")


@pytest.fixture
def bkpsdm(instansi: Instansi) -> Opd:
    return OpdFactory(instansi=instansi, code="bkpsdm", short_name="BKPSDM", name="Badan Kepegawaian")


@pytest.fixture
def diskominfo(instansi: Instansi) -> Opd:
    return OpdFactory(instansi=instansi, code="diskominfo", short_name="Diskominfo", name="Dinas Kominfo")


@pytest.fixture
def admin(instansi: Instansi) -> Membership:
    return MembershipFactory(
        instansi=instansi, role=Role.ADMIN, user__username="admin.contoh", user__first_name="Rahmat"
    )


@pytest.fixture
def admin_client(client: Client, admin: Membership) -> Client:
    client.force_login(admin.user)
    return client


@pytest.fixture
def neighbour_admin(db: None) -> Membership:
    """The admin of another instansi: a full admin, but not of ours."""
    del db  # requested for database access
    return MembershipFactory(instansi=InstansiFactory(name="Kota Tetangga"), role=Role.ADMIN)


def member_with_role(instansi: Instansi, role: str) -> Membership:
    opd = OpdFactory(instansi=instansi) if role == Role.OPD else None
    return MembershipFactory(instansi=instansi, role=role, opd=opd)


def open_evaluation(
    instansi: Instansi, framework: Framework, numbers: range | list[int], year: int = 2026
) -> Evaluation:
    """An open evaluation with an answer (unassigned) for each indicator number given."""
    evaluation = EvaluationFactory(
        instansi=instansi,
        framework=framework,
        year=year,
        deadline=datetime(year, 12, 31, 23, 59, tzinfo=JAKARTA),
    )
    Answer.objects.bulk_create(
        Answer(evaluation=evaluation, indicator=indicator)
        for indicator in Indicator.objects.filter(framework=framework, number__in=list(numbers))
    )
    return evaluation


@dataclass
class Scene:
    """One row of everything a management URL can point at, all in `instansi`."""

    opd: Opd
    member: Membership
    evaluation: Evaluation
    finalised: Evaluation
    answer: Answer


@pytest.fixture
def scene(instansi: Instansi, framework59: Framework, bkpsdm: Opd) -> Scene:
    member = MembershipFactory(instansi=instansi, role=Role.OPD, opd=bkpsdm, user__first_name="Yusuf")
    evaluation = open_evaluation(instansi, framework59, range(1, 48))
    finalised = open_evaluation(instansi, framework59, [1], year=2022)
    finalised.status = "finalised"
    finalised.save()
    answer = evaluation.answers.get(indicator__number=36)  # Layanan Kepegawaian, suggested: bkpsdm
    return Scene(opd=bkpsdm, member=member, evaluation=evaluation, finalised=finalised, answer=answer)
