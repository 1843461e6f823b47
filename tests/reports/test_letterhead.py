"""The instansi's letterhead on the PDFs: emblem, lines, document number and signature block."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from assessment.demo_letterhead import LETTERHEADS
from assessment.models import DocumentNumber, Evaluation, Letterhead, Membership
from assessment.services.identity import assign_number
from reports import services
from reports.models import Report
from reports.rendering import Numberer, build
from tests.reports.conftest import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
OUT = os.environ.get("REPORT_PREVIEW_DIR", "")  # set to look at the rendered pages by eye


def numbered(evaluation: Evaluation) -> Numberer:
    return lambda kind, opd: assign_number(evaluation, kind, opd)


def page_png(content: bytes, page: int, tmp_path: Path, dpi: int = 60) -> Image.Image:
    source = tmp_path / "doc.pdf"
    source.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(source), str(tmp_path / "p")],
        check=True,
    )
    (png,) = sorted(tmp_path.glob("p-*.png"))
    if OUT:
        Path(OUT).mkdir(exist_ok=True)
        png.rename(Path(OUT) / f"{tmp_path.name}-{page}.png")
        return Image.open(Path(OUT) / f"{tmp_path.name}-{page}.png").convert("RGB")
    return Image.open(png).convert("RGB")


def test_the_laporan_hasil_carries_siaks_letterhead_number_and_signature(siak_2022: Evaluation) -> None:
    document = build("hasil", siak_2022, number=numbered(siak_2022))
    pages = pdf_pages(document.content)
    first = " ".join(pages[0].split())
    siak = LETTERHEADS["kabupaten-siak"]
    assert "PEMERINTAH KABUPATEN SIAK" in first and "SEKRETARIAT DAERAH" in first
    assert siak["address"] in first
    assert "siakkab.go.id" in first and "setda@siakkab.go.id" in first and "(0764) 20000 (demo)" in first
    number = DocumentNumber.objects.get(evaluation=siak_2022, key="hasil::")
    assert number.text == f"000.8/1/Setda-Diskominfo/{number.year}"
    assert f"Nomor: {number.text}" in first
    last = " ".join(pages[-1].split())
    assert "Siak Sri Indrapura," in last and "Sekretaris Daerah selaku Koordinator SPBE" in last
    assert "Drs. Arfan Usman, M.Si." in last and "NIP 19700101 199503 1 001" in last


def test_the_emblem_is_drawn_on_page_one(siak_2022: Evaluation, tmp_path: Path) -> None:
    document = build("hasil", siak_2022)
    reader = PdfReader(io.BytesIO(document.content))
    stored = Letterhead.objects.get(instansi=siak_2022.instansi).emblem
    with stored.open("rb") as emblem:
        size = Image.open(emblem).size
    assert size in [image.image.size for image in reader.pages[0].images if image.image is not None]
    image = page_png(document.content, 1, tmp_path)
    # The placeholder shield's green field (#1b5e20), top left where the emblem cell is.
    corner = image.crop((0, 0, image.width // 3, image.height // 6))
    greens = sum(1 for r, g, b in corner.get_flattened_data() if g > r + 40 and g > b + 40 and g < 140)  # type: ignore[misc]
    assert greens > 50


def test_a_number_is_assigned_once_and_kept_across_rebuilds(siak_2022: Evaluation) -> None:
    first = assign_number(siak_2022, "hasil", None)
    assert assign_number(siak_2022, "hasil", None) == first
    other = assign_number(siak_2022, "berita-acara", None)
    assert other != first and other.startswith("000.8/2/")
    report = Report.objects.create(evaluation=siak_2022, kind="hasil", fingerprint="a")
    services.run(report.pk)
    rebuilt = Report.objects.create(evaluation=siak_2022, kind="hasil", fingerprint="b", version=2)
    services.run(rebuilt.pk)
    for built in Report.objects.filter(pk__in=[report.pk, rebuilt.pk]):
        with built.file.open("rb") as stored:
            assert f"Nomor: {first}" in pdf_text(stored.read())
    assert DocumentNumber.objects.filter(instansi=siak_2022.instansi).count() == 2


def test_the_berita_acara_prints_its_number(siak_2022: Evaluation) -> None:
    text = pdf_text(build("berita-acara", siak_2022, number=numbered(siak_2022)).content)
    number = DocumentNumber.objects.get(evaluation=siak_2022, key="berita-acara::").text
    assert f"Nomor: {number}" in text


@pytest.mark.usefixtures("demo")
def test_sumedangs_documents_carry_sumedangs_letterhead() -> None:
    from tests.reports.conftest import evaluation

    sumedang = evaluation(2022, "kabupaten-sumedang")
    text = pdf_text(build("hasil", sumedang).content)
    assert "PEMERINTAH KABUPATEN SUMEDANG" in text and "Jalan Prabu Geusan Ulun Nomor 36" in text
    assert "KABUPATEN SIAK" not in text and "siakkab" not in text


@pytest.mark.usefixtures("demo")
def test_the_admin_sets_the_letterhead_and_a_bad_emblem_keeps_the_text(client: Client) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin.siak"))
    before = Letterhead.objects.get(instansi__slug="kabupaten-siak").emblem.name
    form = {
        "heading": "PEMERINTAH KABUPATEN SIAK\nDINAS KOMINFO", "address": "Jalan Baru 1", "phone": "", "website": "",
        "email": "", "number_pattern": "045/{n}/{bulan}/{tahun}", "place": "Siak", "signer_name": "X", "signer_nip": "",
    }  # fmt: skip
    bad = io.BytesIO(b"GIF89a not an emblem")
    bad.name = "lambang.gif"
    response = client.post("/kelola/kop/", {**form, "emblem": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lambang harus berkas PNG atau SVG." in page and "Jalan Baru 1" in page
    letterhead = Letterhead.objects.get(instansi__slug="kabupaten-siak")
    assert letterhead.address != "Jalan Baru 1" and letterhead.emblem.name == before
    response = client.post("/kelola/kop/", {**form, "number_pattern": "045/{tahun}"})
    assert "harus memuat {n}" in response.content.decode()
    assert client.post("/kelola/kop/", form).status_code == 302
    letterhead.refresh_from_db()
    assert (letterhead.address, letterhead.number_pattern, letterhead.heading_lines[1]) == (
        "Jalan Baru 1", "045/{n}/{bulan}/{tahun}", "DINAS KOMINFO",
    )  # fmt: skip


@pytest.mark.parametrize("username", ["sekda.siak", "verifikator.siak", "opd.bkpsdm.siak"])
@pytest.mark.usefixtures("demo")
def test_only_the_admin_reaches_the_letterhead_page(client: Client, username: str) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    assert client.get("/kelola/kop/").status_code in (403, 404)
    assert client.post("/kelola/kop/", {"heading": "X", "number_pattern": "{n}"}).status_code in (403, 404)
    assert Letterhead.objects.get(instansi__slug="kabupaten-siak").heading.startswith("PEMERINTAH KABUPATEN SIAK")


def test_a_new_letterhead_makes_a_new_version_of_the_report(siak_2022: Evaluation) -> None:
    sekda = Membership.objects.get(user__username="sekda.siak")
    first, _ = services.request_report(sekda, siak_2022, "hasil")
    assert services.request_report(sekda, siak_2022, "hasil") == (first, False)  # nothing changed
    Letterhead.objects.filter(instansi=siak_2022.instansi).update(address="Jalan Sultan Syarif Kasim 1")
    second, created = services.request_report(sekda, siak_2022, "hasil")
    assert created
    assert (second.pk != first.pk, second.version) == (True, 2)
