"""The one-page summary, the Rapor OPD (one and all as a ZIP) and the executive summary."""

from __future__ import annotations

import io
import re
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from assessment.models import Answer, DocumentNumber, Evaluation, Opd
from assessment.services.identity import assign_number
from reports import context
from reports.rendering import build
from reports.summary import executive_summary
from tests.reports.conftest import pdf_pages, pdf_text
from tests.reports.test_letterhead import OUT, page_png

pytestmark = pytest.mark.django_db


def test_the_executive_summary_uses_the_figures_the_tables_print(siak_2022: Evaluation) -> None:
    ctx = context.hasil(siak_2022)
    summary = ctx["summary"]
    final = ctx["final"].result
    text = " ".join(summary["id"])
    assert text.startswith(f"Indeks SPBE Kabupaten Siak tahun 2022 adalah 2,35 dengan predikat {final.index.predicate}")
    aspects = sorted((g for g in ctx["groups"] if g.depth == 2), key=lambda g: g.scores[-1].exact)[:3]
    for group in aspects:
        assert f"{group.code} {group.name} ({str(group.scores[-1].display).replace('.', ',')})" in text
    for step in ctx["advice"]["steps"][:5]:
        assert f"indikator {step.row.number} {step.row.name}" in text
    assert "Tahap selesai: Penilaian Mandiri, Verifikasi Diskominfo." in text
    english = " ".join(summary["en"])
    assert "The Indeks SPBE of Kabupaten Siak for 2022 is 2.35" in english and "Stages done: Self-assessment" in english
    assert executive_summary(ctx)["id"] == summary["id"]  # generated, not stored: the same data, the same text


def pdftotext(content: bytes, tmp_path: Path) -> str:
    """poppler's text, table cells kept apart (-layout), whitespace runs made one space."""
    source = tmp_path / "doc.pdf"
    source.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


@pytest.mark.parametrize("kind", ["hasil", "ringkasan", "berita-acara"])
def test_no_three_decimal_figure_anywhere(siak_2022: Evaluation, tmp_path: Path, kind: str) -> None:
    text = pdftotext(build(kind, siak_2022).content, tmp_path)
    assert "2,35" in text
    assert not re.search(r"\d,\d{3}(?![\d.])", text), re.findall(r"\S*\d,\d{3}(?![\d.])\S*", text)


def test_the_laporan_hasil_prints_the_summary(siak_2022: Evaluation, tmp_path: Path) -> None:
    text = pdftotext(build("hasil", siak_2022).content, tmp_path)
    assert "Ringkasan eksekutif" in text and "Executive summary." in text
    assert "adalah 2,35 dengan predikat" in text


def test_the_one_page_summary_is_one_a4_page_with_letterhead_figures_steps_and_signature(
    siak_2022: Evaluation, tmp_path: Path
) -> None:
    started = time.perf_counter()
    document = build("ringkasan", siak_2022, number=lambda kind, opd: assign_number(siak_2022, kind, opd))
    elapsed = time.perf_counter() - started
    pages = pdf_pages(document.content)
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    number = DocumentNumber.objects.get(evaluation=siak_2022, key="ringkasan::").text
    assert "PEMERINTAH KABUPATEN SIAK" in text and f"Nomor: {number}" in text
    assert "2,35" in text and "Cukup" in text and "Lima langkah yang paling menaikkan indeks" in text
    for step in context.hasil(siak_2022)["advice"]["steps"][:5]:
        assert step.row.name[:30] in text
    assert "Drs. Arfan Usman, M.Si." in text and "NIP 19700101 199503 1 001" in text
    page_png(document.content, 1, tmp_path)
    assert elapsed < 10  # the benchmark (docs/benchmarks.md) holds the real < 1 s figure; this catches a runaway


def test_building_all_rapor_gives_one_pdf_per_opd_each_naming_only_its_own_indicators(siak_2022: Evaluation) -> None:
    document = build("rapor", siak_2022, number=lambda kind, opd: assign_number(siak_2022, kind, opd))
    assert document.suffix == ".zip"
    archive = zipfile.ZipFile(io.BytesIO(document.content))
    opds = list(Opd.objects.filter(instansi=siak_2022.instansi))
    assert sorted(archive.namelist()) == sorted(f"rapor-{o.code}-2022.pdf" for o in opds)
    answers = Answer.objects.filter(evaluation=siak_2022).select_related("indicator")
    numbers = set()
    for opd in opds:
        text = pdf_text(archive.read(f"rapor-{opd.code}-2022.pdf"))
        own = [a.indicator for a in answers if a.lead_opd_id == opd.pk]
        others = [a.indicator for a in answers if a.lead_opd_id != opd.pk]
        assert f"RAPOR PENILAIAN MANDIRI SPBE TAHUN 2022 {opd.name.upper()}" in text
        assert all(" ".join(i.name.split())[:25] in text for i in own)
        assert not any(" ".join(i.name.split()) in text for i in others if len(i.name) > 25)
        numbers.add(DocumentNumber.objects.get(evaluation=siak_2022, key=f"rapor:{opd.pk}:").text)
        assert f"Nomor: {min(numbers, key=lambda n: n not in text)}" in text
        if OUT:
            Path(OUT, f"rapor-{opd.code}.pdf").write_bytes(archive.read(f"rapor-{opd.code}-2022.pdf"))
    assert len(numbers) == len(opds)  # each rapor its own number


def test_one_rapor_is_a_pdf_of_that_opd(siak_2022: Evaluation) -> None:
    opd = Opd.objects.get(instansi=siak_2022.instansi, code="bkpsdm")
    document = build("rapor", siak_2022, opd)
    assert document.suffix == ".pdf"
    assert opd.name.upper() in pdf_text(document.content)


def test_the_pemdi_headline_says_which_answers_it_includes(siak_2026: Evaluation, tmp_path: Path) -> None:
    from assessment.models import AnswerStatus, StageValue

    valued = StageValue.objects.filter(answer__evaluation=siak_2026, stage="mandiri")
    drafts = valued.filter(answer__status=AnswerStatus.DRAFT).count()
    document = build("hasil", siak_2026)
    text = pdftotext(document.content, tmp_path)
    if drafts:
        assert f"Dari {valued.count()} jawaban bernilai, termasuk {drafts} draf yang belum diajukan." in text
    else:
        assert f"Dari {valued.count()} jawaban bernilai, semuanya telah diajukan." in text
    assert "sementara" in text.lower()
    page_png(document.content, 1, tmp_path)
