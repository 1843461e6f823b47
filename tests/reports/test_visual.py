"""One visual check: page 1 of the hasil PDF, rendered to PNG, is an A4 page with content on it.

Needs poppler's pdftoppm (scripts/system-deps.sh installs it); skipped locally without it,
a failure in CI.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from assessment.models import Evaluation
from reports.rendering import build
from tests.conftest import require_service

pytestmark = pytest.mark.django_db


def test_page_one_of_the_hasil_report_is_a_printed_a4_page(siak_2022: Evaluation, tmp_path: Path) -> None:
    require_service(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    pdf = tmp_path / "hasil.pdf"
    pdf.write_bytes(build("hasil", siak_2022).content)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True, timeout=60,
    )  # fmt: skip
    with Image.open(tmp_path / "page.png") as image:
        width, height = image.size
        grey = image.convert("L")
        histogram = grey.histogram()
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    ink = sum(histogram[:230]) / (width * height)
    # Text, tables and the index boxes: clearly not blank, clearly not a solid block.
    assert 0.03 < ink < 0.35, ink
    dark = sum(histogram[:100]) / (width * height)
    assert dark > 0.005, dark  # real text, not only light shading
