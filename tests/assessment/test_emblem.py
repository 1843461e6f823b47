"""Emblem uploads: PNG re-encoded, SVG rasterised without fetching anything; refusals store nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from assessment.demo_letterhead import emblem_svg
from assessment.models import Instansi, InstansiKind, Letterhead
from assessment.services.identity import IdentityError, check_pattern, emblem_png, save_letterhead

pytestmark = pytest.mark.django_db


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG", pnginfo=None)
    return out.getvalue()


def test_a_png_is_re_encoded_and_an_svg_rasterised() -> None:
    stored = Image.open(io.BytesIO(emblem_png(png())))
    assert (stored.format, stored.size) == ("PNG", (40, 30))
    drawn = Image.open(io.BytesIO(emblem_png(emblem_svg("kabupaten-siak"))))
    assert drawn.format == "PNG" and max(drawn.size) == 512


def test_scripts_in_an_svg_do_not_survive() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
    out = emblem_png(svg)
    assert out.startswith(b"\x89PNG") and b"script" not in out


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
        b'<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="http://169.254.169.254/x.png" '
        b'width="10" height="10"/></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        b"<svg><unclosed",
    ],
)
def test_an_svg_that_reaches_out_or_is_broken_is_refused(svg: bytes) -> None:
    with pytest.raises(IdentityError):
        emblem_png(svg)


@pytest.mark.parametrize("data", [b"GIF89a....", b"%PDF-1.4", png()[:40], b"x" * (2 * 1024 * 1024 + 1)])
def test_other_files_are_refused(data: bytes) -> None:
    with pytest.raises(IdentityError):
        emblem_png(data)


def test_a_refused_emblem_leaves_no_file_and_no_change() -> None:
    instansi = Instansi.objects.create(name="Kota Contoh", slug="kota-contoh", kind=InstansiKind.KOTA)
    save_letterhead(instansi, png(), address="Jalan 1")
    letterhead = Letterhead.objects.get(instansi=instansi)
    media = letterhead.emblem.storage
    names = media.listdir("lambang")[1]
    with pytest.raises(IdentityError):
        save_letterhead(instansi, b"<svg><unclosed", address="Jalan 2")
    assert media.listdir("lambang")[1] == names
    assert Letterhead.objects.get(instansi=instansi).address == "Jalan 1"


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [("000.8/{n}/Diskominfo/{tahun}", True), ("{n}/{bulan}/{tahun}", True), ("000/{tahun}", False),
     ("{n}/{n}", False), ("{n}/{x}", False), ("{n.__class__}", False), ("{n:>5}", False), ("{n", False)],
)  # fmt: skip
def test_number_patterns(pattern: str, ok: bool) -> None:
    if ok:
        assert check_pattern(pattern) == pattern
    else:
        with pytest.raises(IdentityError):
            check_pattern(pattern)
