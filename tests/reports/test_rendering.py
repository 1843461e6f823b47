"""build(): the PDF reports read back as text, on the demo's Kabupaten Siak."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from assessment.models import (
    AnswerEvidence,
    Decision,
    Evaluation,
    Evidence,
    EvidenceStatus,
    EvidenceVersion,
    Opd,
    Review,
)
from reports import context
from reports.kinds import KINDS
from reports.models import ReportKind
from reports.rendering import ReportNotAvailable, build, opd_context
from tests.factories import EvaluationFactory, InstansiFactory, OpdFactory
from tests.reports.conftest import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_hasil_siak_2022_shows_both_indices_domains_aspects_and_page_numbers(siak_2022: Evaluation) -> None:
    document = build("hasil", siak_2022)
    assert (document.content_type, document.suffix) == ("application/pdf", ".pdf")
    pages = pdf_pages(document.content)
    text = " ".join(" ".join(pages).split())
    for figure in ("2,35", "2,41", "Cukup", "2,50", "2,20", "1,55", "2,68", "1,63", "1,33", "2,25", "2,80"):
        assert figure in text, figure
    assert "Kabupaten Siak" in text and "Verifikasi Diskominfo" in text
    assert "2 September 2022 pukul 10.30 WIB" in text
    assert "Indeks SPBE" in text and "Peraturan Menteri PANRB Nomor 59 Tahun 2020" in text
    # The running footer on every page, with the total.
    assert "Halaman 1 dari" in pages[0]
    total = len(pages)
    assert all(f"Halaman {n} dari {total}" in page for n, page in enumerate(pages, start=1))
    assert all("Kabupaten Siak" in page for page in pages)
    # Every indicator's row, with its level name from the scale.
    assert "Tingkat Kematangan Layanan Publik Sektor 3" in text and "Terdefinisi" in text and "Rintisan" in text
    # Strengths and weaknesses; the next band (Baik from 2,60) as the recommendations' target.
    assert "Kelemahan (tingkat 1–2)" in text  # noqa: RUF001  (the en dash the report prints)
    assert re.search(r"predikat\s+Baik,\s+yang\s+dimulai\s+pada\s+indeks\s+2,60", text)
    assert "+0,03 " in text and "+0,030" not in text  # two decimals everywhere (issue 20)


def test_every_font_in_the_pdf_is_embedded_dejavu(siak_2022: Evaluation) -> None:
    reader = PdfReader(io.BytesIO(build("berita-acara", siak_2022).content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]  # pypdf: any PdfObject
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    # The footer (a margin box) too: no serif fallback.
    assert fonts and all("DejaVu-Sans" in name for name in fonts), fonts


def test_hasil_lists_evidence_with_the_latest_file_and_approver_and_the_reviewer_note(siak_2022: Evaluation) -> None:
    verifier = get_user_model().objects.get(username="verifikator.siak")
    answer = siak_2022.answers.get(indicator__number=1)
    evidence = Evidence.objects.create(
        instansi=siak_2022.instansi, title="Perbup Arsitektur SPBE", document_date=date(2022, 3, 14)
    )
    for number, name in ((1, "perbup-draf.pdf"), (2, "perbup-ditetapkan.pdf")):
        EvidenceVersion.objects.create(
            evidence=evidence, number=number, file=f"evidence/{number}.pdf", original_name=name, size=10,
            sha256="0" * 64, content_type="application/pdf",
        )  # fmt: skip
    AnswerEvidence.objects.create(
        answer=answer, evidence=evidence, status=EvidenceStatus.APPROVED, reviewed_by=verifier,
        reviewed_at=timezone.now(),
    )  # fmt: skip
    Review.objects.create(answer=answer, round=1, decision=Decision.RETURNED, reason="Catatan lama", reviewer=verifier)
    Review.objects.create(
        answer=answer, round=2, decision=Decision.APPROVED, reason="Sesuai SK terbaru", reviewer=verifier,
        verified_value=Decimal(3),
    )  # fmt: skip
    Review.objects.create(
        answer=answer, round=3, decision=Decision.APPROVED, reason="Dibatalkan", reviewer=verifier,
        voided_at=timezone.now(),
    )  # fmt: skip
    text = pdf_text(build("hasil", siak_2022).content)
    assert "Perbup Arsitektur SPBE" in text and "perbup-ditetapkan.pdf" in text
    assert "perbup-draf.pdf" not in text  # only the latest version's name
    assert "14 Maret 2022" in text and "Dewi Kartika Sari" in text
    assert "Sesuai SK terbaru" in text
    assert "Dibatalkan" not in text and "Catatan lama" not in text
    # The verifier's stage note where no review says anything (indicator 22: claimed 2, verified 1).
    assert "Bukti belum memenuhi kriteria tingkat 2" in text


def test_hasil_of_the_open_year_is_provisional_and_draws_the_index_over_the_years(siak_2026: Evaluation) -> None:
    text = pdf_text(build("hasil", siak_2026).content)
    assert "sementara" in text and "Berjalan" in text
    assert "Indeks dari tahun ke tahun" in text
    assert "2,34" in text and "3,12" in text  # national 2022 and 2024, beside Siak's own points
    assert "Lampirkan SK yang telah" in text  # the return reason of indicator 11


def test_berita_acara_names_the_finaliser_date_and_result(siak_2022: Evaluation) -> None:
    pages = [" ".join(page.split()) for page in pdf_pages(build("berita-acara", siak_2022).content)]
    text = " ".join(pages)
    assert "BERITA ACARA" in pages[0] and "PERNYATAAN PERSETUJUAN PUBLIKASI" in pages[-1]
    assert "Drs. Arfan Usman, M.Si." in pages[0] and "Drs. Arfan Usman, M.Si." in pages[-1]
    assert "2 September 2022" in text and "10.30 WIB" in text
    assert "2,35" in text and "Cukup" in text and "2,41" in text
    assert "Koordinator SPBE" in text and "meterai" in text
    assert len(pages) == 2  # the text and the signatures on one page, the consent on the next


def test_berita_acara_is_not_available_before_finalisation(siak_2026: Evaluation) -> None:
    with pytest.raises(ReportNotAvailable, match="difinalkan"):
        build("berita-acara", siak_2026)


def test_opd_report_for_one_opd_shows_only_that_opd(siak_2026: Evaluation) -> None:
    bkpsdm = Opd.objects.get(instansi=siak_2026.instansi, code="bkpsdm")
    lines = "\n".join(pdf_pages(build("opd", siak_2026, bkpsdm).content))
    text = " ".join(lines.split())
    assert "BKPSDM" in text
    for number in ("25", "36", "41"):
        assert re.search(rf"^{number}\s", lines, re.MULTILINE), number
    assert "Layanan Kepegawaian" in text and "Diajukan" in text
    for other in ("Diskominfo", "Bappeda", "BPKAD", "Inspektorat", "Belum ditugaskan"):
        assert other not in text, other
    assert "Kebijakan Internal Arsitektur" not in text  # indicator 1 belongs to Diskominfo


def test_opd_report_for_every_opd(siak_2026: Evaluation) -> None:
    text = pdf_text(build("opd", siak_2026).content)
    assert "Diskominfo" in text and "BKPSDM" in text and "Dikembalikan" in text


def test_an_opd_of_another_instansi_or_on_an_instansi_wide_report_is_refused(siak_2026: Evaluation) -> None:
    stranger = OpdFactory(instansi=InstansiFactory())
    with pytest.raises(ValueError, match="does not belong"):
        build("opd", siak_2026, stranger)
    own = Opd.objects.get(instansi=siak_2026.instansi, code="bkpsdm")
    with pytest.raises(ValueError, match="whole instansi"):
        build("hasil", siak_2026, own)
    with pytest.raises(ValueError, match="unknown report kind"):
        build("laporan", siak_2026)
    assert list(KINDS) == list(ReportKind.values)  # every kind the model offers can be built


def test_gathering_the_report_takes_the_same_queries_however_much_data(siak_2026: Evaluation) -> None:
    context.hasil(siak_2026)  # warm the framework cache

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            context.hasil(siak_2026)
            opd_context(siak_2026, None)
        return len(queries)

    before = count()
    verifier = get_user_model().objects.get(username="verifikator.siak")
    for answer in siak_2026.answers.all()[:20]:
        evidence = Evidence.objects.create(instansi=siak_2026.instansi, title=f"Bukti {answer.pk}")
        EvidenceVersion.objects.create(
            evidence=evidence, number=1, file="evidence/x.pdf", original_name="x.pdf", size=1, sha256="0" * 64,
            content_type="application/pdf",
        )  # fmt: skip
        AnswerEvidence.objects.create(answer=answer, evidence=evidence)
        Review.objects.create(answer=answer, round=9, decision=Decision.RETURNED, reason="x", reviewer=verifier)
    OpdFactory.create_batch(5, instansi=siak_2026.instansi)
    assert count() == before <= 25


def test_an_evaluation_without_any_value_still_prints(framework59: object) -> None:
    evaluation = EvaluationFactory(framework=framework59, instansi=InstansiFactory(name="Kota Contoh"), year=2027)
    text = pdf_text(build("hasil", evaluation).content)
    assert "Kota Contoh" in text and "Belum ada nilai untuk menyusun rekomendasi" in text
    assert "Tidak ada indikator yang ditugaskan" in pdf_text(
        build("opd", evaluation, OpdFactory(instansi=evaluation.instansi)).content
    )
