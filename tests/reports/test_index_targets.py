"""The region's target (IKU) and the national index in the executive summary (issue 20).

An admin sets a year's target on the letterhead page; the Laporan Hasil's summary and the
one-page summary set the index against it and against the national index (with its source)
when they are known, and say nothing of a target that is not set. Checked on the PDFs' text
(pdftotext) and on the summary builder, which writes both languages from one set of strings.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from assessment.models import Evaluation, IndexTarget, Instansi
from assessment.services.identity import set_index_target
from reports import context
from reports.rendering import build
from reports.summary import facts, sentences
from tests.reports.conftest import pdf_pages
from tests.reports.test_documents import pdftotext

pytestmark = pytest.mark.django_db
SOURCE = "Laporan Pelaksanaan Evaluasi SPBE 2024 Tabel 4"


def login(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.usefixtures("demo")
def test_the_admin_sets_changes_and_removes_a_years_target(client: Client) -> None:
    login(client, "admin.siak")
    form = {"year": "2022", "target": "2,50", "basis": "IKU RPJMD 2021-2026"}
    assert client.post("/kelola/kop/target/", form).status_code == 302
    siak = Instansi.objects.get(slug="kabupaten-siak")
    assert IndexTarget.objects.get(instansi=siak, year=2022).target == Decimal("2.50")
    page = client.get("/kelola/kop/").content.decode()
    assert "IKU RPJMD 2021-2026" in page and "2,50" in page
    client.post("/kelola/kop/target/", {**form, "target": "2,75"})
    assert IndexTarget.objects.get(instansi=siak, year=2022).target == Decimal("2.75")
    client.post("/kelola/kop/target/", {**form, "target": "12,5"})  # too many digits: refused, unchanged
    assert IndexTarget.objects.get(instansi=siak, year=2022).target == Decimal("2.75")
    client.post("/kelola/kop/target/", {**form, "target": ""})
    assert not IndexTarget.objects.filter(instansi=siak).exists()


@pytest.mark.usefixtures("demo")
def test_a_target_is_set_only_for_the_admins_own_instansi(client: Client) -> None:
    login(client, "admin.sumedang")
    client.post("/kelola/kop/target/", {"year": "2022", "target": "3,00", "basis": ""})
    assert list(IndexTarget.objects.values_list("instansi__slug", flat=True)) == ["kabupaten-sumedang"]
    login(client, "sekda.siak")
    assert client.post("/kelola/kop/target/", {"year": "2022", "target": "3,00"}).status_code in (403, 404)
    assert IndexTarget.objects.count() == 1


def test_the_laporan_hasil_sets_the_index_against_the_national_index_and_the_target(
    siak_2022: Evaluation, tmp_path: Path
) -> None:
    set_index_target(siak_2022.instansi, 2022, Decimal("2.50"), "IKU RPJMD 2021-2026")
    text = pdftotext(build("hasil", siak_2022).content, tmp_path)
    # 2,35 (the tables' index) against the framework file's national 2022 figure, with its source.
    assert f"Indeks ini di atas indeks SPBE nasional tahun 2022 (2,34; sumber: {SOURCE}" in text
    assert "Target indeks daerah (IKU RPJMD 2021-2026) tahun 2022 sebesar 2,50 belum tercapai: kurang 0,15." in text
    assert "This index is above the national SPBE index for 2022 (2.34; source:" in text
    assert "target index (IKU RPJMD 2021-2026) for 2022, 2.50, is not yet met: 0.15 short." in text


def test_a_target_met_and_no_target_at_all(siak_2022: Evaluation, tmp_path: Path) -> None:
    assert "Target indeks daerah" not in pdftotext(build("hasil", siak_2022).content, tmp_path)
    set_index_target(siak_2022.instansi, 2022, Decimal("2.30"))
    text = pdftotext(build("hasil", siak_2022).content, tmp_path)
    assert "Target indeks daerah (IKU) tahun 2022 sebesar 2,30 terlampaui 0,05." in text
    set_index_target(siak_2022.instansi, 2021, Decimal("2.35"))  # another year's target is not this year's
    set_index_target(siak_2022.instansi, 2022, None)
    assert "Target indeks daerah" not in pdftotext(build("hasil", siak_2022).content, tmp_path)


def test_the_one_page_summary_names_the_target_and_the_national_index_on_one_page(
    siak_2022: Evaluation, tmp_path: Path
) -> None:
    set_index_target(siak_2022.instansi, 2022, Decimal("2.35"), "IKU RPJMD 2021-2026")
    content = build("ringkasan", siak_2022).content
    assert len(pdf_pages(content)) == 1
    # Without -layout: the summary sits in a cell beside the figure, which -layout interleaves.
    source = tmp_path / "ringkasan.pdf"
    source.write_bytes(content)
    done = subprocess.run(["pdftotext", str(source), "-"], capture_output=True, text=True, check=True)
    text = " ".join(done.stdout.split())
    assert "Target indeks daerah (IKU RPJMD 2021-2026) tahun 2022 sebesar 2,35 tercapai." in text
    assert "Indeks ini di atas indeks SPBE nasional tahun 2022 (2,34)." in text
    assert f"Sumber indeks nasional: {SOURCE}" in text


def test_one_builder_writes_both_languages(siak_2022: Evaluation) -> None:
    set_index_target(siak_2022.instansi, 2022, Decimal("2.50"))
    ctx = context.hasil(siak_2022)
    found = facts(ctx)
    for language in ("id", "en"):
        with translation.override(language):
            assert sentences(found, ctx) == ctx["summary"][language]
    english = " ".join(ctx["summary"]["en"])
    assert "2.35" in english and "2,35" not in english  # the English text has English digits
    assert "Target indeks" not in english and "indikator" not in english  # every sentence translated


@pytest.mark.usefixtures("demo")
def test_a_target_off_the_frameworks_scale_is_refused_with_the_reason(client: Client) -> None:
    """An IKU target is an index of the year's framework: 59/2020 and Pemdi both run from 1 to 5."""
    login(client, "admin.siak")
    response = client.post("/kelola/kop/target/", {"year": "2022", "target": "5,50", "basis": ""}, follow=True)
    assert response.status_code == 200
    assert "Target 5,50 tidak mungkin: indeks" in response.content.decode()
    assert "berkisar 1,00 sampai 5,00" in response.content.decode()
    assert not IndexTarget.objects.filter(year=2022).exists()
    client.post("/kelola/kop/target/", {"year": "2030", "target": "0,50", "basis": ""})  # no evaluation yet
    assert not IndexTarget.objects.filter(year=2030).exists()
    client.post("/kelola/kop/target/", {"year": "2030", "target": "5,00", "basis": ""})
    assert IndexTarget.objects.get(year=2030).target == Decimal("5.00")
