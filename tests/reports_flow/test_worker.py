"""Reports built by a real Celery worker on Redis, including a worker killed mid-report."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from assessment.models import Evaluation, Framework
from reports.models import Report, ReportStatus
from tests.reports_flow.conftest import children, service_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(framework59: Framework) -> Evaluation:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2022)


def wait_for(report_id: int, status: str, seconds: float = 90) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report = Report.objects.get(pk=report_id)
        if report.status == status:
            return report
        time.sleep(0.2)
    raise AssertionError(f"report {report_id} is {Report.objects.get(pk=report_id).status}, not {status}")


def request_hasil(client: Client, evaluation: Evaluation) -> Report:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="sekda.siak"))
    client.post(f"/laporan/evaluasi/{evaluation.pk}/minta/", {"kind": "hasil"})
    return Report.objects.get(evaluation=evaluation, kind="hasil")


def report_files() -> list[str]:
    folder = settings.MEDIA_ROOT / "reports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.usefixtures("worker")
def test_a_worker_builds_the_report_end_to_end(client: Client, demo: Evaluation) -> None:
    report = request_hasil(client, demo)
    done = wait_for(report.pk, ReportStatus.DONE)
    assert done.attempts == 1 and done.content_type == "application/pdf"
    response = client.get(f"/laporan/{report.pk}/unduh/")
    pdf = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF") and len(pdf) == done.size


@pytest.mark.parametrize("worker", ["4"], indirect=True)
def test_a_worker_killed_mid_report_still_completes_it_exactly_once(
    client: Client, demo: Evaluation, worker: Any
) -> None:
    report = request_hasil(client, demo)
    wait_for(report.pk, ReportStatus.RUNNING, 30)
    pool = children(worker.pid)
    assert pool, "the worker has no pool process"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    done = wait_for(report.pk, ReportStatus.DONE, 120)
    assert done.attempts == 2  # redelivered after the kill, built once more, not twice over
    assert report_files() == [f"laporan-{report.pk}.pdf"]


@pytest.mark.usefixtures("worker")
def test_with_redis_down_a_request_is_kept_and_the_sweeper_sends_it_later(demo: Evaluation) -> None:
    # A second portal process whose broker is unreachable, as during an outage: a port that accepts
    # connections and closes them at once, counting them. The user's answer must not wait on retries;
    # that is asserted by the number of connection attempts (one ping, no retry), not by a clock.
    attempts, listener = [], socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def refuse() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            attempts.append(1)
            connection.close()

    threading.Thread(target=refuse, daemon=True).start()
    script = (
        "import django, time; django.setup();"
        "from django.test import Client; from django.contrib.auth import get_user_model;"
        "c = Client(); c.force_login(get_user_model().objects.get(username='sekda.siak'));"
        f"t = time.monotonic(); r = c.post('/laporan/evaluasi/{demo.pk}/minta/', {{'kind': 'hasil'}}, follow=True);"
        "print(round(time.monotonic() - t, 2), r.status_code); print(r.content.decode())"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
        env=service_env(REDIS_URL=f"redis://127.0.0.1:{port}/0", DJANGO_SETTINGS_MODULE="spbe_portal.settings"),
    )  # fmt: skip
    listener.close()
    _seconds, status = run.stdout.splitlines()[0].split()
    assert status == "200", run.stderr[-2000:]
    assert len(attempts) == 1, f"{len(attempts)} connections to the broker: the request retried"
    assert "akan dicoba lagi otomatis" in run.stdout
    report = Report.objects.get(evaluation=demo, kind="hasil")
    assert report.status == ReportStatus.QUEUED and report.enqueued_at is None

    call_command("sweep_reports", stdout=open(os.devnull, "w"))  # noqa: SIM115  (Redis is back)
    assert wait_for(report.pk, ReportStatus.DONE).attempts == 1


@pytest.mark.usefixtures("worker")
def test_a_worker_builds_the_improvement_plan(client: Client, demo: Evaluation) -> None:
    from django.contrib.auth import get_user_model
    from pypdf import PdfReader

    client.force_login(get_user_model().objects.get(username="sekda.siak"))
    client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rencana", "target": "Baik"})
    report = wait_for(Report.objects.get(evaluation=demo, kind="rencana").pk, ReportStatus.DONE)
    pdf = b"".join(client.get(f"/laporan/{report.pk}/unduh/").streaming_content)  # type: ignore[attr-defined]
    import io

    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "RENCANA PENINGKATAN INDEKS SPBE" in text and "Target 2,60 (Baik)" in text
