"""Issue 14 item 10: each evidence control on the review page shows its decision, with no default."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import AnswerEvidence, Evidence, EvidenceKind
from assessment.services import answers as workflow
from tests.world import World

pytestmark = pytest.mark.django_db


def attach(world: World, title: str) -> AnswerEvidence:
    evidence = Evidence.objects.create(
        instansi=world.a.instansi, opd=world.a.bkpsdm, kind=EvidenceKind.LINK, title=title, url="https://simpeg.go.id"
    )
    return AnswerEvidence.objects.create(answer=world.answer, evidence=evidence)


@pytest.fixture
def reviewer(world: World) -> Client:
    workflow.save_draft(
        world.answer, world.a.users["opd.bkpsdm"], value=Decimal(3), explanation="FAKTA", seen_version=0
    )
    world.answer.refresh_from_db()
    workflow.submit(world.answer, world.a.users["opd.bkpsdm"], seen_version=world.answer.version)
    client = Client()
    client.force_login(world.a.users["verifikator"])
    return client


def selected(page: str, link: AnswerEvidence) -> str:
    control = re.search(rf'<select name="e{link.pk}-status".*?</select>', page, re.S)
    assert control is not None
    chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', control.group(0))
    return chosen[0] if chosen else "(none)"


def test_an_unchecked_item_has_no_decision_and_a_decided_one_shows_it(reviewer: Client, world: World) -> None:
    unchecked, accepted, refused = attach(world, "SK"), attach(world, "SIMPEG"), attach(world, "Laporan")
    for link, status in ((accepted, "approved"), (refused, "rejected")):
        reviewer.post(
            reverse("assessment:evidence-decision", args=[link.pk]),
            {f"e{link.pk}-status": status, f"e{link.pk}-comment": "Tanggal SK kedaluwarsa"},
        )
    assert dict(AnswerEvidence.objects.values_list("pk", "status")) == {
        unchecked.pk: "pending",
        accepted.pk: "approved",
        refused.pk: "rejected",
    }
    page = reviewer.get(reverse("assessment:review", args=[world.answer.pk])).content.decode()
    assert selected(page, unchecked) == ""
    assert selected(page, accepted) == "approved" and selected(page, refused) == "rejected"
    badges = re.findall(r'<span class="badge ([^"]+)" data-testid="evidence-status">([^<]+)</span>', page)
    assert sorted(badges) == [
        ("text-bg-danger", "Ditolak"), ("text-bg-secondary", "Belum diperiksa"), ("text-bg-success", "Diterima")
    ]  # fmt: skip
    assert 'class="badge text-bg-info" data-testid="answer-status">Diajukan' in page


def test_sending_the_untouched_control_decides_nothing(reviewer: Client, world: World) -> None:
    link = attach(world, "SK")
    response = reviewer.post(reverse("assessment:evidence-decision", args=[link.pk]), {f"e{link.pk}-status": ""})
    assert response.status_code == 302
    assert AnswerEvidence.objects.get(pk=link.pk).status == "pending"
    page = reviewer.get(response["Location"]).content.decode()
    assert "Pilih terima atau tolak." in page
