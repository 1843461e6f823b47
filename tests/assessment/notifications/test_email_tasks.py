"""E-mail copies of notifications go out from an idempotent task, after the commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from assessment.models import Notification
from assessment.services.notifications import notify, send_emails, send_pending
from assessment.tasks import send_notification_emails, send_pending_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("eager_tasks")
def test_nothing_is_sent_before_the_commit_and_one_mail_per_person_after(
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    people = [UserFactory(email="nur@contoh.go.id"), UserFactory(email="yusuf@contoh.go.id"), UserFactory(email="")]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[attr-defined]
        notify(people, "Jawaban dikembalikan.", url="/penilaian/")
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["nur@contoh.go.id", "yusuf@contoh.go.id"]
    link = f"{settings.SITE_URL.rstrip('/')}/penilaian/"  # absolute, so it works from a mail client
    assert all(m.body == f"Jawaban dikembalikan.\n\nBuka di Portal SPBE: {link}" for m in mail.outbox)
    assert not Notification.objects.filter(emailed_at=None).exists()  # the one without address too


def test_a_redelivered_task_sends_nothing_twice() -> None:
    user = UserFactory(email="nur@contoh.go.id")
    row = Notification.objects.create(user=user, message="Tenggat tinggal 1 hari.")
    assert send_notification_emails.apply(args=([row.pk],)).get() == 1
    assert send_notification_emails.apply(args=([row.pk],)).get() == 0
    assert send_pending_emails.apply().get() == 0
    assert len(mail.outbox) == 1


def test_the_catch_up_sends_what_never_reached_the_broker_and_only_that() -> None:
    user = UserFactory(email="nur@contoh.go.id")
    lost = Notification.objects.create(user=user, message="Hilang di antrean.")
    fresh = Notification.objects.create(user=user, message="Baru saja.")
    Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert send_pending() == 1  # the fresh one may still have its task on the way
    assert [m.subject for m in mail.outbox] == ["[Portal SPBE] Hilang di antrean."]
    assert send_emails([fresh.pk]) == 1 and send_pending() == 0
