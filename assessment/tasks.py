"""Scheduled assessment work, run by Celery beat (CELERY_BEAT_SCHEDULE in settings)."""

from __future__ import annotations

from celery import shared_task

from assessment.services.reminders import send_deadline_reminders as send
from assessment.services.reminders import today_in_jakarta


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_deadline_reminders() -> int:
    """Idempotent per day (WIB), so beat may run it hourly and a redelivery sends nothing twice."""
    return send(today_in_jakarta())
