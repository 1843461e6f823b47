"""Whether an accepted PDF can act on its own (scripts, launch actions, attachments), from its structure.

Part of the upload check (`assessment.uploads`); reads the temporary file by seeking, never whole.
"""

from __future__ import annotations

import io
import re
from typing import IO, cast

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

PDF_MAX_OBJECTS = 50_000


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
PDF_GREP = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?)(?![A-Za-z0-9#])")


class _WithoutStreamData(io.RawIOBase):
    """The PDF for pypdf, minus the data of large streams: structure is all the walk reads.

    pypdf reads a stream object's data with one `read(length)` after its dictionary; a read that
    large is skipped (an empty result, the position moved past it), so a 60 MB scan costs what
    its dictionaries cost. Object streams, which hold dictionaries, are far smaller than the cut;
    one that is not is flagged as a part that could not be checked.
    """

    SKIP = 1 << 20

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size > self.SKIP:
            self.source.seek(size, io.SEEK_CUR)
            return b""
        return self.source.read(-1 if size is None else size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.source.seek(offset, whence)

    def tell(self) -> int:
        return self.source.tell()


def pdf_flag(head: bytes, source: IO[bytes], markers: set[bytes]) -> str:
    """An explanation for the reviewer when the PDF can act on its own; empty when it cannot.

    Such PDFs are accepted (official documents do carry forms and attachments) but flagged, and
    the preview is sandboxed. pypdf walks every object the cross-reference tables declare, so
    names inside compressed object streams or written with #-escapes are found, which a byte
    grep misses; the byte grep is added anyway for objects a broken xref may hide from pypdf.
    """
    if not head.startswith(b"%PDF-"):
        raise ValidationError(_("Berkas bukan PDF yang sah: harus diawali %PDF."), code="pdf")
    try:
        try:
            source.seek(0)
            reader = PdfReader(cast(IO[bytes], _WithoutStreamData(source)), strict=False)
        except Exception:  # a cross-reference stream larger than the cut: read it in full
            source.seek(0)
            reader = PdfReader(source, strict=False)
        encrypted = reader.is_encrypted
    except Exception:
        raise ValidationError(_("PDF rusak atau tidak dapat dibaca."), code="pdf") from None
    found: set[object] = {_PDF_RISKS[f"/{m.decode()}"] for m in markers}
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
    """Every object the cross-reference tables declare, one at a time.

    A stream object (a page image) leaves pypdf's cache once walked, so memory holds one object's
    data at a time, not the document; object streams stay, as the objects inside them need them.
    """
    refs = [IndirectObject(num, gen, reader) for gen, table in reader.xref.items() for num in table]
    refs += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    if len(refs) > PDF_MAX_OBJECTS:
        return {gettext_lazy("terlalu banyak objek untuk diperiksa")}
    found: set[object] = set()
    _walk_object(reader.trailer, found)
    for ref in refs:
        obj = ref.get_object()
        _walk_object(obj, found)
        if isinstance(obj, StreamObject) and obj.get("/Type") != "/ObjStm":
            reader.resolved_objects.pop((ref.generation, ref.idnum), None)
    return found


def _walk_object(obj: PdfObject | None, found: set[object]) -> None:
    stack: list[PdfObject | None] = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in _PDF_RISKS:
                    found.add(_PDF_RISKS[key])
                if key == "/OpenAction" and _is_action(value):
                    found.add(gettext_lazy("aksi otomatis saat dibuka"))
                if not isinstance(value, IndirectObject):  # indirect ones are walked on their own
                    stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(item for item in node if not isinstance(item, IndirectObject))
        elif isinstance(node, NameObject) and node in _PDF_RISKS:
            found.add(_PDF_RISKS[node])


def _is_action(value: PdfObject) -> bool:
    """An /OpenAction that does something; an array (or a GoTo) only opens at a page."""
    action = value.get_object()
    return isinstance(action, DictionaryObject) and action.get("/S") != "/GoTo"
