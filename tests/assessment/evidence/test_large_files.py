"""Large evidence files go in and out in constant memory, on disk and on the S3 server.

Each upload runs the whole web path in this process: a multipart body read from a file on disk
by Django's WSGI handler (which spools the file part to a temporary file), the form's checks,
the service that stores and verifies it. tracemalloc records the peak of Python's allocations
during the request, which is where a file read whole would show (bytes objects); the moto server
is another process. The 20 MB and the 60 MB file must cost the same.
"""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client

from assessment.models import Evidence
from assessment.services import evidence as library
from assessment.uploads import check_upload
from spbe_portal import storage
from tests.assessment.evidence import corpus
from tests.assessment.evidence.conftest import Place, media_files

MB = 1024 * 1024
CSRF = "largefilecsrf" + "0" * 19  # a 32-character secret: Django accepts it unmasked in the header
BOUNDARY = "spbe-large-file-boundary"
# Django reads a request body in 64 kB chunks and this suite streams in 64 kB chunks; what stays
# is bookkeeping (templates, queries, the S3 client's buffers), never the file.
FLAT = 5 * MB
# boto3 sends a file larger than 8 MB in 8 MB parts, one part in memory at a time
# (settings.AWS_S3_TRANSFER_CONFIG: no threads): constant too, but not under 5 MB.
S3_PART = 8 * MB


def write_pdf(path: Path, size: int) -> None:
    """A scanned-looking PDF: pages of 512 kB images, and one image as large as half the file."""
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []

        def obj(body: bytes, stream_size: int = 0) -> None:
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n%s" % (len(offsets), body))
            if stream_size:
                out.write(b"\nstream\n")
                for start in range(0, stream_size, MB):
                    out.write(os.urandom(min(MB, stream_size - start)))
                out.write(b"\nendstream")
            out.write(b"\nendobj\n")

        small = 512 * 1024
        count = (size // 2) // small
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        kids = b" ".join(b"%d 0 R" % (3 + 2 * n) for n in range(count))
        obj(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count))
        for n in range(count):
            image = 4 + 2 * n
            obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 %d 0 R >> >> >>"
                % image)  # fmt: skip
            obj(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /Length %d >>" % small, small)
        big = size - out.tell() - 4096
        obj(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /Length %d >>" % big, big)
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))


def write_docx(path: Path, size: int) -> None:
    """A Word document carrying a photo of nearly `size` bytes (stored: photos do not compress)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b"<w:document><w:body><w:p/></w:body></w:document>")
        with archive.open(zipfile.ZipInfo("word/media/image1.jpeg"), "w", force_zip64=True) as member:
            for start in range(0, size - 4096, MB):
                member.write(os.urandom(min(MB, size - 4096 - start)))


WRITERS: dict[str, tuple[str, Callable[[Path, int], None]]] = {"pdf": ("pindaian.pdf", write_pdf),
                                                               "docx": ("laporan.docx", write_docx)}  # fmt: skip


def multipart(path: Path, name: str, fields: dict[str, str], target: Path) -> int:
    """The request body of a browser's form post, written to `target` in chunks; its length."""
    with target.open("wb") as out, path.open("rb") as source:
        for key, value in fields.items():
            out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                  "Content-Type: application/octet-stream\r\n\r\n".encode())  # fmt: skip
        while chunk := source.read(MB):
            out.write(chunk)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
        return out.tell()


