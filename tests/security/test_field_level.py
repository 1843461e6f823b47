"""Field-level authorisation (ASVS 8.2.3): OPD staff cannot write what only reviewers and admins may.

Each test posts, as OPD staff, the field names of the reviewer's and the admin's forms by hand,
to every endpoint, and checks that the protected state is exactly as before.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import (
    Answer,
    AnswerEvidence,
    AnswerStatus,
    Evaluation,
    Evidence,
    EvidenceKind,
    Membership,
    Review,
    Stage,
    StageValue,
)
from assessment.services import answers as workflow
from tests.world import World

pytestmark = pytest.mark.django_db

OFFICIAL = [Stage.VERIFIKASI, Stage.DOKUMEN, Stage.INTERVIU, Stage.VISITASI]


def protected(world: World) -> tuple[Any, ...]:
    """Everything only reviewers, admins and the Sekda may change."""
    answers = Answer.objects.filter(evaluation=world.evaluation).order_by("pk")
    return (
        list(answers.values_list("pk", "status", "round", "lead_opd_id")),
        sorted(answers.values_list("pk", "contributors")),
        list(StageValue.objects.exclude(stage=Stage.MANDIRI).values_list("answer_id", "stage", "value")),
        list(
            StageValue.objects.filter(stage=Stage.MANDIRI)
            .exclude(answer=world.answer)
            .values_list("answer_id", "value")
        ),
        list(Review.objects.values_list("pk", "decision", "verified_value", "voided_at")),
        list(AnswerEvidence.objects.values_list("pk", "status")),
        list(Evaluation.objects.values_list("pk", "status")),
        list(Membership.objects.values_list("pk", "role", "opd_id", "user__is_active")),
    )


@pytest.fixture
def staff(client: Client, world: World) -> Client:
    client.force_login(world.a.users["opd.bkpsdm"])
    return client


@pytest.fixture
def link(world: World) -> AnswerEvidence:
    evidence = Evidence.objects.create(
        instansi=world.a.instansi,
        opd=world.a.bkpsdm,
        kind=EvidenceKind.LINK,
        title="SIMPEG",
        url="https://simpeg.go.id",
    )
    return AnswerEvidence.objects.create(answer=world.answer, evidence=evidence)


def reviewer_fields(world: World, link: AnswerEvidence) -> dict[str, Any]:
    """The names of every privileged form's fields, with the values an attacker would want."""
    answer, other = world.answer, world.other_answer
    return {
        "decision": "approved", "verified_value": "5", "reason": "Bukti lengkap", "status": "approved",
        f"e{link.pk}-status": "approved", f"e{link.pk}-comment": "ok", "stage": "verifikasi",
        f"v{answer.pk}": "5", f"n{answer.pk}": "dinaikkan", f"v{other.pk}": "5",
        f"lead_{answer.pk}": str(world.a.diskominfo.pk), f"lead_{other.pk}": str(world.a.bkpsdm.pk),
        f"contributors_{other.pk}": [str(world.a.bkpsdm.pk)], "lead_opd": str(world.a.diskominfo.pk),
        "round": "7", "role": "admin", "opd": "", "is_active": "on", "predicate_basis": "exact",
    }  # fmt: skip


