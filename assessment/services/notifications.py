"""Notifications: an in-app row per user, and an e-mail copy sent after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.models import Membership, Notification, Opd, Role
from assessment.notices import Notice, render


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
        link = _("Buka di Portal SPBE: %(url)s") % {"url": absolute(url)} if url else ""
    rows = [Notification(user_id=u.pk, message=message[:500], key=key, params=params, url=url) for u in recipients]
    Notification.objects.bulk_create(rows)
    addresses = [getattr(u, "email", "") for u in recipients if getattr(u, "email", "")]
    if addresses:
        body = f"{message}\n\n{link}" if link else message

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
