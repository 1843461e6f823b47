"""Issue 14 items 1-4 over HTTP: a refused save, for any reason, shows the user's text and why.

Approved answers are read-only until the explicit withdrawal; autosave never changes a status
or overwrites another person's text; "Ajukan" is one use case (no 500 on any interleaving).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import AnswerEvidence, AnswerStatus, Decision, EvaluationStatus, Evidence, Notification, Review
from assessment.services import answers as workflow
from tests.world import World

pytestmark = pytest.mark.django_db
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
TEXT = "FAKTA: SK Bupati 7/2026. ANALISIS: tingkat 3."


def url(world: World, suffix: str = "") -> str:
    return f"/penilaian/jawaban/{world.answer.pk}/{suffix}"


def post(client: Client, world: World, text: str, version: int, *, htmx: bool = False, **extra: str):  # type: ignore[no-untyped-def]
    data = {"value": "3", "explanation": text, "version": version, **extra}
    return client.post(url(world, "simpan/"), data, **(HTMX if htmx else {}))


def approved(world: World) -> Review:
    opd, verifier = world.a.users["opd.bkpsdm"], world.a.users["verifikator"]
    workflow.save_draft(world.answer, opd, value=Decimal(3), explanation=TEXT, seen_version=0)
    workflow.submit(world.answer, opd, seen_version=1)
    review = workflow.decide(
        world.answer, verifier, decision=Decision.APPROVED, reason="", verified_value=None, seen_version=2
    )
    world.answer.refresh_from_db()
    return review


def refused_text(page: str) -> str:
    found = re.search(r'<textarea[^>]*id="refused-text"[^>]*readonly[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "the user's text is not drawn on the page"
    return unescape(found.group(1))


def test_autosave_on_an_approved_answer_changes_nothing_and_says_so(client: Client, world: World) -> None:
    review = approved(world)
    client.force_login(world.a.users["opd.bkpsdm"])
    page = client.get(url(world)).content.decode()
    assert 'id="answer-form"' not in page and "Ubah jawaban yang sudah disetujui" in page
    body = post(client, world, TEXT + "x", world.answer.version, htmx=True).content.decode()
    assert "Tidak tersimpan" in body and "sudah disetujui" in body and "Tersimpan " not in body
    world.answer.refresh_from_db()
    review.refresh_from_db()
    assert (world.answer.status, world.answer.explanation, review.voided_at) == (AnswerStatus.APPROVED, TEXT, None)
    # a plain "Simpan draf" from a page opened earlier: 409, the text shown read-only with the reason
    response = post(client, world, TEXT + " tambahan", world.answer.version)
    page = response.content.decode()
    assert response.status_code == 409 and "sudah disetujui" in page
    assert refused_text(page) == TEXT + " tambahan"
    assert 'data-status="approved"' in page  # badge and stored state agree


def test_evidence_cannot_be_attached_to_an_approved_answer(world: World) -> None:
    from assessment.services import evidence as evidence_service
    from assessment.services.evaluations import WorkflowError

    approved(world)
    item = Evidence.objects.create(
        instansi=world.a.instansi, opd=world.a.bkpsdm, kind="link", title="SK", url="https://x.go.id"
    )
    with pytest.raises(WorkflowError, match="sudah disetujui"):
        evidence_service.attach(world.answer, item, world.a.users["opd.bkpsdm"])
    assert not AnswerEvidence.objects.filter(answer=world.answer).exists()


def test_withdrawing_an_approval_over_http(client: Client, world: World) -> None:
    review = approved(world)
    client.force_login(world.a.users["opd.bkpsdm"])
    response = client.post(url(world, "tarik-persetujuan/"), {"reason": "   ", "version": world.answer.version})
    assert response.status_code == 409 and "Tuliskan alasan" in response.content.decode()
    response = client.post(
        url(world, "tarik-persetujuan/"), {"reason": "Ada SK baru", "version": world.answer.version}, follow=True
    )
    page = response.content.decode()
    assert "Persetujuan ditarik" in page and "Alasan: Ada SK baru" in page and 'data-status="draft"' in page
    assert 'id="answer-form"' in page
    world.answer.refresh_from_db()
    review.refresh_from_db()
    assert world.answer.status == AnswerStatus.DRAFT and review.voided_at is not None
    assert Notification.objects.filter(user=world.a.users["verifikator"], message__contains="Ada SK baru").exists()
    # a second, stale withdrawal (another tab) is refused and keeps the reason typed
    response = client.post(url(world, "tarik-persetujuan/"), {"reason": "tab lain", "version": 2})
    page = response.content.decode()
    assert response.status_code == 409 and "telah berubah sejak Anda membukanya" in page
    assert refused_text(page) == "tab lain"


def test_a_second_autosave_after_a_conflict_is_still_refused(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    post(client, world, "teks tab pertama", 0, htmx=True)
    for attempt in ("teks tab kedua", "teks tab kedua lagi"):  # the warning once, then again, never a silent save
        body = post(client, world, attempt, 0, htmx=True, overwrite_version="1").content.decode()
        assert "Tidak tersimpan" in body and "teks tab pertama" in body
    world.answer.refresh_from_db()
    assert world.answer.explanation == "teks tab pertama"
    # the explicit choice names the version seen; a change made after it is a new conflict
    post(client, world, "teks tab pertama, diperbaiki", 1, htmx=True)
    response = post(client, world, "teks tab kedua", 0, action="overwrite", overwrite_version="1")
    assert response.status_code == 409 and "diperbaiki" in response.content.decode()
    response = post(client, world, "teks tab kedua", 0, action="overwrite", overwrite_version="2")
    assert response.status_code == 302
    world.answer.refresh_from_db()
    assert world.answer.explanation == "teks tab kedua"


@pytest.mark.parametrize("why", ["submitted", "deadline", "finalised"])
def test_a_refused_save_shows_the_text_when_the_answer_is_no_longer_editable(
    client: Client, world: World, why: str
) -> None:
    opd = world.a.users["opd.bkpsdm"]
    workflow.save_draft(world.answer, opd, value=Decimal(3), explanation=TEXT, seen_version=0)
    if why == "submitted":  # the first tab submitted; the second tab still shows version 1
        workflow.submit(world.answer, opd, seen_version=1)
        expected = "telah diubah orang lain"
    elif why == "deadline":
        world.evaluation.deadline = timezone.now() - timedelta(minutes=1)
        world.evaluation.save()
        expected = "Tenggat pengisian telah lewat"
    else:
        world.evaluation.status = EvaluationStatus.FINALISED
        world.evaluation.save()
        expected = "sudah final"
    client.force_login(opd)
    response = post(client, world, "teks baru tab kedua <b>tebal</b>", 1)
    page = response.content.decode()
    assert response.status_code == 409 and expected in page
    assert refused_text(page) == "teks baru tab kedua <b>tebal</b>"
    world.answer.refresh_from_db()
    assert world.answer.explanation == TEXT


def test_ajukan_twice_submits_once_and_ajukan_racing_a_stale_autosave_is_no_500(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    first = post(client, world, TEXT, 0, action="submit")
    second = post(client, world, TEXT, 0, action="submit")  # a double click
    assert (first.status_code, second.status_code) == (302, 302)
    world.answer.refresh_from_db()
    assert (world.answer.status, world.answer.round) == (AnswerStatus.SUBMITTED, 1)
    # an autosave queued before the submission arrives after it: refused, status unchanged
    body = post(client, world, TEXT + " lagi", 1, htmx=True).content.decode()
    assert "Tidak tersimpan" in body and 'data-status="submitted"' in body
    world.answer.refresh_from_db()
    assert world.answer.status == AnswerStatus.SUBMITTED and world.answer.explanation == TEXT


def test_ajukan_without_a_level_saves_the_text_and_says_why_not_submitted(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    response = client.post(
        url(world, "simpan/"),
        {"value": "", "explanation": "baru sebagian", "version": 0, "action": "submit"},
        follow=True,
    )
    assert "belum dapat diajukan" in response.content.decode() and "Pilih tingkat" in response.content.decode()
    world.answer.refresh_from_db()
    assert (world.answer.status, world.answer.explanation) == (AnswerStatus.DRAFT, "baru sebagian")
