"""Celery beat runs the schedule: a real beat process and a real worker on Redis."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from assessment.models import Evaluation, Notification
from assessment.services.reminders import JAKARTA, today_in_jakarta
from reports.models import Report, ReportStatus
from tests.assessment.evidence.conftest import make_place, small_framework
from tests.reports_flow.conftest import service_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def beat(tmp_path: Path, worker: Any) -> Iterator[Path]:
    del worker  # requested so a worker runs
    log = tmp_path / "beat.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "spbe_portal", "beat", "--loglevel", "INFO",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=settings.BASE_DIR, env=service_env(SWEEP_SECONDS="1", REMINDER_SECONDS="1"),
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield log
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_beat_sweeps_a_report_the_broker_never_got_and_sends_reminders(beat: Path, worker: Any) -> None:
    place = make_place(small_framework(), "siak")
    in_a_week = datetime.combine(today_in_jakarta() + timedelta(days=7), clock(23, 59), JAKARTA)
    Evaluation.objects.filter(pk=place.evaluation.pk).update(deadline=in_a_week)
    # As if Redis had been down when it was requested: queued, never sent.
    report = Report.objects.create(evaluation=place.evaluation, kind="csv", fingerprint="f", enqueued_at=None)
    deadline = time.monotonic() + 180  # bounded; generous for a busy CI machine
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status == ReportStatus.DONE and Notification.objects.filter(user=place.users["opd_a"]).exists():
            break
        time.sleep(0.5)
    text = beat.read_text()
    assert report.status == ReportStatus.DONE, text[-2000:] + worker.log.read_text()[-2000:]
    assert "Sending due task sweep-reports" in text and "Sending due task deadline-reminders" in text
    # Idempotent: the reminder task ran many times (every second), one reminder per person.
    time.sleep(3)
    assert Notification.objects.filter(user=place.users["opd_a"]).count() == 1
