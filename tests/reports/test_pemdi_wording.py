"""A Pemdi evaluation's reports speak of its own index and its aspects, never of SPBE domains."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from assessment.models import Evaluation, EvaluationStatus, Framework
from reports.rendering import build
from tests.assessment.pemdi.conftest import pemdi  # noqa: F401  (fixture)
from tests.reports.conftest import evaluation, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def siak_pemdi(pemdi: Framework) -> Evaluation:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    call_command("load_demo", stdout=io.StringIO())
    pemdi_2026 = evaluation(2026)
    # Finalised by the same Sekda who signed 2022 (the berita acara exists only once finalised).
    pemdi_2026.status = EvaluationStatus.FINALISED
    pemdi_2026.finalised_by = evaluation(2022).finalised_by
    pemdi_2026.finalised_at = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    pemdi_2026.save()
    return pemdi_2026


def test_the_pemdi_hasil_report_names_pemdi_and_aspects_not_spbe_domains(siak_pemdi: Evaluation) -> None:
    text = " ".join(pdf_text(build("hasil", siak_pemdi).content).split())
    assert "PEMERINTAH DIGITAL (PEMDI) TAHUN 2026" in text
    assert "Laporan Hasil Penilaian Mandiri Pemdi 2026" in text  # the running footer
    assert "(Koordinator Pemdi)" in text and "1. Indeks per aspek" in text
    # The SPBE years appear only as their own labelled series of the trend chart.
    history = "Kabupaten Siak · Indeks SPBE Kabupaten Siak · Indeks Pemdi"
    assert history in text
    rest = text.replace(history, "")
    assert "Indeks SPBE" not in rest and "Koordinator SPBE" not in rest and "SPBE nasional" not in rest
    assert "domain" not in text.lower()


def test_the_pemdi_berita_acara_names_its_index_and_aspects(siak_pemdi: Evaluation) -> None:
    text = " ".join(pdf_text(build("berita-acara", siak_pemdi).content).split())
    assert "PENILAIAN MANDIRI PEMERINTAH DIGITAL (PEMDI)" in text
    assert "adalah Indeks Pemdi" in text and "rincian per aspek" in text and "selaku Koordinator Pemdi" in text
    assert "rincian indeks per aspek," in text
    assert "Indeks SPBE" not in text and "domain" not in text.lower()


@pytest.mark.usefixtures("siak_pemdi")
def test_the_spbe_reports_keep_their_wording() -> None:
    hasil = " ".join(pdf_text(build("hasil", evaluation(2022)).content).split())
    assert "SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK (SPBE) TAHUN 2022" in hasil
    assert "1. Indeks per domain dan aspek" in hasil and "Indeks per domain" in hasil
    berita = " ".join(pdf_text(build("berita-acara", evaluation(2022)).content).split())
    assert "PENILAIAN MANDIRI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK (SPBE)" in berita
    assert "adalah Indeks SPBE" in berita and "rincian per domain" in berita and "Koordinator SPBE" in berita
