"""What an uploaded evidence file really is, decided from its bytes; nothing is written anywhere.

`check_upload(upload)` returns a `CheckedUpload` (the file to store, the server-chosen type, a
checksum, a cleaned original name, a reviewer flag) or raises `ValidationError` in the user's
language. Order, cheapest first: size -> extension allowlist (last suffix) -> libmagic on the
first bytes agreeing with the extension -> one streaming pass (size, SHA-256, PDF markers) -> a
deep check per type. The browser's Content-Type is never read. Callers store
`CheckedUpload.file` only after this passed, so a refused file leaves nothing in the store.

Memory does not grow with the file: Django spools uploads past FILE_UPLOAD_MAX_MEMORY_SIZE to a
temporary file, and every check here reads that file in chunks or seeks in it (zipfile reads the
central directory, pypdf the objects without their stream data). Only images are decoded whole,
bounded by MAX_PIXELS.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, cast

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from assessment.pdf_check import PDF_GREP, pdf_flag

ZIP = "application/zip"  # what libmagic says for many valid OOXML/ODF files (member order)
SNIFF_BYTES = 1 << 16
CHUNK = 64 * 1024
NAME_MAX = 200
MAX_PIXELS = 50_000_000
ZIP_MAX_ENTRIES = 1_000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
# Tiny members are exempt from the ratio rule: they cannot exhaust anything (the total still
# caps the archive), and small padded XML parts of real Office files compress very well.
ZIP_RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str
    mime: str  # the Content-Type we serve it with
    suffix: str  # the stored file's suffix
    sniffed: frozenset[str]  # what libmagic may report for it
    parts: tuple[str, ...] = ()  # OOXML: members that must exist
    odf: str = ""  # ODF: the content of the first member, "mimetype"
    pillow: frozenset[str] = frozenset()  # image formats Pillow may report


def _ooxml(label: str, mime: str, main_part: str) -> FileType:
    return FileType(label, mime, f".{label.lower()}", frozenset({mime, ZIP}), ("[Content_Types].xml", main_part))


def _odf(label: str, mime: str) -> FileType:
    return FileType(label, mime, f".{label.lower()}", frozenset({mime, ZIP}), odf=mime)


PDF = FileType("PDF", "application/pdf", ".pdf", frozenset({"application/pdf"}))
PNG = FileType("PNG", "image/png", ".png", frozenset({"image/png"}), pillow=frozenset({"PNG"}))
# Phones write multi-picture JPEGs, which Pillow calls MPO; we keep the first picture.
JPEG = FileType("JPEG", "image/jpeg", ".jpg", frozenset({"image/jpeg"}), pillow=frozenset({"JPEG", "MPO"}))
DOCX = _ooxml("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml")
XLSX = _ooxml("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml")
PPTX = _ooxml(
    "PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/presentation.xml"
)
ODT = _odf("ODT", "application/vnd.oasis.opendocument.text")
ODS = _odf("ODS", "application/vnd.oasis.opendocument.spreadsheet")

BY_EXTENSION = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
BY_EXTENSION.update({t.suffix: t for t in (DOCX, XLSX, PPTX, ODT, ODS)})
SERVED_TYPES = frozenset(t.mime for t in BY_EXTENSION.values())
# The only types ever shown inline (the preview). Never add SVG, HTML or any XML type: a
# browser runs their scripts when it renders them.
INLINE_TYPES = frozenset({PDF.mime, PNG.mime, JPEG.mime})


@dataclass(frozen=True)
class CheckedUpload:
    file: IO[bytes]  # what to store: the upload itself (its temporary file), or the re-encoded image
    content_type: str
    suffix: str
    original_name: str
    sha256: str  # of `file`'s bytes, so the stored file can be verified against it
    size: int
    flag: str  # why a reviewer should look twice; empty when clean

    @property
    def content(self) -> bytes:
        """All the bytes at once: for small files and tests only (the services store `file`)."""
        self.file.seek(0)
        return self.file.read()


def display_name(name: str) -> str:
    """The user's file name as shown (escaped on pages, quoted in Content-Disposition), never a path.

    Kept whole, "/" included ("a</script>.pdf" is not cut to "script>.pdf"). Only a Windows
    client path loses its folders (old browsers send "C:\\fakepath\\x.pdf"; the folders are the
    user's own, not the file's name). Control and "format" characters go (category C: U+202E,
    right-to-left override, makes "fdp.exe" display as "exe.pdf"); bounded, keeping the suffix.
    """
    name = unicodedata.normalize("NFC", name).rsplit("\\", 1)[-1]
    name = " ".join("".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).split())
    if len(name) > NAME_MAX:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: NAME_MAX - len(suffix)] + suffix
    return name


def clean_name(name: str) -> str:
    """The file name as one safe path segment (zip entries, the type check): no folders at all."""
    return display_name(re.split(r"[\\/]", name)[-1])


def sent_name(upload: UploadedFile) -> str:
    """The name the browser sent, whole (`spbe_portal.multipart`); Django's cut one otherwise."""
    return str(getattr(upload, "sent_name", None) or upload.name or "")


