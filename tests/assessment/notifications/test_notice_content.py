"""Notifications name the instansi, the indicator and the reason; e-mail links are absolute
(settings.SITE_URL); the in-app list follows the reader's language (issue 14 item 14)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from assessment.models import Answer, Decision, Notification
from assessment.services import answers as answers_service
from tests.world import World

pytestmark = pytest.mark.django_db
REASON = "Lampirkan SK yang sudah ditandatangani."


def submitted(world: World, capture: DjangoCaptureOnCommitCallbacks) -> Answer:
    answer = answers_service.save_draft(
        world.answer, world.a.users["opd.bkpsdm"], value=Decimal(3), explanation="FAKTA: SK.", seen_version=0
    )
    with capture(execute=True):
        return answers_service.submit(answer, world.a.users["opd.bkpsdm"], seen_version=answer.version)


@pytest.mark.usefixtures("eager_tasks")
def test_the_reviewer_is_told_which_instansi_indicator_and_opd_with_an_absolute_link(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, settings: Settings
) -> None:
    settings.SITE_URL = "https://spbe.contoh.go.id"
    reviewer = world.a.users["verifikator"]
    get_user_model().objects.filter(pk=reviewer.pk).update(email="verifikator.a@example.go.id")
    answer = submitted(world, django_capture_on_commit_callbacks)
    row = Notification.objects.get(user=world.a.users["verifikator"])
    assert row.key == "answer_submitted" and row.params["instansi"] == "Kabupaten A"
    expected = "Kabupaten A: jawaban indikator 36 (Tingkat Kematangan Layanan Kepegawaian) dari BKPSDM diajukan untuk diperiksa."
    assert row.message == expected
    (email,) = [m for m in mail.outbox if "verifikator.a@example.go.id" in m.to]
    assert expected in email.body
    assert f"https://spbe.contoh.go.id/penilaian/periksa/{answer.pk}/" in email.body
    assert "Kabupaten A" in email.subject


@pytest.mark.usefixtures("eager_tasks")
def test_a_returned_answer_tells_the_opd_the_reason_and_reads_in_each_readers_language(
    client: Client, world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, settings: Settings
) -> None:
    settings.SITE_URL = "https://spbe.contoh.go.id"
    answer = submitted(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answers_service.decide(
            answer, world.a.users["verifikator"], decision=Decision.RETURNED, reason=REASON, verified_value=None,
            seen_version=answer.version,
        )  # fmt: skip
    opd = world.a.users["opd.bkpsdm"]
    (email,) = [m for m in mail.outbox if opd.email in m.to]
    assert (
        "Kabupaten A: jawaban indikator 36 (Tingkat Kematangan Layanan Kepegawaian) dikembalikan untuk perbaikan."
        in email.body
    )
    assert f"Alasan: {REASON}" in email.body
    assert f"https://spbe.contoh.go.id/penilaian/jawaban/{answer.pk}/" in email.body
    client.force_login(opd)
    page = client.get(reverse("assessment:notifications")).content.decode()
    assert "dikembalikan untuk perbaikan" in page and REASON in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("assessment:notifications")).content.decode()
    assert (
        "Kabupaten A: the answer to indicator 36 (Tingkat Kematangan Layanan Kepegawaian) was returned for correction."
        in page
    )
    assert f"Reason: {REASON}" in page and "dikembalikan" not in page


def test_old_rows_without_a_key_still_show_their_text(client: Client, world: World) -> None:
    user = world.a.users["opd.bkpsdm"]
    Notification.objects.create(user=user, message="Pesan lama tanpa kunci", url="/penilaian/")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Pesan lama tanpa kunci" in client.get(reverse("assessment:notifications")).content.decode()
