"""The library list, the detail page, and new versions that keep the old ones."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import AnswerEvidence, AnswerStatus, Evidence, EvidenceVersion
from assessment.services import evidence as library
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, add_pdf, checked, media_files

pytestmark = pytest.mark.django_db


def fill(place: Place, items: int, versions: int = 3) -> None:
    for n in range(items):
        evidence = add_pdf(place, title=f"Dokumen {n}")
        for _ in range(versions - 1):
            library.add_version(evidence, place.users["opd_a"], checked("laporan-baru.pdf", corpus.pdf()))


def queries_for_list(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("assessment:evidence-list")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["opd_a", "admin"])
def test_the_list_costs_the_same_queries_for_1_and_10_items(client: Client, place: Place, role: str) -> None:
    client.force_login(place.users[role])
    fill(place, 1)
    one = queries_for_list(client)
    fill(place, 9)
    assert queries_for_list(client) == one
    assert one <= 10


def test_the_list_shows_newest_first_with_latest_name_and_version_count(client: Client, place: Place) -> None:
    old = add_pdf(place, title="Lama", when=date(2024, 3, 1))
    library.add_version(old, place.users["opd_a"], checked("lama-v2.pdf", corpus.pdf()))
    add_pdf(place, title="Baru")
    client.force_login(place.users["opd_a"])
    response = client.get(reverse("assessment:evidence-list"))
    rows = list(response.context["page"])
    assert [e.title for e in rows] == ["Baru", "Lama"]
    assert (rows[1].latest_name, rows[1].version_count) == ("lama-v2.pdf", 2)
    page = response.content.decode()
    assert "1 Maret 2024" in page and "opd_a.siak" in page


def test_opd_staff_see_their_own_opds_library_only(client: Client, place: Place) -> None:
    add_pdf(place, title="Milik BKPSDM")
    client.force_login(place.users["opd_b"])
    assert list(client.get(reverse("assessment:evidence-list")).context["page"]) == []


def test_the_detail_lists_versions_with_checksums_and_the_answers_using_it(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    library.attach(place.answer, evidence, place.users["opd_a"])
    client.force_login(place.users["verifikator"])
    response = client.get(reverse("assessment:evidence-detail", args=[evidence.pk]))
    page = response.content.decode()
    version = evidence.versions.get()
    assert version.sha256 in page and "laporan.pdf" in page and "WIB" in page
    assert list(response.context["links"]) == [AnswerEvidence.objects.get()]
    assert "Indikator uji 1" in page


def test_an_unsafe_original_name_is_shown_escaped(client: Client, place: Place) -> None:
    evidence = library.add_file(
        instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title="<b>Judul</b>",
        document_date=None, upload=checked("<img src=x onerror=alert(1)>.pdf", corpus.pdf()),
    )  # fmt: skip
    client.force_login(place.users["opd_a"])
    page = client.get(reverse("assessment:evidence-detail", args=[evidence.pk])).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.pdf" in page and "<b>Judul" not in page


def post_version(client: Client, evidence: Evidence, name: str, content: bytes, **extra: Any) -> Any:
    url = reverse("assessment:evidence-new-version", args=[evidence.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **extra})


def test_a_new_version_keeps_the_old_one(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    first = evidence.versions.get()
    client.force_login(place.users["opd_a"])
    response = post_version(
        client, evidence, "laporan-revisi.pdf", corpus.pdf(b"/Lang (id)"), document_date="2026-02-01"
    )
    assert response["Location"] == reverse("assessment:evidence-detail", args=[evidence.pk])
    second = evidence.versions.get(number=2)
    assert second.original_name == "laporan-revisi.pdf" and second.sha256 != first.sha256
    assert EvidenceVersion.objects.get(pk=first.pk).file.name == first.file.name
    assert len(media_files()) == 2
    evidence.refresh_from_db()
    assert evidence.document_date == date(2026, 2, 1)


def test_a_refused_new_version_shows_the_reason_and_stores_nothing(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    client.force_login(place.users["opd_a"])
    response = post_version(client, evidence, "revisi.pdf", corpus.elf())
    assert response.status_code == 200
    assert "Isi berkas tidak sesuai" in response.content.decode()
    assert evidence.versions.count() == 1 and len(media_files()) == 1


def test_no_new_version_while_a_reviewer_decides_on_the_file(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    library.attach(place.answer, evidence, place.users["opd_a"])
    place.answer.status = AnswerStatus.SUBMITTED
    place.answer.save()
    client.force_login(place.users["opd_a"])
    response = post_version(client, evidence, "revisi.pdf", corpus.pdf())
    assert "sedang diperiksa verifikator" in response.content.decode()
    assert evidence.versions.count() == 1 and len(media_files()) == 1


@pytest.mark.parametrize(("role", "status"), [("opd_b", 404), ("sekda", 404), ("verifikator", 302), ("admin", 302)])
def test_who_may_add_a_version(client: Client, place: Place, role: str, status: int) -> None:
    evidence = add_pdf(place)
    library.attach(place.answer_b, evidence, place.users["opd_a"])  # opd_b can see it, but it is not theirs
    client.force_login(place.users[role])
    assert post_version(client, evidence, "revisi.pdf", corpus.pdf()).status_code == status


def test_a_link_has_no_versions_and_its_note_is_for_reviewers(client: Client, place: Place) -> None:
    evidence = library.add_link(
        instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title="SIMPEG",
        url="https://simpeg.example.go.id", access_note="akun demo: tamu", document_date=None,
    )  # fmt: skip
    client.force_login(place.users["verifikator"])
    page = client.get(reverse("assessment:evidence-detail", args=[evidence.pk]))
    assert "akun demo: tamu" in page.content.decode() and page.context["form"] is None
    client.force_login(place.users["sekda"])
    assert (
        "akun demo: tamu" not in client.get(reverse("assessment:evidence-detail", args=[evidence.pk])).content.decode()
    )
    client.force_login(place.users["opd_a"])
    assert post_version(client, evidence, "x.pdf", corpus.pdf()).status_code == 404


def test_new_version_refuses_get(client: Client, place: Place) -> None:
    evidence = add_pdf(place)
    client.force_login(place.users["opd_a"])
    assert client.get(reverse("assessment:evidence-new-version", args=[evidence.pk])).status_code == 405


def test_a_javascript_url_saved_outside_the_form_is_never_a_link(client: Client, place: Place) -> None:
    evidence = Evidence.objects.create(
        instansi=place.instansi, opd=place.opd_a, kind="link", title="X", url="javascript:alert(1)"
    )
    client.force_login(place.users["opd_a"])
    page = client.get(reverse("assessment:evidence-detail", args=[evidence.pk])).content.decode()
    assert 'href="javascript' not in page and "javascript:alert(1)" in page
