"""The demo deployment (Kabupaten Siak 2022 finalised at 2,35; 2026 open) and PDF helpers."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from assessment.models import Evaluation, Framework


@pytest.fixture
def demo(framework59: Framework) -> None:
    del framework59  # requested so the framework is loaded
    call_command("load_demo", stdout=io.StringIO())


def evaluation(year: int, slug: str = "kabupaten-siak") -> Evaluation:
    return Evaluation.objects.select_related("instansi", "framework", "finalised_by").get(
        instansi__slug=slug, year=year
    )


@pytest.fixture
def siak_2022(demo: None) -> Evaluation:
    del demo  # requested so the demo is loaded
    return evaluation(2022)


@pytest.fixture
def siak_2026(demo: None) -> Evaluation:
    del demo  # requested so the demo is loaded
    return evaluation(2026)


def pdf_pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    """All pages' text with every run of whitespace made one space (table cells wrap lines)."""
    return " ".join(" ".join(pdf_pages(content)).split())
