"""Behind nginx (EVIDENCE_X_ACCEL=1) the view checks permission and nginx sends the bytes."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessment.evidence.conftest import Place, add_pdf, latest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _x_accel(settings: Any) -> None:
    settings.EVIDENCE_X_ACCEL = True


@pytest.fixture
def storage_backend() -> str:
    """X-Accel-Redirect points nginx at MEDIA_ROOT: a filesystem feature (the S3 case is below)."""
    return "disk"


def test_on_s3_the_portal_streams_the_bucket_object_itself(client: Client, place: Place, s3_bucket: str) -> None:
    """nginx cannot read the private bucket, so the switch is ignored and no object URL leaks."""
    version = latest(add_pdf(place))
    client.force_login(place.users["opd_a"])
    response = client.get(reverse("assessment:evidence-download", args=[version.pk]))
    assert response.status_code == 200 and "X-Accel-Redirect" not in response
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(body).hexdigest() == version.sha256
    assert response["Content-Length"] == str(len(body))
    assert s3_bucket not in str(response.headers) and "X-Amz" not in str(response.headers)


def test_a_download_is_an_internal_redirect_with_the_same_headers_and_no_body(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    client.force_login(place.users["opd_a"])
    response = client.get(reverse("assessment:evidence-download", args=[version.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/{version.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename=\"laporan.pdf\"; filename*=UTF-8''laporan.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]


def test_a_preview_keeps_its_own_policy(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    client.force_login(place.users["verifikator"])
    response = client.get(reverse("assessment:evidence-preview", args=[version.pk]))
    assert response["X-Accel-Redirect"] == f"/_protected/{version.file.name}"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'; img-src 'self'")


def test_another_instansi_gets_a_404_and_no_redirect(client: Client, place: Place, elsewhere: Place) -> None:
    version = latest(add_pdf(place))
    client.force_login(elsewhere.users["admin"])
    for name in ("assessment:evidence-download", "assessment:evidence-preview"):
        response = client.get(reverse(name, args=[version.pk]))
        assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_a_version_whose_file_is_gone_is_a_404(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    version.file.storage.delete(version.file.name or "")
    client.force_login(place.users["opd_a"])
    response = client.get(reverse("assessment:evidence-download", args=[version.pk]))
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
