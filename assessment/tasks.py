"""Assessment tasks: the schedule run by Celery beat (CELERY_BEAT_SCHEDULE) and notification e-mail."""

from __future__ import annotations

from celery import shared_task

from assessment.services import notifications
from assessment.services.reminders import send_deadline_reminders as send
from assessment.services.reminders import today_in_jakarta


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_deadline_reminders() -> int:
    """Idempotent per day (WIB), so beat may run it hourly and a redelivery sends nothing twice."""
    return send(today_in_jakarta())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Idempotent: each row is claimed before its e-mail goes out, so a redelivery sends nothing twice."""
    return notifications.send_emails(notification_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_pending_emails() -> int:
    """Scheduled catch-up for notifications whose task never reached the broker."""
    return notifications.send_pending()