def test_autosave_ignores_every_privileged_field(staff: Client, world: World, link: AnswerEvidence) -> None:
    before = protected(world)
    data = {**reviewer_fields(world, link), "value": "3", "explanation": "FAKTA: ada SK.", "version": 0}
    response = staff.post(reverse("assessment:answer-save", args=[world.answer.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    world.answer.refresh_from_db()
    assert world.answer.explanation == "FAKTA: ada SK."  # the staff's own fields were saved
    assert workflow.self_value(world.answer) == 3
    assert protected(world) == before  # and nothing else


def test_submitting_does_not_approve_or_verify(staff: Client, world: World, link: AnswerEvidence) -> None:
    data = {**reviewer_fields(world, link), "value": "4", "explanation": "FAKTA: ada SK.", "version": 0}
    data["action"] = "submit"
    assert staff.post(reverse("assessment:answer-save", args=[world.answer.pk]), data).status_code == 302
    world.answer.refresh_from_db()
    assert world.answer.status == AnswerStatus.SUBMITTED
    assert not Review.objects.exists()
    assert not StageValue.objects.filter(answer=world.answer).exclude(stage=Stage.MANDIRI).exists()
    assert AnswerEvidence.objects.get(pk=link.pk).status == "pending"


def test_another_opds_answer_cannot_be_written(staff: Client, world: World, link: AnswerEvidence) -> None:
    before = protected(world), world.other_answer.explanation
    data = {**reviewer_fields(world, link), "value": "5", "explanation": "diubah", "version": 0}
    response = staff.post(reverse("assessment:answer-save", args=[world.other_answer.pk]), data)
    assert response.status_code in {403, 404}
    world.other_answer.refresh_from_db()
    assert (protected(world), world.other_answer.explanation) == before


def privileged_posts(world: World, link: AnswerEvidence) -> list[tuple[str, list[Any]]]:
    evaluation = world.evaluation.pk
    return [
        ("assessment:review", [world.answer.pk]),
        ("assessment:evidence-decision", [link.pk]),
        *[("assessment:stage-record", [evaluation, stage.value]) for stage in OFFICIAL],
        ("assessment:manage-assignments", [evaluation]),
        ("assessment:manage-assignments-defaults", [evaluation]),
        ("assessment:manage-evaluation", [evaluation]),
        ("assessment:manage-evaluation-reopen", [evaluation]),
        ("assessment:manage-user", [Membership.objects.get(user=world.a.users["opd.bkpsdm"]).pk]),
        ("assessment:manage-opd", [world.a.bkpsdm.pk]),
        ("assessment:finalise", [evaluation]),
    ]


def test_every_reviewer_and_admin_endpoint_refuses_opd_staff(staff: Client, world: World, link: AnswerEvidence) -> None:
    workflow.save_draft(
        world.answer, world.a.users["opd.bkpsdm"], value=Decimal(3), explanation="FAKTA", seen_version=0
    )
    world.answer.refresh_from_db()
    workflow.submit(world.answer, world.a.users["opd.bkpsdm"], seen_version=world.answer.version)
    before = protected(world)
    data = {**reviewer_fields(world, link), "version": Answer.objects.get(pk=world.answer.pk).version}
    for name, args in privileged_posts(world, link):
        response = staff.post(reverse(name, args=args), data)
        assert response.status_code in {403, 404}, f"{name} answered {response.status_code} to OPD staff"
        assert protected(world) == before, f"{name} changed protected state for OPD staff"
    assert Answer.objects.get(pk=world.answer.pk).status == AnswerStatus.SUBMITTED


def test_the_same_endpoints_accept_the_reviewer(client: Client, world: World, link: AnswerEvidence) -> None:
    """The control: the fields above are the real ones, so the refusals are not typos."""
    workflow.save_draft(
        world.answer, world.a.users["opd.bkpsdm"], value=Decimal(3), explanation="FAKTA", seen_version=0
    )
    world.answer.refresh_from_db()
    workflow.submit(world.answer, world.a.users["opd.bkpsdm"], seen_version=world.answer.version)
    client.force_login(world.a.users["verifikator"])
    data = {**reviewer_fields(world, link), "version": Answer.objects.get(pk=world.answer.pk).version}
    assert client.post(reverse("assessment:evidence-decision", args=[link.pk]), data).status_code in {200, 302}
    assert AnswerEvidence.objects.get(pk=link.pk).status == "approved"
    data["version"] = Answer.objects.get(pk=world.answer.pk).version
    assert client.post(reverse("assessment:review", args=[world.answer.pk]), data).status_code == 302
    assert Answer.objects.get(pk=world.answer.pk).status == AnswerStatus.APPROVED
    assert Review.objects.get().verified_value == 5
