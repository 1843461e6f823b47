"""Files leave only through permission-checked views, with headers that keep browsers from running them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessment.services import evidence as library
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, add_pdf, checked, latest

pytestmark = pytest.mark.django_db


def add(place: Place, name: str, content: bytes) -> int:
    evidence = library.add_file(
        instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title="Bukti",
        document_date=None, upload=checked(name, content),
    )  # fmt: skip
    return latest(evidence).pk


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_a_download_is_an_attachment_with_safe_headers(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    client.force_login(place.users["opd_a"])
    response = client.get(reverse("assessment:evidence-download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename=\"laporan.pdf\"; filename*=UTF-8''laporan.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
    assert body(response) == corpus.pdf()


def test_the_type_comes_from_the_check_not_from_the_name(client: Client, place: Place) -> None:
    pk = add(place, "sk.docx", corpus.docx())
    client.force_login(place.users["opd_a"])
    response = client.get(reverse("assessment:evidence-download", args=[pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_name_with_quotes_and_non_ascii_cannot_break_the_header(client: Client, place: Place) -> None:
    pk = add(place, 'Laporan "final"\r\nX-Evil: 1 \u2013 Siak \u2713.pdf', corpus.pdf())
    client.force_login(place.users["opd_a"])
    header = client.get(reverse("assessment:evidence-download", args=[pk]))["Content-Disposition"]
    assert header.startswith('attachment; filename="Laporan _final_X-Evil_ 1 _ Siak _.pdf"; ')
    assert header.endswith("filename*=UTF-8''Laporan%20%22final%22X-Evil%3A%201%20%E2%80%93%20Siak%20%E2%9C%93.pdf")
    assert "\n" not in header and "\r" not in header


@pytest.mark.parametrize(("name", "build", "content_type"), [
    ("laporan.pdf", corpus.pdf, "application/pdf"),
    ("foto.png", lambda: corpus.image("PNG"), "image/png"),
    ("foto.jpg", lambda: corpus.image("JPEG"), "image/jpeg"),
])  # fmt: skip
def test_pdfs_and_images_can_be_previewed_inline_in_a_sandbox(
    client: Client, place: Place, name: str, build: object, content_type: str
) -> None:
    pk = add(place, name, build())  # type: ignore[operator]
    client.force_login(place.users["verifikator"])
    response = client.get(reverse("assessment:evidence-preview", args=[pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert policy[0] == "sandbox"
    assert "default-src 'none'" in policy


def test_office_files_cannot_be_previewed(client: Client, place: Place) -> None:
    pk = add(place, "rekap.xlsx", corpus.xlsx())
    client.force_login(place.users["opd_a"])
    assert client.get(reverse("assessment:evidence-preview", args=[pk])).status_code == 404
    assert client.get(reverse("assessment:evidence-download", args=[pk])).status_code == 200


def test_a_version_whose_file_is_gone_is_a_404_not_a_500(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    version.file.storage.delete(version.file.name)
    client.force_login(place.users["opd_a"])
    assert client.get(reverse("assessment:evidence-download", args=[version.pk])).status_code == 404


def test_media_files_have_no_url(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    assert client.get(f"/media/{version.file.name}").status_code == 404
    client.force_login(place.users["admin"])
    assert client.get(f"/media/{version.file.name}").status_code == 404
    assert client.get("/media/evidence/apa-saja").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    response = client.get(reverse("assessment:evidence-download", args=[version.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_serving_refuses_other_methods(client: Client, place: Place) -> None:
    version = latest(add_pdf(place))
    client.force_login(place.users["opd_a"])
    assert client.post(reverse("assessment:evidence-download", args=[version.pk])).status_code == 405
    assert client.post(reverse("assessment:evidence-preview", args=[version.pk])).status_code == 405
