"""A running report's sign of life, so the sweeper can tell a slow build from a dead worker.

When a whole worker is killed (a container stopped, an OOM kill), its unacknowledged message
comes back only after Redis's visibility timeout (15 minutes), and the row stays "running".
While a build runs, a thread of the worker stamps `Report.heartbeat_at` every
REPORT_HEARTBEAT_SECONDS; `services.sweep` re-sends a running report whose stamp is older
than REPORT_HEARTBEAT_STALE, so a dead worker's report is built again within about two
minutes (one sweep a minute), and a live one is never disturbed. When the old message is
redelivered later, the report is already done and the claim leaves it alone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from reports.models import Report, ReportStatus


def _beat(report_id: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(settings.REPORT_HEARTBEAT_SECONDS):
            try:
                Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(heartbeat_at=timezone.now())
            except DatabaseError:  # a database restart: the next beat tries again
                connection.close()
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def beating(report_id: int) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=_beat, args=(report_id, stop), name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
