"""Files for upload tests, good and hostile, built byte by byte here (nothing is downloaded)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
from PIL import Image

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"

# --- PDF ----------------------------------------------------------------------------------


def pdf_from(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF with a classic xref table; object n is objects[n - 1]."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
]


def pdf(catalog_extra: bytes = b"", *more: bytes) -> bytes:
    return pdf_from([b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>", *PAGES, *more])


def pdf_with_javascript() -> bytes:
    return pdf(b"/OpenAction 4 0 R", b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")


def pdf_opening_at_first_page() -> bytes:
    """An /OpenAction that is only a destination: harmless, not flagged."""
    return pdf(b"/OpenAction [3 0 R /Fit]")


def pdf_with_escaped_name() -> bytes:
    """`/J#61vaScript` is /JavaScript to every reader, but not to a byte grep."""
    return pdf(b"/OpenAction 4 0 R", b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")


def pdf_with_launch() -> bytes:
    return pdf(b"/OpenAction 4 0 R", b"<< /S /Launch /F (cmd.exe) >>")


def pdf_with_javascript_in_object_stream() -> bytes:
    """The catalog and a JavaScript action inside a compressed object stream (PDF 1.5)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        *PAGES,
        b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
    ]
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % (n, off) for n, off in enumerate(offsets, start=1)) + b"\n"
    stream = zlib.compress(header + body)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stm_at = out.tell()
    out.write(b"5 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(stream)))  # fmt: skip
    out.write(stream + b"\nendstream\nendobj\n")
    xref_at = out.tell()
    rows = [b"\x00" + struct.pack(">IH", 0, 65535)]
    rows += [b"\x02" + struct.pack(">IH", 5, index) for index in range(4)]
    rows += [b"\x01" + struct.pack(">IH", stm_at, 0), b"\x01" + struct.pack(">IH", xref_at, 0)]
    table = zlib.compress(b"".join(rows))
    out.write(b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n" % len(table))  # fmt: skip
    out.write(table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


# --- Images -------------------------------------------------------------------------------


def image(fmt: str = "PNG", size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, fmt)
    return out.getvalue()


def polyglot_jpeg() -> bytes:
    return image("JPEG") + HTML


def png_bomb(side: int = 30_000) -> bytes:
    """A valid 1-bit PNG of side x side pixels (900 megapixels), about 110 KB on disk.

    Written chunk by chunk with zlib: asking Pillow to create it would take ~1 GB of memory.
    """
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + side // 8)  # filter byte + packed bits
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- Office files -------------------------------------------------------------------------


def zip_of(members: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members.items()):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=kind)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(*, content_types_first: bool = True) -> bytes:
    """A minimal Word document; with the content types last, libmagic calls it a plain zip."""
    members = {
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document><w:body><w:p/></w:body></w:document>",
    }
    if content_types_first:
        return zip_of({"[Content_Types].xml": CONTENT_TYPES, **members})
    return zip_of({**members, "[Content_Types].xml": CONTENT_TYPES})


def pptx() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p:presentation/>"})


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Indeks SPBE"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def opendocument(mime: str) -> bytes:
    return zip_of({"mimetype": mime.encode(), "content.xml": b"<office:document-content/>"}, stored_first=True)


def odt() -> bytes:
    return opendocument("application/vnd.oasis.opendocument.text")


def ods() -> bytes:
    return opendocument("application/vnd.oasis.opendocument.spreadsheet")


def plain_zip() -> bytes:
    return zip_of({"catatan.txt": b"bukan dokumen"})


def docx_bomb(megabytes: int = 200) -> bytes:
    """Docx-shaped, with a main part of `megabytes` of zeros: about 200 KB compressed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


# --- Neither ------------------------------------------------------------------------------


def elf() -> bytes:
    """The start of a 64-bit Linux executable."""
    header = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + struct.pack("<HHI", 3, 0x3E, 1) + b"\x00" * 40
    return header + b"\x00" * 512


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
