"""Uploading through the page: refusals leave nothing behind, accepted files get generated names."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.models import AnswerEvidence, AnswerStatus, Evidence, EvidenceVersion
from assessment.services import evidence as library
from assessment.services.evaluations import WorkflowError
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, media_files, upload

pytestmark = pytest.mark.django_db

ATTACKS = [
    ("program.pdf", corpus.elf, "Isi berkas tidak sesuai dengan jenisnya (PDF)"),
    ("halaman.pdf", lambda: corpus.HTML, "terdeteksi sebagai text/html"),
    ("gambar.svg", lambda: corpus.SVG, "Jenis berkas ini tidak diterima"),
    ("arsip.docx", corpus.plain_zip, "bukan dokumen DOCX yang sah"),
    ("bom.docx", corpus.docx_bomb, "indikasi bom zip"),
    ("bom.png", corpus.png_bomb, "lebih dari 50 megapiksel"),
    ("x.pdf\x00.exe", corpus.pdf, "Jenis berkas ini tidak diterima"),
    ("bukti\u202efdp.exe", corpus.pdf, "Jenis berkas ini tidak diterima"),
    ("kosong.pdf", lambda: b"", "Berkas kosong."),
]


def assert_nothing_stored() -> None:
    assert Evidence.objects.count() == 0
    assert EvidenceVersion.objects.count() == 0
    assert media_files() == []


@pytest.mark.parametrize(("name", "build", "message"), ATTACKS)
def test_a_refused_upload_explains_why_next_to_the_field_and_stores_nothing(
    client: Client, place: Place, name: str, build: Any, message: str
) -> None:
    client.force_login(place.users["opd_a"])
    response = upload(client, name, build(), title="Laporan reviu SPBE", document_date="2025-12-01")
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert message in response.content.decode()
    assert_nothing_stored()


def test_a_refused_upload_keeps_the_typed_title_and_date(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    page = upload(client, "x.pdf", corpus.HTML, title="Laporan reviu SPBE", document_date="2025-12-01").content.decode()
    assert 'value="Laporan reviu SPBE"' in page
    assert 'value="2025-12-01"' in page
    assert 'aria-describedby="id_file_error"' in page and 'id="id_file_error"' in page


def test_a_file_one_byte_over_the_limit_is_refused(client: Client, place: Place, settings: Any) -> None:
    data = corpus.pdf()
    settings.EVIDENCE_MAX_BYTES = len(data) - 1
    client.force_login(place.users["opd_a"])
    response = upload(client, "laporan.pdf", data)
    assert "Berkas terlalu besar" in " ".join(response.context["form"].errors["file"])
    assert_nothing_stored()


def test_too_many_files_in_one_request_is_a_400(client: Client, place: Place, settings: Any) -> None:
    client.force_login(place.users["opd_a"])
    files = [SimpleUploadedFile(f"f{n}.pdf", corpus.pdf()) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    data = {"kind": "file", "title": "Banyak", "document_date": "2026-01-01", "file": files}
    response = client.post(reverse("assessment:evidence-upload"), data)
    assert response.status_code == 400
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("laporan.pdf", corpus.pdf),
        ("foto.png", lambda: corpus.image("PNG")),
        ("foto.jpg", lambda: corpus.image("JPEG")),
        ("sk.docx", corpus.docx),
        ("rekap.xlsx", corpus.xlsx),
        ("notulen.odt", corpus.odt),
    ],
)
def test_an_accepted_file_is_stored_under_a_generated_name_with_its_checksum(
    client: Client, place: Place, name: str, build: Any
) -> None:
    client.force_login(place.users["opd_a"])
    response = upload(client, name, build())
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:evidence-detail", args=[evidence.pk])
    version = evidence.versions.get()
    assert re.fullmatch(r"evidence/[0-9a-f-]{36}\.(pdf|png|jpg|docx|xlsx|odt)", version.file.name)
    assert (version.number, version.original_name, version.uploaded_by) == (1, name, place.users["opd_a"])
    stored = media_files()
    assert len(stored) == 1
    assert version.sha256 == hashlib.sha256(stored[0].read_bytes()).hexdigest()
    assert (evidence.instansi, evidence.opd, evidence.created_by) == (place.instansi, place.opd_a, place.users["opd_a"])


def test_a_polyglot_jpeg_is_stored_re_encoded(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    uploaded = corpus.polyglot_jpeg()
    upload(client, "foto.jpg", uploaded)
    stored = media_files()[0].read_bytes()
    assert stored != uploaded
    assert b"<html" not in stored
    assert EvidenceVersion.objects.get().sha256 == hashlib.sha256(stored).hexdigest()


def test_a_pdf_with_javascript_is_accepted_and_flagged_for_the_reviewer(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    upload(client, "aktif.pdf", corpus.pdf_with_javascript_in_object_stream())
    assert "JavaScript" in EvidenceVersion.objects.get().flag


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("lap\x07oran.pdf", "laporan.pdf"),
        ("bukti\u202efdp.pdf", "buktifdp.pdf"),
    ],
)
def test_names_are_cleaned_and_never_used_on_disk(client: Client, place: Place, name: str, kept: str) -> None:
    client.force_login(place.users["opd_a"])
    upload(client, name, corpus.pdf())
    version = EvidenceVersion.objects.get()
    assert version.original_name == kept
    assert re.fullmatch(r"evidence/[0-9a-f-]{36}\.pdf", version.file.name)


def test_a_link_is_saved_with_its_access_note(client: Client, place: Place) -> None:
    client.force_login(place.users["verifikator"])
    data = {"kind": "link", "title": "SIMPEG", "url": "https://simpeg.example.go.id", "access_note": "demo / demo123"}
    client.post(reverse("assessment:evidence-upload"), data)
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.url, evidence.access_note, evidence.opd) == (
        "link",
        data["url"],
        data["access_note"],
        None,
    )
    assert media_files() == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "file", "title": "x", "document_date": "2026-01-01"}, "file", "Pilih berkas untuk diunggah."),
        ({"kind": "link", "title": "x"}, "url", "Isi alamat layanan."),
        ({"kind": "link", "title": "x", "url": "javascript:alert(1)"}, "url", ""),
        (
            {"kind": "link", "title": "x", "url": "https://a.go.id", "document_date": "2999-01-01"},
            "document_date",
            "masa depan",
        ),
    ],
)
def test_incomplete_forms_are_refused_with_a_message(
    client: Client, place: Place, data: dict[str, str], field: str, message: str
) -> None:
    client.force_login(place.users["opd_a"])
    response = client.post(reverse("assessment:evidence-upload"), data)
    assert message in " ".join(response.context["form"].errors[field])
    assert_nothing_stored()


def test_a_file_needs_a_document_date(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    response = upload(client, "laporan.pdf", corpus.pdf(), document_date="")
    assert response.context["form"].errors["document_date"] == ["Isi tanggal dokumen."]
    assert_nothing_stored()


def test_uploading_for_an_answer_attaches_it_and_returns_to_the_answer(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    response = upload(client, "laporan.pdf", corpus.pdf(), query=f"?jawaban={place.answer.pk}")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:answer", args=[place.answer.pk])
    link = AnswerEvidence.objects.get()
    assert (link.answer, link.evidence.title, link.added_by) == (place.answer, "Dokumen uji", place.users["opd_a"])


@pytest.mark.parametrize("query", ["?jawaban=abc", "?jawaban=999999", "?jawaban=\uff11\uff12"])
def test_a_bad_answer_id_is_a_404(client: Client, place: Place, query: str) -> None:
    client.force_login(place.users["opd_a"])
    assert client.get(reverse("assessment:evidence-upload") + query).status_code == 404


def test_an_answer_of_another_opd_cannot_receive_uploads(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    assert upload(client, "x.pdf", corpus.pdf(), query=f"?jawaban={place.answer_b.pk}").status_code == 404
    assert_nothing_stored()


def test_a_verifikator_may_fill_the_library_but_not_an_answer(client: Client, place: Place) -> None:
    client.force_login(place.users["verifikator"])
    assert upload(client, "x.pdf", corpus.pdf()).status_code == 302
    # The verifikator sees the answer but does not write it: 403, as its save (one denial rule).
    assert upload(client, "x.pdf", corpus.pdf(), query=f"?jawaban={place.answer.pk}").status_code == 403


@pytest.mark.parametrize("role", ["sekda"])
def test_readers_cannot_upload(client: Client, place: Place, role: str) -> None:
    client.force_login(place.users[role])
    assert client.get(reverse("assessment:evidence-upload")).status_code == 404
    assert upload(client, "x.pdf", corpus.pdf()).status_code == 404
    assert_nothing_stored()


def test_an_answer_under_review_sends_the_uploader_back_with_the_reason(client: Client, place: Place) -> None:
    place.answer.status = AnswerStatus.SUBMITTED
    place.answer.save()
    client.force_login(place.users["opd_a"])
    response = upload(client, "x.pdf", corpus.pdf(), query=f"?jawaban={place.answer.pk}")
    assert response["Location"] == reverse("assessment:answer", args=[place.answer.pk])
    assert_nothing_stored()


def test_a_failure_after_the_file_was_written_removes_the_file(
    client: Client, place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any) -> None:
        raise WorkflowError("Jawaban berubah.")

    monkeypatch.setattr(library, "_attach", refuse)
    client.force_login(place.users["opd_a"])
    response = upload(client, "x.pdf", corpus.pdf(), query=f"?jawaban={place.answer.pk}")
    assert response.status_code == 200
    assert "Jawaban berubah." in response.content.decode()
    assert_nothing_stored()


def test_wrong_methods_are_405(client: Client, place: Place) -> None:
    client.force_login(place.users["opd_a"])
    assert client.put(reverse("assessment:evidence-upload")).status_code == 405
    assert client.post(reverse("assessment:evidence-list")).status_code == 405
