"""Import of earlier official results: a dry-run preview with every row's errors, then one write."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from assessment.models import Framework, Instansi
from scoring.models import IMPORTED_STAGE, StoredResult

pytestmark = pytest.mark.django_db
HEADER = "tahun;indeks;predikat;D1;D2;D3;D4"


@pytest.fixture
def demo(framework59: Framework) -> Framework:
    call_command("load_demo", stdout=io.StringIO())
    return framework59


def as_user(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


def upload(client: Client, name: str, content: bytes) -> str:
    response = client.post("/indeks/impor/", {"berkas": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.content.decode()


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def test_an_admin_previews_then_applies_official_results_with_comma_decimals(client: Client, demo: Framework) -> None:
    as_user(client, "admin.siak")
    page = upload(client, "hasil.csv", csv_file("2020;2,12;Cukup;2,50;1,80;2,10;2,20", "2021;2.24;Cukup;2.6;2;2.1;2.3"))
    assert "Pratinjau" in page
    assert 'data-testid="import-errors"' not in page
    assert StoredResult.objects.filter(stage=IMPORTED_STAGE).count() == 0  # a preview writes nothing

    response = client.post("/indeks/impor/terapkan/", follow=True)
    assert "2 hasil resmi diimpor." in response.content.decode()
    siak = Instansi.objects.get(slug="kabupaten-siak")
    stored = {r.year: r for r in StoredResult.objects.filter(instansi=siak, stage=IMPORTED_STAGE)}
    assert str(stored[2020].index) == "2.12"
    assert stored[2020].predicate == "Cukup"
    assert stored[2020].groups["D2"]["value"] == "1.80"
    assert stored[2021].framework == demo
    assert client.post("/indeks/impor/terapkan/", follow=True).content.decode().count("hasil resmi diimpor") == 0


@pytest.mark.usefixtures("demo")
def test_a_malformed_file_lists_each_rows_errors_and_writes_nothing(client: Client) -> None:
    as_user(client, "admin.siak")
    page = upload(
        client,
        "hasil.csv",
        csv_file(
            "2020;2,12;Cukup;2,50;1,80;2,10;2,20",  # fine
            "dua ribu;2,12;Cukup;2,50;1,80;2,10;2,20",  # year
            "2019;3,50;Cukup;2,50;1,80;2,10;2,20",  # index far from the weighted domains
            "2018;2,12;Baik;2,50;1,80;2,10;2,20",  # predikat of another band
            "2017;2,12;Cukup;abc;1,80;2,10;7",  # not a number, out of range
            "2020;2,12;Cukup;2,50;1,80;2,10;2,20",  # the same year twice
        ),
    )
    assert "Baris 3, kolom tahun: Isi tahun dengan empat angka" in page
    assert "Baris 4, kolom indeks: Indeks 3,50 tidak sesuai jumlah tertimbang indeks domain (2,12)." in page
    assert "Baris 5, kolom predikat: Predikat “Baik” tidak sesuai indeks; seharusnya “Cukup”." in page
    assert "Baris 6, kolom D1: “abc” bukan angka (contoh: 2,35)." in page
    assert "Baris 6, kolom D4: Nilai harus antara 1 dan 5" in page
    assert "Baris 7, kolom tahun: Tahun ini sudah ada di baris lain" in page
    assert "tidak ada yang disimpan" in page
    assert 'data-testid="import-apply"' not in page
    assert client.post("/indeks/impor/terapkan/").status_code == 302
    assert StoredResult.objects.filter(stage=IMPORTED_STAGE).count() == 0


@pytest.mark.usefixtures("demo")
def test_an_unreadable_file_is_refused_in_indonesian(client: Client) -> None:
    as_user(client, "admin.siak")
    assert "Unggah berkas .csv atau .xlsx." in upload(client, "hasil.pdf", b"%PDF-1.4")
    assert "Berkas Excel tidak dapat dibaca." in upload(client, "hasil.xlsx", b"bukan excel")
    assert "Berkas kosong." in upload(client, "hasil.csv", b"")


@pytest.mark.usefixtures("demo")
def test_per_indicator_levels_in_excel_are_scored_by_the_engine(client: Client) -> None:
    as_user(client, "admin.siak")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["tahun", *[f"I{n}" for n in range(1, 48)]])
    sheet.append([2021, *[3] * 47])
    sheet.append([2020, *[3] * 46])  # indicator 47 missing
    content = io.BytesIO()
    book.save(content)
    page = upload(client, "hasil.xlsx", content.getvalue())
    assert "Baris 3, kolom I47: Kolom ini wajib diisi." in page

    sheet.delete_rows(3)
    content = io.BytesIO()
    book.save(content)
    page = upload(client, "hasil.xlsx", content.getvalue())
    assert 'data-testid="import-errors"' not in page
    client.post("/indeks/impor/terapkan/")
    stored = StoredResult.objects.get(stage=IMPORTED_STAGE, year=2021)
    assert (str(stored.index), stored.predicate) == ("3.00", "Baik")
    assert stored.indicator_levels["47"] == "3"
    assert stored.groups["A8"]["value"] == "3.00"  # aspects too, as the engine computes them


@pytest.mark.usefixtures("demo")
def test_an_admin_imports_only_for_its_own_instansi(client: Client) -> None:
    as_user(client, "admin.siak")
    page = upload(client, "hasil.csv", csv_file("2020;kabupaten-sumedang;2,12;Cukup;2,50;1,80;2,10;2,20",
                                                 header="tahun;instansi;indeks;predikat;D1;D2;D3;D4"))  # fmt: skip
    assert "Baris 2, kolom instansi: Anda hanya dapat mengimpor hasil instansi Anda sendiri." in page


@pytest.mark.usefixtures("demo")
def test_a_superuser_imports_for_several_instansi_by_slug(client: Client) -> None:
    client.force_login(get_user_model().objects.create_superuser("pusat", "pusat@example.go.id", "x"))
    header = "tahun;instansi;indeks;predikat;D1;D2;D3;D4"
    page = upload(client, "hasil.csv", csv_file("2020;kabupaten-siak;2,12;;2,50;1,80;2,10;2,20",
                                                "2020;kota-entah;2,12;;2,50;1,80;2,10;2,20", header=header))  # fmt: skip
    assert "Baris 3, kolom instansi: Instansi “kota-entah” tidak dikenal." in page
    upload(client, "hasil.csv", csv_file("2020;kabupaten-siak;2,12;;2,50;1,80;2,10;2,20",
                                         "2020;kabupaten-sumedang;3,00;Baik;3;3;3;3", header=header))  # fmt: skip
    client.post("/indeks/impor/terapkan/")
    assert sorted(StoredResult.objects.filter(stage=IMPORTED_STAGE).values_list("instansi__slug", "predicate")) == [
        ("kabupaten-siak", "Cukup"),  # a blank predikat is read from the index
        ("kabupaten-sumedang", "Baik"),
    ]


@pytest.mark.parametrize("username", ["sekda.siak", "verifikator.siak", "opd.diskominfo.siak"])
@pytest.mark.usefixtures("demo")
def test_only_admins_import(client: Client, username: str) -> None:
    as_user(client, username)
    assert client.get("/indeks/impor/").status_code == 404
    assert client.post("/indeks/impor/terapkan/").status_code == 404
    assert client.get("/indeks/impor/templat.csv").status_code == 404


@pytest.mark.usefixtures("demo")
def test_the_templates_carry_the_frameworks_columns(client: Client) -> None:
    as_user(client, "admin.siak")
    text = client.get("/indeks/impor/templat.csv").content.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:8] == ["tahun", "indeks", "predikat", "D1", "D2", "D3", "D4", "I1"]
    assert header[-1] == "I47"
    response = client.get("/indeks/impor/templat.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["tahun", "indeks", "predikat", "D1"]
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.usefixtures("demo")
def test_an_imported_result_of_the_same_year_sits_beside_the_stages(client: Client) -> None:
    as_user(client, "admin.siak")
    upload(client, "hasil.csv", csv_file("2022;2,36;Cukup;2,36;2,36;2,36;2,36"))
    client.post("/indeks/impor/terapkan/")
    evaluation = StoredResult.objects.get(stage=IMPORTED_STAGE).instansi.evaluations.get(year=2022)
    page = client.get(f"/indeks/evaluasi/{evaluation.pk}/").content.decode()
    assert "Hasil resmi (impor)" in page
    assert "2,36" in page
    assert "2,35" in page  # the portal's own figure stays


@pytest.mark.usefixtures("demo")
def test_a_file_with_too_many_rows_is_refused_before_any_row_is_checked(client: Client) -> None:
    as_user(client, "admin.siak")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["tahun", "indeks"])
    for _ in range(1005):
        sheet.append([2020, "2,12"])
    content = io.BytesIO()
    book.save(content)
    assert "Terlalu banyak baris (maksimal 1000)." in upload(client, "hasil.xlsx", content.getvalue())
    assert "Terlalu banyak baris" in upload(client, "hasil.csv", csv_file(*["2020;2,12"] * 1001))
