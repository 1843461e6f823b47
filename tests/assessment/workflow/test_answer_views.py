"""The indicator page as OPD staff use it: read, autosave, conflicts, deadline, expired session."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import AnswerStatus, Stage, StageValue
from assessment.services import answers as workflow
from tests.world import World

pytestmark = pytest.mark.django_db
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def url(world: World, suffix: str = "") -> str:
    return f"/penilaian/jawaban/{world.answer.pk}/{suffix}"


def save(client: Client, world: World, version: int, text: str = "FAKTA: SK. ANALISIS: tingkat 3.", level: str = "3",
         **extra: str) -> object:  # fmt: skip
    return client.post(
        url(world, "simpan/"), {"value": level, "explanation": text, "version": version, **extra}, **HTMX
    )


def test_opd_staff_see_the_question_criteria_and_guidance(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    page = client.get(url(world)).content.decode()
    assert "Layanan Kepegawaian" in page
    assert "Tingkat 5 — Optimum" in page and "Cara memenuhi dan bukti dukung" in page
    assert 'name="explanation"' in page and "FAKTA" in page


def test_autosave_stores_the_draft_and_returns_the_new_version(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    response = save(client, world, 0)
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "Tersimpan" in body and 'value="1" id="id_version" hx-swap-oob="true"' in body
    world.answer.refresh_from_db()
    assert world.answer.explanation.startswith("FAKTA") and world.answer.version == 1
    assert StageValue.objects.get(answer=world.answer, stage=Stage.MANDIRI).value == 3


def test_a_second_tab_gets_a_conflict_with_the_other_text_and_keeps_its_own(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    save(client, world, 0, "teks dari tab pertama")
    response = client.post(url(world, "simpan/"), {"value": "2", "explanation": "teks tab kedua", "version": 0})
    page = response.content.decode()
    assert response.status_code == 409
    assert "telah diubah orang lain" in page and "teks dari tab pertama" in page
    assert "teks tab kedua</textarea>" in page  # the user's own text survives in the form
    world.answer.refresh_from_db()
    assert world.answer.explanation == "teks dari tab pertama"
    # an autosave carrying the version of the other text still does not overwrite it
    save(client, world, 0, "teks tab kedua", overwrite="1", overwrite_version="1", action="overwrite")
    world.answer.refresh_from_db()
    assert world.answer.explanation == "teks dari tab pertama"
    # choosing to overwrite (the explicit button, after seeing version 1) saves the user's text on top of it
    client.post(url(world, "simpan/"), {"value": "2", "explanation": "teks tab kedua", "version": 0,
                                        "action": "overwrite", "overwrite_version": "1"})  # fmt: skip
    world.answer.refresh_from_db()
    assert world.answer.explanation == "teks tab kedua"


def test_the_same_content_racing_from_one_page_is_not_a_conflict(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    save(client, world, 0, "sama")
    response = client.post(
        url(world, "simpan/"), {"value": "3", "explanation": "sama", "version": 0, "action": "submit"}
    )
    assert response.status_code == 302
    world.answer.refresh_from_db()
    assert world.answer.status == AnswerStatus.SUBMITTED


def test_autosave_conflicts_are_explained_without_losing_text(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    save(client, world, 0, "pertama")
    body = save(client, world, 0, "kedua").content.decode()  # type: ignore[attr-defined]
    assert "Tidak tersimpan" in body and "pertama" in body and 'name="overwrite_version" value="1"' in body


def test_invalid_level_is_reported_on_the_field_and_text_kept(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    response = client.post(url(world, "simpan/"), {"value": "9", "explanation": "teks saya", "version": 0})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid. 9 bukan salah satu dari pilihan" in page
    assert "teks saya</textarea>" in page


def test_after_the_deadline_the_page_says_so_and_saves_are_refused(client: Client, world: World) -> None:
    world.evaluation.deadline = timezone.now() - timedelta(hours=1)
    world.evaluation.save()
    client.force_login(world.a.users["opd.bkpsdm"])
    page = client.get(url(world)).content.decode()
    assert "Tenggat pengisian telah lewat" in page and 'id="answer-form"' not in page
    body = save(client, world, 0).content.decode()  # type: ignore[attr-defined]
    assert "Tenggat pengisian telah lewat" in body
    world.answer.refresh_from_db()
    assert world.answer.version == 0


def test_an_expired_session_during_autosave_explains_itself(client: Client, world: World) -> None:
    response = save(client, world, 0)  # not logged in
    body = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Sesi Anda telah berakhir" in body and "<form" not in body


def test_submit_sends_the_answer_to_review(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    save(client, world, 0)
    response = client.post(
        url(world, "simpan/"),
        {"value": "3", "explanation": "FAKTA: SK. ANALISIS: tingkat 3.", "version": 1, "action": "submit"},
        follow=True,
    )
    assert "Jawaban diajukan ke verifikator" in response.content.decode()
    world.answer.refresh_from_db()
    assert world.answer.status == AnswerStatus.SUBMITTED


def test_another_opd_reads_nothing_and_a_reviewer_cannot_save(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.diskominfo"])
    assert client.get(url(world)).status_code == 404
    client.force_login(world.a.users["verifikator"])
    assert client.get(url(world)).status_code == 200
    assert save(client, world, 0).status_code == 403  # type: ignore[attr-defined]
    world.answer.refresh_from_db()
    assert world.answer.version == 0


def test_the_timeline_shows_who_changed_what(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    save(client, world, 0, "versi satu")
    save(client, world, 1, "versi dua", level="4")
    page = client.get(url(world)).content.decode()
    assert "Penjelasan diubah" in page and "Nilai Penilaian Mandiri: 3 → 4" in page
    assert "opd.bkpsdm.a" in page


@pytest.mark.parametrize("role", ["sekda", "verifikator", "admin"])
def test_every_link_of_the_review_queue_opens_for_whoever_sees_the_queue(client: Client, world: World,
                                                                          role: str) -> None:  # fmt: skip
    owner = world.a.users["opd.bkpsdm"]
    answer = workflow.save_draft(world.answer, owner, value=Decimal(3), explanation="x", seen_version=0)
    workflow.submit(answer, owner, seen_version=answer.version)
    client.force_login(world.a.users[role])
    page = client.get("/penilaian/periksa/").content.decode()
    links = re.findall(r'href="(/penilaian/(?:periksa|jawaban)/\d+/)"', page)
    assert links and all(client.get(link).status_code == 200 for link in links)
