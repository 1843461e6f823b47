"""Requesting reports in the portal: versions, access, status polling and downloads.

Tasks run in-process here (Celery's eager mode, the embedded default); the real worker on
Redis is exercised in test_worker.py.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from assessment.models import Evaluation, Framework, Stage, StageValue
from reports.models import Report, ReportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def demo(framework59: Framework) -> Evaluation:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2022)


def login(client: Client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


def ask(client: Client, evaluation: Evaluation, kind: str, **extra: str) -> str:
    with_capture = client.post(f"/laporan/evaluasi/{evaluation.pk}/minta/", {"kind": kind, **extra}, follow=True)
    return with_capture.content.decode()


def test_the_sekda_requests_and_downloads_the_siak_2022_report(
    client: Client, demo: Evaluation, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    login(client, "sekda.siak")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, demo, "hasil")
    report = Report.objects.get(evaluation=demo, kind="hasil")
    assert (report.status, report.version, report.attempts) == (ReportStatus.DONE, 1, 1)
    response = client.get(f"/laporan/{report.pk}/unduh/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="hasil-kabupaten-siak-2022-v1.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(b"".join(response.streaming_content))).pages)  # type: ignore[attr-defined]
    assert "2,35" in text and "Cukup" in text


def test_unchanged_data_reuses_the_build_and_a_change_makes_a_new_version(
    client: Client,
    demo: Evaluation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    login(client, "sekda.siak")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, demo, "csv")
    with django_capture_on_commit_callbacks(execute=True):
        page = ask(client, demo, "csv")
    assert "sudah tersedia" in page
    assert Report.objects.filter(evaluation=demo, kind="csv").count() == 1
    StageValue.objects.filter(answer__evaluation=demo, stage=Stage.VERIFIKASI, answer__indicator__number=1).update(
        value=Decimal(4)
    )
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, demo, "csv")
    versions = list(
        Report.objects.filter(evaluation=demo, kind="csv").order_by("version").values_list("version", "status")
    )
    assert versions == [(1, "done"), (2, "done")]  # the old version is kept


def test_the_status_cell_polls_until_done_then_stops(client: Client, demo: Evaluation) -> None:
    login(client, "sekda.siak")
    report = Report.objects.create(evaluation=demo, kind="hasil", fingerprint="x")
    pending = client.get(f"/laporan/{report.pk}/status/")
    assert pending.status_code == 200 and 'hx-trigger="every 2s"' in pending.content.decode()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, reason="Contoh alasan")
    finished = client.get(f"/laporan/{report.pk}/status/")
    assert finished.status_code == 286 and "Contoh alasan" in finished.content.decode()


@pytest.mark.usefixtures("demo")
def test_berita_acara_waits_for_finalisation(client: Client) -> None:
    login(client, "sekda.siak")
    open_2026 = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    page = ask(client, open_2026, "berita-acara")
    assert "Berita Acara tersedia setelah penilaian mandiri difinalkan" in page
    assert not Report.objects.filter(kind="berita-acara").exists()


def test_opd_staff_get_only_their_own_opds_progress_report(
    client: Client, demo: Evaluation, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    login(client, "opd.bkpsdm.siak")
    # Seen but refused (they have the report page, not this kind): 403, as the API (one denial rule).
    assert client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "hasil"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, demo, "opd", opd="999999")
    report = Report.objects.get(kind="opd")
    assert report.opd is not None and report.opd.code == "bkpsdm"  # the posted OPD is ignored
    assert client.get(f"/laporan/{report.pk}/unduh/").status_code == 200
    login(client, "sekda.siak")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, demo, "hasil")
    hasil = Report.objects.get(kind="hasil")
    login(client, "opd.bkpsdm.siak")
    assert client.get(f"/laporan/{hasil.pk}/unduh/").status_code == 404
    login(client, "sekda.sumedang")
    assert client.get(f"/laporan/{hasil.pk}/unduh/").status_code == 404
    assert client.get(f"/laporan/evaluasi/{demo.pk}/").status_code == 404


def test_a_failing_build_is_recorded_with_its_reason(demo: Evaluation) -> None:
    from reports import services

    report = Report.objects.create(evaluation=demo, kind="berita-acara", fingerprint="x")
    Evaluation.objects.filter(pk=demo.pk).update(status="open")
    services.run(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "difinalkan" in report.reason
    services.run(report.pk)  # idempotent: a failed report is not built again
    report.refresh_from_db()
    assert report.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_embedded_request_says_built_now_the_first_time_and_already_available_later(
    client: Client, demo: Evaluation
) -> None:
    """Issue 14 item 17: with real commits (as in the embedded mode), the first request builds the
    report at once; only later requests find it already available."""
    login(client, "sekda.siak")
    first = ask(client, demo, "hasil")
    assert Report.objects.get(evaluation=demo, kind="hasil").status == ReportStatus.DONE
    assert "Laporan selesai dibuat sekarang dan siap diunduh." in first
    assert "sudah tersedia" not in first
    again = ask(client, demo, "hasil")
    assert "Laporan sudah tersedia dan masih sesuai dengan data terbaru." in again
    assert "selesai dibuat sekarang" not in again
    assert Report.objects.filter(evaluation=demo, kind="hasil").count() == 1
