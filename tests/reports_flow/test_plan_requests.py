"""Requesting the improvement plan as PDF or Excel from the plan page (tasks run in-process)."""

from __future__ import annotations

import io
import os

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader
from pytest_django import DjangoCaptureOnCommitCallbacks

from assessment.models import Evaluation, Framework
from reports.models import Report, ReportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def demo(framework59: Framework) -> Evaluation:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2022)


def test_the_sekda_exports_the_plan_toward_baik_from_the_plan_page(
    client: Client, demo: Evaluation, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(get_user_model().objects.get(username="sekda.siak"))
    page = client.get(f"/indeks/evaluasi/{demo.pk}/rencana/?target=Baik").content.decode()
    assert 'data-testid="plan-export-pdf"' in page
    with django_capture_on_commit_callbacks(execute=True):
        listing = client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rencana", "target": "Baik"}, follow=True)
    assert "target Baik" in listing.content.decode()
    report = Report.objects.get(evaluation=demo, kind="rencana")
    assert (report.status, report.target) == (ReportStatus.DONE, "Baik")
    response = client.get(f"/laporan/{report.pk}/unduh/")
    assert response["Content-Disposition"].startswith('attachment; filename="rencana-kabupaten-siak-2022-v1.pdf"')
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert "Target 2,60 (Baik)" in text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rencana-xlsx", "target": "3,00"})
    workbook = Report.objects.get(evaluation=demo, kind="rencana-xlsx")
    content = b"".join(client.get(f"/laporan/{workbook.pk}/unduh/").streaming_content)  # type: ignore[attr-defined]
    assert openpyxl.load_workbook(io.BytesIO(content))["Rencana"].max_row > 1


def test_another_target_is_another_report_and_the_same_target_reuses_the_build(
    client: Client, demo: Evaluation, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(get_user_model().objects.get(username="sekda.siak"))
    for target in ("Baik", "Baik", "3,00"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rencana", "target": target})
    assert sorted(Report.objects.filter(kind="rencana").values_list("target", "version")) == [("3,00", 1), ("Baik", 1)]


def test_an_unknown_target_is_explained_and_nothing_is_queued(client: Client, demo: Evaluation) -> None:
    client.force_login(get_user_model().objects.get(username="sekda.siak"))
    page = client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rencana", "target": "Hebat"}, follow=True)
    assert "Target “Hebat” tidak dikenal" in page.content.decode()
    assert not Report.objects.filter(kind="rencana").exists()


def test_opd_staff_cannot_export_the_plan(client: Client, demo: Evaluation) -> None:
    client.force_login(get_user_model().objects.get(username="opd.diskominfo.siak"))
    # Refused, as the API does (one denial rule): 403.
    assert client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rencana"}).status_code == 403
    assert not Report.objects.exists()