def check_upload(upload: UploadedFile) -> CheckedUpload:
    limit = int(settings.EVIDENCE_MAX_BYTES)
    sent = sent_name(upload)
    name = clean_name(sent)  # the type is decided on the last path segment, as before
    if not upload.size:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if upload.size > limit:
        raise _too_large(upload.size, limit)
    kind = BY_EXTENSION.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            _("Jenis berkas ini tidak diterima. Unggah PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, atau ODS."),
            code="extension",
        )
    source = cast(IO[bytes], upload.file)  # a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE
    source.seek(0)
    head = source.read(SNIFF_BYTES)
    if not head:
        raise ValidationError(_("Berkas kosong."), code="empty")
    sniffed = str(magic.from_buffer(head, mime=True))
    if sniffed not in kind.sniffed:
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (%(label)s); terdeteksi sebagai %(sniffed)s.")
            % {"label": kind.label, "sniffed": sniffed},
            code="mismatch",
        )
    sha256, size, markers = _scan(source, limit, grep=kind is PDF)
    if size > limit:
        raise _too_large(size, limit)
    stored, flag = source, ""
    if kind is PDF:
        flag = pdf_flag(head, source, markers)
    elif kind.pillow:
        stored = _reencode_image(source, kind)
        sha256, size, _markers = _scan(stored, None)
    else:
        _check_zip(source, kind)
    stored.seek(0)
    return CheckedUpload(stored, kind.mime, kind.suffix, display_name(sent), sha256, size, flag)


def _scan(source: IO[bytes], limit: int | None, *, grep: bool = False) -> tuple[str, int, set[bytes]]:
    """SHA-256, size and (for PDFs) the risky names in one pass over 64 kB chunks.

    Stops reading past `limit`: the caller refuses the file on the size alone. The grep keeps the
    tail of the previous chunk so that a name cut in two by a chunk boundary is still found, and
    takes a match only once the character after it has been read (the pattern looks ahead).
    """
    sha, size, tail = hashlib.sha256(), 0, b""
    markers: set[bytes] = set()
    source.seek(0)
    while chunk := source.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            break
        if grep:
            window = tail + chunk
            markers.update(m[1] for m in PDF_GREP.finditer(window) if m.end() < len(window))
            tail = window[-32:]
    if grep:
        markers.update(m[1] for m in PDF_GREP.finditer(tail))
    return sha.hexdigest(), size, markers


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_large",
    )


def _check_zip(source: IO[bytes], kind: FileType) -> None:
    """Office files are zips: judge them from the central directory alone and never extract."""
    invalid = ValidationError(
        _("Berkas ini bukan dokumen %(label)s yang sah.") % {"label": kind.label}, code="structure"
    )
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
            _check_zip_directory(entries)
            names = {entry.filename for entry in entries}
            if any(part not in names for part in kind.parts):
                raise invalid
            if kind.odf:
                first = entries[0] if entries else None
                if first is None or first.filename != "mimetype" or first.file_size > len(kind.odf):
                    raise invalid
                with archive.open(first) as member:
                    if member.read(len(kind.odf) + 1) != kind.odf.encode():
                        raise invalid
    except ValidationError:
        raise
    except Exception:  # a damaged archive can fail in many ways (zlib, struct, bad offsets)
        raise invalid from None


def _check_zip_directory(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > ZIP_MAX_ENTRIES:
        raise ValidationError(
            _("Arsip berisi terlalu banyak entri (%(count)s; paling banyak %(max)s).")
            % {"count": len(entries), "max": ZIP_MAX_ENTRIES},
            code="zip_entries",
        )
    for entry in entries:
        parts = re.split(r"[\\/]", entry.filename)
        is_link = (entry.external_attr >> 16) & 0o170000 == 0o120000
        if entry.filename.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", entry.filename) or ".." in parts or is_link:
            raise ValidationError(_("Arsip berisi nama berkas yang tidak aman."), code="zip_names")
    bomb = ValidationError(
        _("Arsip ditolak: isinya mengembang terlalu besar saat dibuka (indikasi bom zip)."), code="zip_bomb"
    )
    if sum(entry.file_size for entry in entries) > ZIP_MAX_TOTAL:
        raise bomb
    for entry in entries:
        if entry.file_size > ZIP_RATIO_FLOOR and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1):
            raise bomb


def _reencode_image(source: IO[bytes], kind: FileType) -> IO[bytes]:
    """The picture, decoded and encoded again by Pillow.

    A JPEG or PNG may carry anything after its end marker or in a comment (for example HTML, a
    "polyglot" that a content-sniffing browser would run). Storing pixels re-encoded by Pillow
    keeps the picture and drops every other byte: trailing data, comments, text chunks and EXIF
    (with GPS position); only the colour profile and transparency are kept. The EXIF orientation
    is applied first so photos stay upright; an upright JPEG keeps its own quantisation tables,
    so its quality and size barely change. The result goes to a temporary file that stays in
    memory while it is small.
    """
    invalid = ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source.seek(0)
            with Image.open(source) as probe:  # reads the header only
                if probe.width * probe.height > MAX_PIXELS:
                    raise _image_bomb()
                if probe.format not in kind.pillow:
                    raise invalid
                probe.verify()
            source.seek(0)
            with Image.open(source) as original:
                original.load()
                keep = {key: original.info[key] for key in ("icc_profile", "transparency") if key in original.info}
                upright = original.getexif().get(0x0112, 1) == 1
                image = original if upright and original.format == "JPEG" else ImageOps.exif_transpose(original)
                image.info = {}  # comments and text chunks must not be written again
                out = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
                if kind is JPEG:
                    quality = "keep" if image is original else 90
                    image.save(out, "JPEG", quality=quality, icc_profile=keep.get("icc_profile"))
                else:
                    image.save(out, "PNG", **keep)
        return out
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_bomb() from None
    except Exception:  # Pillow reports broken images with many exception types
        raise invalid from None


def _image_bomb() -> ValidationError:
    return ValidationError(
        _("Gambar ditolak: ukurannya lebih dari %(max)s megapiksel.") % {"max": MAX_PIXELS // 1_000_000},
        code="image_bomb",
    )
