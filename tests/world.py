"""A small deployment for workflow and permission tests.

Two instansi (`a` and `b`), each with two OPDs (BKPSDM and Diskominfo) and one user per role,
and an open evaluation of `a` created the way the portal creates one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from assessment.models import Answer, Evaluation, Framework, Instansi, Opd, Role
from assessment.services.evaluations import create_evaluation
from tests.factories import InstansiFactory, MembershipFactory, OpdFactory, UserFactory


@dataclass
class Side:
    instansi: Instansi
    bkpsdm: Opd
    diskominfo: Opd
    users: dict[str, User]


@dataclass
class World:
    a: Side
    b: Side
    evaluation: Evaluation
    answer: Answer  # indicator 36 (Layanan Kepegawaian), led by a's BKPSDM
    other_answer: Answer  # indicator 1, led by a's Diskominfo


def make_side(tag: str) -> Side:
    instansi = InstansiFactory(name=f"Kabupaten {tag.upper()}", slug=f"kabupaten-{tag}")
    bkpsdm = OpdFactory(instansi=instansi, code="bkpsdm", short_name="BKPSDM")
    diskominfo = OpdFactory(instansi=instansi, code="diskominfo", short_name="Diskominfo")
    users = {}
    for role in (Role.ADMIN, Role.SEKDA, Role.VERIFIKATOR, Role.KOORDINATOR):
        users[role.value] = MembershipFactory(
            user=UserFactory(username=f"{role.value}.{tag}"), instansi=instansi, role=role
        ).user
    for opd in (bkpsdm, diskominfo):
        users[f"opd.{opd.code}"] = MembershipFactory(
            user=UserFactory(username=f"opd.{opd.code}.{tag}", email=f"{opd.code}.{tag}@example.go.id"),
            instansi=instansi, role=Role.OPD, opd=opd,
        ).user  # fmt: skip
    return Side(instansi, bkpsdm, diskominfo, users)


def make_world(framework: Framework) -> World:
    a, b = make_side("a"), make_side("b")
    evaluation = create_evaluation(a.instansi, framework, 2026, timezone.now() + timedelta(days=30), "exact")
    create_evaluation(b.instansi, framework, 2026, timezone.now() + timedelta(days=30), "exact")
    answer = evaluation.answers.get(indicator__number=36)
    other = evaluation.answers.get(indicator__number=1)
    return World(a, b, evaluation, answer, other)