def post_from_disk(path: str, body: Path, length: int, session: str) -> int:
    """POST `body` through Django's WSGI handler, reading it from disk as a server would."""
    status: list[str] = []
    with body.open("rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path.split("?")[0], "QUERY_STRING": path.partition("?")[2],
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http",
            "wsgi.input": stream, "wsgi.errors": io.StringIO(), "CONTENT_LENGTH": str(length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "HTTP_X_CSRFTOKEN": CSRF,
            "HTTP_COOKIE": f"sessionid={session}; csrftoken={CSRF}",
        }  # fmt: skip
        # As Django's test client does: keep the test's database connection (and its transaction).
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            answer = WSGIHandler()(environ, lambda s, _h, *_a: status.append(s))  # type: ignore[arg-type]
            for _chunk in answer:  # the page is read as a server would send it
                pass
            answer.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
    return int(status[0].split()[0])


def peak_growth(action: Callable[[], Any]) -> tuple[int, Any]:
    """The peak of traced memory during `action`, above what was allocated before it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - before, result


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_upload_memory_stays_flat_from_20_to_60_mb(
    kind: str, place: Place, storage_backend: str, settings: Any, tmp_path: Path
) -> None:
    settings.EVIDENCE_MAX_BYTES = 64 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = Client()
    client.force_login(place.users["opd_a"])
    session = client.cookies["sessionid"].value
    name, write = WRITERS[kind]
    url = f"/bukti/unggah/?jawaban={place.answer.pk}"
    growth, hashes = {}, {}
    for megabytes in (1, 20, 60):  # 1 MB first: the first request loads templates and the S3 client
        source, body = tmp_path / name, tmp_path / "body"
        write(source, megabytes * MB)
        fields = {"kind": "file", "title": f"Bukti {megabytes} MB", "document_date": "2026-01-15"}
        length = multipart(source, name, fields, body)
        growth[megabytes], status = peak_growth(partial(post_from_disk, url, body, length, session))
        assert status == 302, f"{megabytes} MB: HTTP {status}"
        with source.open("rb") as handle:
            hashes[megabytes] = hashlib.file_digest(handle, "sha256").hexdigest()
    versions = {e.title: e.versions.get() for e in Evidence.objects.filter(instansi=place.instansi)}
    for megabytes, sha in hashes.items():
        version = versions[f"Bukti {megabytes} MB"]
        assert version.sha256 == sha  # the upload itself was stored, byte for byte
        assert storage.digest(version.file.storage, version.file.name or "") == (sha, version.size)
    bound = FLAT + (S3_PART if storage_backend == "s3" else 0)
    assert growth[20] < bound and growth[60] < bound, {mb: round(g / MB, 1) for mb, g in growth.items()}
    assert growth[60] - growth[20] < 2 * MB, {mb: round(g / MB, 1) for mb, g in growth.items()}


@pytest.mark.usefixtures("storage_backend")
def test_download_memory_stays_flat_from_20_to_60_mb(place: Place, settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_MAX_BYTES = 64 * MB
    client = Client()
    client.force_login(place.users["opd_a"])
    growth = {}
    for megabytes in (1, 20, 60):
        source = tmp_path / f"{megabytes}.pdf"
        write_pdf(source, megabytes * MB)
        with source.open("rb") as handle:
            upload = SimpleUploadedFile("pindaian.pdf", b"")
            upload.file, upload.size = handle, source.stat().st_size  # the file on disk, not in memory
            checked = check_upload(upload)
            evidence = library.add_file(
                instansi=place.instansi, opd=place.opd_a, user=place.users["opd_a"], title=f"{megabytes} MB",
                document_date=None, upload=checked,
            )  # fmt: skip
        version = evidence.versions.get()

        def download(pk: int = version.pk) -> tuple[int, str, int]:
            response = client.get(f"/bukti/versi/{pk}/unduh/")
            sha, size = hashlib.sha256(), 0
            for chunk in response.streaming_content:  # type: ignore[attr-defined]  # a FileResponse; typed as any response
                sha.update(chunk)
                size += len(chunk)
            return response.status_code, sha.hexdigest(), size

        growth[megabytes], (status, sha, size) = peak_growth(download)
        assert (status, sha, size) == (200, version.sha256, version.size)
    assert growth[20] < FLAT and growth[60] < FLAT, {mb: round(g / MB, 1) for mb, g in growth.items()}
    assert growth[60] - growth[20] < MB


def test_a_risky_name_cut_by_a_chunk_boundary_is_still_found() -> None:
    """The PDF grep runs chunk by chunk; a name across two chunks must not slip through."""

    def build(pad: int) -> bytes:
        data = b"x" * pad + b"/JavaScript (x)"  # an unreferenced stream: only the grep sees it
        return corpus.pdf(b"", b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))

    pad = 0
    for _ in range(3):  # the length's digits move the name; settle where "/Java" ends chunk one
        pad += 65536 - len(b"/Java") - build(pad).index(b"/JavaScript")
    content = build(pad)
    cut = content.index(b"/JavaScript")
    assert cut < 65536 < cut + len(b"/JavaScript"), cut
    flag = check_upload(SimpleUploadedFile("sela.pdf", content)).flag
    assert "JavaScript" in flag


def test_nothing_is_left_behind_by_a_large_refused_file(place: Place, settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_MAX_BYTES = 64 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = Client()
    client.force_login(place.users["opd_a"])
    source = tmp_path / "palsu.docx"
    write_pdf(source, 20 * MB)  # a PDF named .docx: refused by the sniff
    body = tmp_path / "body"
    length = multipart(source, "palsu.docx", {"kind": "file", "title": "Palsu", "document_date": "2026-01-15"}, body)
    assert post_from_disk("/bukti/unggah/", body, length, client.cookies["sessionid"].value) == 200
    assert not Evidence.objects.exists() and media_files() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["body", "palsu.docx"]  # the temporary copy is gone
