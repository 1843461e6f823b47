"""assessment.uploads judges files by their bytes: what is accepted, refused, re-encoded, flagged."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessment import uploads
from assessment.uploads import check_upload, clean_name
from tests.assessment.evidence import corpus

# Not a speed target: inflating the bomb (gigabytes) takes far longer than this; reading its
# central directory or header takes milliseconds, also on a loaded CI machine.
UNPACKED_WOULD_TAKE = 5.0


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, content))
    return caught.value


@pytest.mark.parametrize(
    ("name", "build", "content_type", "suffix"),
    [
        ("laporan.pdf", corpus.pdf, "application/pdf", ".pdf"),
        ("foto.png", lambda: corpus.image("PNG"), "image/png", ".png"),
        ("foto.JPEG", lambda: corpus.image("JPEG"), "image/jpeg", ".jpg"),
        ("sk.docx", corpus.docx, uploads.DOCX.mime, ".docx"),
        ("sk-urutan-lain.docx", lambda: corpus.docx(content_types_first=False), uploads.DOCX.mime, ".docx"),
        ("rekap.xlsx", corpus.xlsx, uploads.XLSX.mime, ".xlsx"),
        ("paparan.pptx", corpus.pptx, uploads.PPTX.mime, ".pptx"),
        ("notulen.odt", corpus.odt, uploads.ODT.mime, ".odt"),
        ("anggaran.ods", corpus.ods, uploads.ODS.mime, ".ods"),
    ],
)
def test_each_allowed_type_is_accepted_with_its_checksum(name: str, build: Any, content_type: str, suffix: str) -> None:
    result = check_upload(SimpleUploadedFile(name, build()))
    assert (result.content_type, result.suffix, result.original_name, result.flag) == (content_type, suffix, name, "")
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert result.size == len(result.content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("program.pdf", corpus.elf(), "mismatch"),
        ("halaman.pdf", corpus.HTML, "mismatch"),
        ("gambar.svg", corpus.SVG, "extension"),
        ("gambar.pdf", corpus.SVG, "mismatch"),
        ("halaman.html", corpus.HTML, "extension"),
        ("laporan.pdf.exe", corpus.pdf(), "extension"),
        ("laporan", corpus.pdf(), "extension"),
        ("arsip.docx", corpus.plain_zip(), "structure"),
        ("lembar.xlsx", corpus.docx(), "mismatch"),
        ("lembar.xlsx", corpus.docx(content_types_first=False), "structure"),
        ("notulen.odt", corpus.ods(), "mismatch"),
        ("notulen.odt", corpus.zip_of({"content.xml": b"<x/>", "mimetype": uploads.ODT.mime.encode()}), "structure"),
        ("notulen.odt", corpus.zip_of({"content.xml": b"<x/>"}), "structure"),
        ("foto.png", corpus.image("JPEG"), "mismatch"),
        ("kosong.pdf", b"", "empty"),
        ("html-dulu.pdf", b"<html>" + corpus.pdf(), "pdf"),
    ],
)
def test_hostile_or_mislabelled_files_are_refused(name: str, content: bytes, code: str) -> None:
    assert refusal(name, content).code == code


def test_a_refusal_names_the_allowed_types_in_indonesian() -> None:
    assert "Unggah PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, atau ODS" in refusal("x.svg", corpus.SVG).messages[0]


def test_a_docx_bomb_is_refused_quickly_from_the_central_directory() -> None:
    bomb = corpus.docx_bomb()
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    error = refusal("bom.docx", bomb)
    assert error.code == "zip_bomb"
    assert "bom zip" in error.messages[0]
    assert time.monotonic() - started < UNPACKED_WOULD_TAKE


def test_an_archive_inflating_past_100_mb_in_total_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "ZIP_MAX_TOTAL", 10_000)
    members = {"[Content_Types].xml": corpus.CONTENT_TYPES, "word/document.xml": bytes(20_000)}
    assert refusal("besar.docx", corpus.zip_of(members)).code == "zip_bomb"


def test_an_archive_with_more_than_1000_entries_is_refused() -> None:
    members = {"[Content_Types].xml": corpus.CONTENT_TYPES, "word/document.xml": b"<w/>"}
    members.update({f"word/media/{n}.xml": b"" for n in range(1_000)})
    assert refusal("banyak.docx", corpus.zip_of(members)).code == "zip_entries"


@pytest.mark.parametrize("member", ["../../etc/cron.d/x", "/etc/passwd", "word/../../x", "C:/windows/x", "..\\x"])
def test_archive_members_with_traversal_or_absolute_names_are_refused(member: str) -> None:
    members = {"[Content_Types].xml": corpus.CONTENT_TYPES, "word/document.xml": b"<w/>", member: b"x"}
    assert refusal("jalur.docx", corpus.zip_of(members)).code == "zip_names"


def test_a_symlink_inside_an_archive_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", corpus.CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w/>")
        link = zipfile.ZipInfo("word/media/tautan")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    assert refusal("tautan.docx", out.getvalue()).code == "zip_names"


def test_a_decompression_bomb_png_is_refused_without_decoding_it() -> None:
    bomb = corpus.png_bomb()
    started = time.monotonic()
    error = refusal("bom.png", bomb)
    assert error.code == "image_bomb"
    assert "megapiksel" in error.messages[0]
    assert time.monotonic() - started < UNPACKED_WOULD_TAKE


def test_an_image_over_50_megapixels_is_refused_even_below_pillows_own_limit() -> None:
    assert refusal("besar.png", corpus.png_bomb(side=8_000)).code == "image_bomb"  # 64 megapixels


def test_a_truncated_image_is_refused() -> None:
    assert refusal("rusak.png", corpus.image("PNG")[:60]).code == "image"


def test_a_polyglot_jpeg_is_stored_re_encoded_without_its_payload() -> None:
    uploaded = corpus.polyglot_jpeg()
    result = check_upload(SimpleUploadedFile("foto.jpg", uploaded))
    assert result.content != uploaded
    assert b"<html" not in result.content and b"script" not in result.content
    assert result.content.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(result.content)).size == (32, 24)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()


def test_re_encoding_applies_the_exif_orientation_and_drops_the_rest_of_exif() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    exif[0x010F] = "Kamera Uji"
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "blue").save(out, "JPEG", exif=exif)
    stored = Image.open(io.BytesIO(check_upload(SimpleUploadedFile("hp.jpg", out.getvalue())).content))
    assert stored.size == (20, 40)
    assert not stored.getexif()


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (corpus.pdf_with_javascript, "JavaScript"),
        (corpus.pdf_with_escaped_name, "JavaScript"),
        (corpus.pdf_with_javascript_in_object_stream, "JavaScript"),
        (corpus.pdf_with_launch, "perintah menjalankan program"),
    ],
)
def test_pdfs_that_act_on_their_own_are_accepted_and_flagged(build: Any, expected: str) -> None:
    result = check_upload(SimpleUploadedFile("aktif.pdf", build()))
    assert expected in result.flag
    assert result.flag.startswith("Perhatian: PDF ini berisi")


def test_the_object_stream_hides_the_javascript_from_a_byte_grep() -> None:
    data = corpus.pdf_with_javascript_in_object_stream()
    assert b"JavaScript" not in data and b"OpenAction" not in data
    assert "aksi otomatis saat dibuka" in check_upload(SimpleUploadedFile("x.pdf", data)).flag


def test_an_open_action_that_only_opens_a_page_is_not_flagged() -> None:
    assert check_upload(SimpleUploadedFile("x.pdf", corpus.pdf_opening_at_first_page())).flag == ""


def test_an_embedded_file_is_flagged() -> None:
    data = corpus.pdf(b"/Names << /EmbeddedFiles 4 0 R >>", b"<< /Names [(a.exe) 5 0 R] >>", b"<< /Type /Filespec >>")
    assert "berkas tersemat" in check_upload(SimpleUploadedFile("x.pdf", data)).flag


def test_the_flag_stays_indonesian_when_the_uploader_reads_english() -> None:
    from django.utils import translation

    with translation.override("en"):
        flag = check_upload(SimpleUploadedFile("x.pdf", corpus.pdf_with_javascript())).flag
    assert flag.startswith("Perhatian")


def test_a_file_one_byte_over_the_limit_is_refused_and_one_at_the_limit_is_not(settings: Any) -> None:
    data = corpus.pdf()
    settings.EVIDENCE_MAX_BYTES = len(data)
    assert check_upload(SimpleUploadedFile("pas.pdf", data)).size == len(data)
    error = refusal("lebih.pdf", data + b"\n")
    assert error.code == "too_large"
    assert "terlalu besar" in error.messages[0]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("bukti\u202efdp.exe", "buktifdp.exe"),
        ("lap\x07oran\x00.pdf", "laporan.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\win.ini.pdf", "win.ini.pdf"),
        ("  rapat\u200b\u2066  2026 .pdf ", "rapat 2026 .pdf"),
        ("", ""),
    ],
)
def test_names_lose_folders_control_and_bidi_characters(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def test_long_names_are_bounded_and_keep_their_suffix() -> None:
    name = clean_name("a" * 400 + ".pdf")
    assert len(name) == uploads.NAME_MAX
    assert name.endswith("aaa.pdf")


def test_an_rtl_disguised_executable_is_refused_by_its_real_suffix() -> None:
    assert refusal("bukti\u202efdp.exe", corpus.pdf()).code == "extension"


def test_bytes_that_look_like_names_inside_a_binary_stream_do_not_flag_a_pdf() -> None:
    """Scanned documents are mostly JPEG data, where any three bytes such as "/JS " occur by chance."""
    noise = b"\xff\xd8 /JS /AA \x00/JS\x01 " * 50
    image_stream = b"<< /Length %d /Filter /DCTDecode >>\nstream\n%s\nendstream" % (len(noise), noise)
    data = corpus.pdf(b"", image_stream)
    assert check_upload(SimpleUploadedFile("pindaian.pdf", data)).flag == ""


def test_a_payload_in_a_jpeg_comment_or_png_text_chunk_is_dropped() -> None:
    from PIL import PngImagePlugin

    jpeg = io.BytesIO()
    Image.new("RGB", (20, 20)).save(jpeg, "JPEG", comment=corpus.HTML)
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", corpus.HTML.decode())
    png = io.BytesIO()
    Image.new("RGB", (20, 20)).save(png, "PNG", pnginfo=text)
    for name, data in (("komentar.jpg", jpeg.getvalue()), ("teks.png", png.getvalue())):
        assert b"<script" in data
        assert b"<script" not in check_upload(SimpleUploadedFile(name, data)).content


def test_an_upright_jpeg_keeps_its_quality_and_roughly_its_size() -> None:
    out = io.BytesIO()
    Image.effect_noise((300, 200), 40).convert("RGB").save(out, "JPEG", quality=60)
    stored = check_upload(SimpleUploadedFile("foto.jpg", out.getvalue())).content
    assert 0.8 < len(stored) / len(out.getvalue()) < 1.2


def test_a_multi_picture_jpeg_from_a_phone_is_stored_as_its_first_picture() -> None:
    out = io.BytesIO()
    first, second = Image.new("RGB", (30, 20), "red"), Image.new("RGB", (30, 20), "blue")
    first.save(out, "MPO", save_all=True, append_images=[second])
    stored = Image.open(io.BytesIO(check_upload(SimpleUploadedFile("hp.jpg", out.getvalue())).content))
    assert (stored.format, stored.size, getattr(stored, "n_frames", 1)) == ("JPEG", (30, 20), 1)
