"""Notifications: an in-app row per user, and an e-mail copy sent by a task after the commit.

The e-mail goes out from `assessment.tasks.send_notification_emails`, enqueued once the
transaction has committed. Each row is claimed (`emailed_at`) before its e-mail is sent, so a
redelivered task or the scheduled catch-up (`send_pending_emails`, for rows whose task never
reached the broker) never sends the same notification twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.models import Membership, Notification, Opd, Role
from assessment.notices import Notice, render

# A row this old without `emailed_at` lost its task (Redis was down): the catch-up sends it.
PENDING_AFTER = timedelta(minutes=5)


def absolute(url: str) -> str:
    """A portal path as a link that works from an e-mail client (settings.SITE_URL)."""
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def notify(users: Iterable[AbstractBaseUser], notice: Notice | str, url: str = "") -> None:
    """An in-app row per active user and one e-mail copy (after commit) to those with an address.

    A `Notice` is stored as key + parameters, so the in-app list shows it in each reader's
    language; the e-mail is written in the portal's default language with an absolute link.
    """
    recipients = [u for u in users if u.is_active]
    key, params = (notice.key, notice.params) if isinstance(notice, Notice) else ("", {})
    with translation.override(settings.LANGUAGE_CODE):
        message = render(key, params, notice if isinstance(notice, str) else "")
    rows = Notification.objects.bulk_create(
        [Notification(user_id=u.pk, message=message[:500], key=key, params=params, url=url) for u in recipients]
    )
    ids = [row.pk for row in rows if row.pk is not None]
    if ids:
        # robust: with the broker down the request still succeeds; the catch-up sends later.
        transaction.on_commit(lambda: _enqueue(ids), robust=True)


def _enqueue(ids: list[int]) -> None:
    from assessment.tasks import send_notification_emails

    send_notification_emails.apply_async((ids,), retry=False)


def send_emails(ids: Iterable[int]) -> int:
    """Send the e-mail copy of each row not sent yet; the number of e-mails sent."""
    sent = 0
    for row in Notification.objects.filter(pk__in=list(ids), emailed_at=None).select_related("user"):
        if not Notification.objects.filter(pk=row.pk, emailed_at=None).update(emailed_at=timezone.now()):
            continue  # another delivery claimed it
        address = getattr(row.user, "email", "")
        if not address or not row.user.is_active:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            link = _("Buka di Portal SPBE: %(url)s") % {"url": absolute(row.url)} if row.url else ""
        body = f"{row.message}\n\n{link}" if link else row.message
        send_mail(
            f"[Portal SPBE] {row.message[:120]}", body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True
        )
        sent += 1
    return sent


def send_pending(limit: int = 1000) -> int:
    """The catch-up: rows whose task never ran (broker down at the time)."""
    cutoff = timezone.now() - PENDING_AFTER
    ids = Notification.objects.filter(emailed_at=None, created_at__lt=cutoff).values_list("pk", flat=True)[:limit]
    return send_emails(list(ids))


def reviewers_of(instansi_id: int) -> list[AbstractBaseUser]:
    members = Membership.objects.filter(instansi_id=instansi_id, role=Role.VERIFIKATOR).select_related("user")
    return [m.user for m in members]


def staff_of(opds: Iterable[Opd | None]) -> list[AbstractBaseUser]:
    ids = [o.pk for o in opds if o is not None]
    return [m.user for m in Membership.objects.filter(opd_id__in=ids, role=Role.OPD).select_related("user")]
