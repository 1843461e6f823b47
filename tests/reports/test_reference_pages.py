"""The demo documents' pages against reference PNGs (tests/reports/reference/), with a tolerance.

An accidental layout change (a chart that moves, a table that loses its borders, a letterhead
that drops its emblem) changes many pixels and fails; the print time in the footer and the
date beside the signature change a few and pass. After an intended change, regenerate with
UPDATE_REFERENCE_PAGES=1 and look at the new PNGs before committing them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from assessment.models import Evaluation, Opd
from reports.rendering import build
from tests.conftest import require_service

pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).parent / "reference"
DPI = 40
TOLERANCE = 0.01  # the share of pixels that may differ clearly (by more than a quarter of the range)


def pages(content: bytes, tmp_path: Path, last: int) -> list[Image.Image]:
    source = tmp_path / "doc.pdf"
    source.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-f", "1", "-l", str(last), "-png", str(source), str(tmp_path / "p")],
        check=True, timeout=120,
    )  # fmt: skip
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("p-*.png"))]


def differing(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 1.0
    histogram = ImageChops.difference(a, b).histogram()
    return sum(histogram[64:]) / (a.width * a.height)


@pytest.mark.parametrize(
    ("name", "kind", "last"),
    [("hasil", "hasil", 3), ("ringkasan", "ringkasan", 1), ("berita-acara", "berita-acara", 2),
     ("rapor-diskominfo", "rapor", 1)],
)  # fmt: skip
def test_demo_pages_match_their_references(
    siak_2022: Evaluation, tmp_path: Path, name: str, kind: str, last: int
) -> None:
    require_service(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    opd = Opd.objects.get(instansi=siak_2022.instansi, code="diskominfo") if kind == "rapor" else None
    rendered = pages(build(kind, siak_2022, opd, number=lambda _k, _o: "000.8/1/Setda-Diskominfo/2026").content,
                     tmp_path, last)  # fmt: skip
    for number, image in enumerate(rendered, start=1):
        reference = REFERENCE / f"siak-2022-{name}-{number}.png"
        if os.environ.get("UPDATE_REFERENCE_PAGES"):
            REFERENCE.mkdir(exist_ok=True)
            image.save(reference, optimize=True)
            continue
        assert reference.exists(), f"no reference page {reference.name}: run with UPDATE_REFERENCE_PAGES=1"
        share = differing(image, Image.open(reference).convert("L"))
        assert share <= TOLERANCE, f"{reference.name}: {share:.2%} of the pixels differ"


def test_the_comparison_catches_a_layout_change() -> None:
    reference = Image.open(REFERENCE / "siak-2022-ringkasan-1.png").convert("L")
    moved = ImageChops.offset(reference, 0, 12)  # everything 7 mm lower
    assert differing(moved, reference) > TOLERANCE
    assert differing(reference, reference) == 0
