"""The evidence package built by a real Celery worker on Redis, off the request thread."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.test import Client

from assessment.models import Framework
from reports.models import Report, ReportStatus
from tests.assessment.evidence.corpus import pdf
from tests.reports.test_evidence_package import add_file, index_rows
from tests.reports_flow.test_worker import wait_for
from tests.world import make_world

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("worker")
def test_a_worker_builds_the_evidence_package(client: Client, framework59: Framework) -> None:
    world = make_world(framework59)
    add_file(world, "sk-bupati.pdf", pdf(), world.answer)
    client.force_login(world.a.users["sekda"])
    client.post(f"/laporan/evaluasi/{world.evaluation.pk}/minta/", {"kind": "bukti"})
    report = wait_for(Report.objects.get(kind="bukti").pk, ReportStatus.DONE)
    content = b"".join(client.get(f"/laporan/{report.pk}/unduh/").streaming_content)  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(io.BytesIO(content))
    [row] = index_rows(archive)
    assert hashlib.sha256(archive.read(row["Berkas dalam ZIP"])).hexdigest() == row["SHA-256"]
