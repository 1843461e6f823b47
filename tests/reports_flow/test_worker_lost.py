"""The whole worker dies mid-report (a container killed, an OOM kill), not only its pool child.

The message was taken but never acknowledged. Two ways bring the report back, both tested:
Redis hands unacknowledged messages to a live worker once the visibility timeout has passed,
and `sweep_reports` re-sends a report left running longer than twice the task time limit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from assessment.models import Evaluation
from reports.models import ReportStatus
from reports.services import sweep
from tests.conftest import require_service
from tests.reports_flow.conftest import children, redis_up, service_env, worker_command
from tests.reports_flow.test_worker import demo, report_files, request_hasil, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
__all__ = ["demo"]  # the fixture, imported for this module


class Workers:
    """Celery workers started and killed by the test; all are gone at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, delay: str = "0", **env: str) -> subprocess.Popen[bytes]:
        log = self.folder / f"{name}.log"
        process = subprocess.Popen(
            [*worker_command(delay), "--concurrency", "1", "--pool", "prefork",
             "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "INFO", "-n", f"{name}@%h"],
            cwd=settings.BASE_DIR, env=service_env(REPORT_BUILD_DELAY=delay, **env), stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.started.append(process)
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker {name} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        return process

    def kill_whole(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL the main process and its pool at once: nothing can acknowledge or requeue."""
        for pid in [process.pid, *children(process.pid)]:
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=15)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    from django.db import connection

    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://...)")
    require_service(redis_up(), "Redis (REDIS_URL=redis://...)")
    from spbe_portal.celery import app

    app.control.purge()
    started = Workers(tmp_path)
    yield started
    started.stop_all()
    # A message of a killed worker that was not redelivered would surface in a later test's worker
    # (as a harmless no-op); remove it with this test.
    import redis

    redis.Redis.from_url(settings.REDIS_URL).delete("unacked", "unacked_index")


def test_a_killed_worker_s_report_is_redelivered_to_the_next_worker(
    client: Client, demo: Evaluation, workers: Workers
) -> None:
    first = workers.start("first", delay="30")
    report = request_hasil(client, demo)
    wait_for(report.pk, ReportStatus.RUNNING, 60)
    workers.kill_whole(first)
    time.sleep(1)
    assert wait_for(report.pk, ReportStatus.RUNNING, 1).attempts == 1  # nobody is working on it now

    # A new worker whose visibility timeout has passed for the orphaned message takes it back.
    workers.start("second", CELERY_VISIBILITY_TIMEOUT="2")
    done = wait_for(report.pk, ReportStatus.DONE, 120)
    assert done.attempts == 2
    assert report_files() == [f"laporan-{report.pk}.pdf"]


def test_the_sweeper_re_sends_a_report_a_dead_worker_left_running(
    client: Client, demo: Evaluation, workers: Workers, settings: Any
) -> None:
    first = workers.start("first", delay="30")
    report = request_hasil(client, demo)
    wait_for(report.pk, ReportStatus.RUNNING, 60)
    workers.kill_whole(first)
    workers.start("second")  # default visibility timeout (15 min): only the sweeper can help soon

    settings.CELERY_TASK_TIME_LIMIT = 1  # "running for longer than twice the limit" = stuck
    time.sleep(2.5)
    call_command("sweep_reports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    done = wait_for(report.pk, ReportStatus.DONE, 120)
    assert done.attempts == 2
    assert report_files() == [f"laporan-{report.pk}.pdf"]


def test_the_sweeper_finds_a_dead_worker_s_report_by_its_silent_heartbeat_and_builds_it_once(
    client: Client, demo: Evaluation, workers: Workers, settings: Any
) -> None:
    """Not after twice the time limit (15+ minutes): once the building worker stops beating."""
    settings.REPORT_HEARTBEAT_STALE = 4  # production: 60 s, with a beat every 15 s and a sweep a minute
    first = workers.start("first", delay="40", REPORT_HEARTBEAT_SECONDS="1")
    report = request_hasil(client, demo)
    wait_for(report.pk, ReportStatus.RUNNING, 60)
    time.sleep(6)  # longer than "stale" since it started: only the heartbeat keeps the sweeper off
    assert sweep() == 0
    running = wait_for(report.pk, ReportStatus.RUNNING, 1)
    assert running.attempts == 1 and running.heartbeat_at is not None and running.started_at is not None
    assert running.heartbeat_at > running.started_at

    workers.kill_whole(first)
    workers.start("second")  # default visibility timeout (15 min): only the sweeper can help soon
    time.sleep(5)
    died = time.monotonic()
    assert sweep() == 1
    done = wait_for(report.pk, ReportStatus.DONE, 120)
    assert time.monotonic() - died < 120
    assert done.attempts == 2
    assert report_files() == [f"laporan-{report.pk}.pdf"]
