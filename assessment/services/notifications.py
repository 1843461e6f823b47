"""Notifications: an in-app row per user, and an e-mail copy sent after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction

from assessment.models import Membership, Notification, Opd, Role


def notify(users: Iterable[AbstractBaseUser], message: str, url: str = "") -> None:
    recipients = [u for u in users if u.is_active]
    Notification.objects.bulk_create([Notification(user_id=u.pk, message=message, url=url) for u in recipients])
    addresses = [getattr(u, "email", "") for u in recipients if getattr(u, "email", "")]
    if addresses:
        body = f"{message}\n\n{url}" if url else message

        def send() -> None:
            send_mail(
                f"[Portal SPBE] {message[:120]}", body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True
            )

        transaction.on_commit(send)


def reviewers_of(instansi_id: int) -> list[AbstractBaseUser]:
    members = Membership.objects.filter(instansi_id=instansi_id, role=Role.VERIFIKATOR).select_related("user")
    return [m.user for m in members]


def staff_of(opds: Iterable[Opd | None]) -> list[AbstractBaseUser]:
    ids = [o.pk for o in opds if o is not None]
    return [m.user for m in Membership.objects.filter(opd_id__in=ids, role=Role.OPD).select_related("user")]
