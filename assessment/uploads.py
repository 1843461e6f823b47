"""What an uploaded evidence file really is, decided from its bytes; nothing is written anywhere.

`check_upload(upload)` returns a `CheckedUpload` (the bytes to store, the server-chosen type, a
checksum, a cleaned original name, a reviewer flag) or raises `ValidationError` in the user's
language. Order, cheapest first: size -> extension allowlist (last suffix) -> libmagic on the
bytes agreeing with the extension -> a deep check per type. The browser's Content-Type is never
read. Callers store `CheckedUpload.content` only after this passed, so a refused file leaves
nothing in MEDIA_ROOT.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

ZIP = "application/zip"  # what libmagic says for many valid OOXML/ODF files (member order)
SNIFF_BYTES = 1 << 16
NAME_MAX = 200
MAX_PIXELS = 50_000_000
ZIP_MAX_ENTRIES = 1_000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
# Tiny members are exempt from the ratio rule: they cannot exhaust anything (the total still
# caps the archive), and small padded XML parts of real Office files compress very well.
ZIP_RATIO_FLOOR = 1024 * 1024
PDF_MAX_OBJECTS = 50_000


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
    content: bytes  # what to store: the upload itself, or the re-encoded image
    content_type: str
    suffix: str
    original_name: str
    sha256: str  # of `content`, so the stored file can be verified against it
    size: int
    flag: str  # why a reviewer should look twice; empty when clean


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
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if len(data) > limit:
        raise _too_large(len(data), limit)
    sniffed = str(magic.from_buffer(data[:SNIFF_BYTES], mime=True))
    if sniffed not in kind.sniffed:
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (%(label)s); terdeteksi sebagai %(sniffed)s.")
            % {"label": kind.label, "sniffed": sniffed},
            code="mismatch",
        )
    content, flag = data, ""
    if kind is PDF:
        flag = _pdf_flag(data)
    elif kind.pillow:
        content = _reencode_image(data, kind)
    else:
        _check_zip(data, kind)
    return CheckedUpload(
        content, kind.mime, kind.suffix, display_name(sent), hashlib.sha256(content).hexdigest(), len(content), flag
    )


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_large",
    )


def _check_zip(data: bytes, kind: FileType) -> None:
    """Office files are zips: judge them from the central directory alone and never extract."""
    invalid = ValidationError(
        _("Berkas ini bukan dokumen %(label)s yang sah.") % {"label": kind.label}, code="structure"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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


def _reencode_image(data: bytes, kind: FileType) -> bytes:
    """The picture, decoded and encoded again by Pillow.

    A JPEG or PNG may carry anything after its end marker or in a comment (for example HTML, a
    "polyglot" that a content-sniffing browser would run). Storing pixels re-encoded by Pillow
    keeps the picture and drops every other byte: trailing data, comments, text chunks and EXIF
    (with GPS position); only the colour profile and transparency are kept. The EXIF orientation
    is applied first so photos stay upright; an upright JPEG keeps its own quantisation tables,
    so its quality and size barely change.
    """
    invalid = ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:  # reads the header only
                if probe.width * probe.height > MAX_PIXELS:
                    raise _image_bomb()
                if probe.format not in kind.pillow:
                    raise invalid
                probe.verify()
            with Image.open(io.BytesIO(data)) as original:
                original.load()
                keep = {key: original.info[key] for key in ("icc_profile", "transparency") if key in original.info}
                upright = original.getexif().get(0x0112, 1) == 1
                image = original if upright and original.format == "JPEG" else ImageOps.exif_transpose(original)
                image.info = {}  # comments and text chunks must not be written again
                out = io.BytesIO()
                if kind is JPEG:
                    quality = "keep" if image is original else 90
                    image.save(out, "JPEG", quality=quality, icc_profile=keep.get("icc_profile"))
                else:
                    image.save(out, "PNG", **keep)
        return out.getvalue()
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


# What makes a PDF do something when opened, by the PDF name that carries it.
_PDF_RISKS = {
    "/JavaScript": gettext_lazy("JavaScript"),
    "/JS": gettext_lazy("JavaScript"),
    "/Launch": gettext_lazy("perintah menjalankan program"),
    "/EmbeddedFile": gettext_lazy("berkas tersemat"),
    "/EmbeddedFiles": gettext_lazy("berkas tersemat"),
}
# Long names only: three bytes such as "/JS" turn up by chance in image streams (about once in
# 16 MB of JPEG data), while the walk below finds /JS where it is structure.
_PDF_GREP = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?)(?![A-Za-z0-9#])")


def _pdf_flag(data: bytes) -> str:
    """An explanation for the reviewer when the PDF can act on its own; empty when it cannot.

    Such PDFs are accepted (official documents do carry forms and attachments) but flagged, and
    the preview is sandboxed. pypdf walks every object the cross-reference tables declare, so
    names inside compressed object streams or written with #-escapes are found, which a byte
    grep misses; the byte grep is added anyway for objects a broken xref may hide from pypdf.
    """
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Berkas bukan PDF yang sah: harus diawali %PDF."), code="pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception:
        raise ValidationError(_("PDF rusak atau tidak dapat dibaca."), code="pdf") from None
    found: set[object] = {_PDF_RISKS[f"/{m.decode()}"] for m in _PDF_GREP.findall(data)}
    try:
        if encrypted and not reader.decrypt(""):
            raise ValidationError(_("PDF dilindungi kata sandi; unggah versi tanpa kata sandi."), code="pdf")
        found |= _pdf_walk(reader)
    except ValidationError:
        raise
    except DependencyError:  # AES encryption needs a library we do not ship
        found.add(gettext_lazy("enkripsi yang tidak dapat diperiksa"))
    except Exception:
        found.add(gettext_lazy("bagian yang tidak dapat diperiksa"))
    if not found:
        return ""
    # The flag is stored and shown to every reviewer later, so it is written in Indonesian
    # whatever language the uploader's page was in.
    with translation.override("id"):
        features = ", ".join(sorted({str(label) for label in found}))
        flag = _("Perhatian: PDF ini berisi %(features)s. Periksa dengan hati-hati.") % {"features": features}
    return flag[:255]


def _pdf_walk(reader: PdfReader) -> set[object]:
    refs = [IndirectObject(num, gen, reader) for gen, table in reader.xref.items() for num in table]
    refs += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    if len(refs) > PDF_MAX_OBJECTS:
        return {gettext_lazy("terlalu banyak objek untuk diperiksa")}
    found: set[object] = set()
    stack: list[PdfObject | None] = [reader.trailer, *(ref.get_object() for ref in refs)]
    while stack:
        node = stack.pop()
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in _PDF_RISKS:
                    found.add(_PDF_RISKS[key])
                if key == "/OpenAction" and _is_action(value):
                    found.add(gettext_lazy("aksi otomatis saat dibuka"))
                if not isinstance(value, IndirectObject):  # indirect ones are in `refs`
                    stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(item for item in node if not isinstance(item, IndirectObject))
        elif isinstance(node, NameObject) and node in _PDF_RISKS:
            found.add(_PDF_RISKS[node])
    return found


def _is_action(value: PdfObject) -> bool:
    """An /OpenAction that does something; an array (or a GoTo) only opens at a page."""
    action = value.get_object()
    return isinstance(action, DictionaryObject) and action.get("/S") != "/GoTo"
