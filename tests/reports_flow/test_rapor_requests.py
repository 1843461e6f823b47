"""Requesting the Rapor OPD and the one-page summary in the portal: who gets which file."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from assessment.models import DocumentNumber, Evaluation, Framework, Membership
from reports.models import Report, ReportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def demo(framework59: Framework) -> Evaluation:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2022)


def login(client: Client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


def test_opd_staff_get_their_own_rapor_and_not_another_opds(
    client: Client, demo: Evaluation, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    login(client, "opd.bkpsdm.siak")
    own = Membership.objects.get(user__username="opd.bkpsdm.siak").opd
    assert own is not None
    other = demo.instansi.opds.exclude(pk=own.pk).first()
    assert other is not None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rapor", "opd": str(other.pk)})
    report = Report.objects.get(evaluation=demo, kind="rapor")
    assert (report.opd_id, report.status) == (own.pk, ReportStatus.DONE)  # the OPD field is ignored for OPD staff
    response = client.get(f"/laporan/{report.pk}/unduh/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    login(client, "sekda.siak")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rapor", "opd": str(other.pk)})
    theirs = Report.objects.get(evaluation=demo, kind="rapor", opd=other)
    login(client, "opd.bkpsdm.siak")
    assert client.get(f"/laporan/{theirs.pk}/unduh/").status_code == 404
    assert client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "ringkasan"}).status_code == 403  # as the API


def test_the_sekda_builds_every_rapor_as_one_zip_and_the_one_page_summary(
    client: Client, demo: Evaluation, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    login(client, "sekda.siak")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "rapor", "opd": ""})
        client.post(f"/laporan/evaluasi/{demo.pk}/minta/", {"kind": "ringkasan"})
    bundle = Report.objects.get(evaluation=demo, kind="rapor", opd=None)
    assert bundle.status == ReportStatus.DONE and bundle.content_type == "application/zip"
    response = client.get(f"/laporan/{bundle.pk}/unduh/")
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()  # type: ignore[attr-defined]
    assert len(names) == demo.instansi.opds.count()
    summary = Report.objects.get(evaluation=demo, kind="ringkasan")
    assert summary.status == ReportStatus.DONE and summary.content_type == "application/pdf"
    assert DocumentNumber.objects.filter(evaluation=demo, key__startswith="rapor:").count() == len(names)
    assert DocumentNumber.objects.filter(evaluation=demo, key="ringkasan::").exists()
