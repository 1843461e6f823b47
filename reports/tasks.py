"""The Celery task that builds a report. Thin: it takes an id and calls the service."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from reports import services


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # Only transient faults are retried (a database restart); a broken report fails with a reason.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_jitter=True,
    max_retries=3,
)
def build_report(_self: object, report_id: int) -> None:
    try:
        services.run(report_id)
    except (OperationalError, InterfaceError):
        raise
    except SoftTimeLimitExceeded:
        services.fail(report_id, _("Pembuatan laporan melewati batas waktu."))
    except Exception as error:
        services.fail(report_id, _("Laporan gagal dibuat: %(error)s") % {"error": error})
        raise


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_reports() -> int:
    """Scheduled by Celery beat (CELERY_BEAT_SCHEDULE); safe to run on any worker, any number of times."""
    return services.sweep()
