"""Input the portal did not expect gets a clear answer, never a 500 (issue 17, defects 1-5).

Each case was answered 500 by the production deployment: huge numbers (`1e30`, forty 9s),
digits that are not ASCII (`²`, `١٢`), a NUL byte in an API filter, a carry-over `next=` that is
not a path, a CSV cell over csv's field limit. The test client re-raises a view's exception, so
a regression fails here with the traceback.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from assessment import questionnaire
from assessment.models import Membership
from scoring.models import Scenario, StoredResult
from tests.api.conftest import token_client
from tests.world import World

pytestmark = pytest.mark.django_db


def test_overwrite_version_in_foreign_digits_saves_against_the_form_version(client: Client, world: World) -> None:
    client.force_login(world.a.users["opd.bkpsdm"])
    data = {"explanation": "baru", "version": world.answer.version, "value": "3", "overwrite": "1",
            "overwrite_version": "²"}  # fmt: skip
    assert client.post(f"/penilaian/jawaban/{world.answer.pk}/simpan/", data).status_code == 302
    world.answer.refresh_from_db()
    assert world.answer.explanation == "baru"


@pytest.mark.parametrize(
    "query",
    ["age=²", "age=١٢", "opd=²", "domain=١٢", "age=1000000", "age=" + "9" * 40, "opd=" + "9" * 40, "domain=%00"],
)
def test_review_queue_filters_ignore_what_is_not_a_number(client: Client, world: World, query: str) -> None:
    client.force_login(world.a.users["verifikator"])
    assert client.get(f"/penilaian/periksa/?{query}").status_code == 200


@pytest.mark.parametrize("year", ["²", "١٢", "9" * 40, "%00"])
def test_the_ranking_year_ignores_what_is_not_a_number(client: Client, world: World, year: str) -> None:
    client.force_login(world.a.users["sekda"])
    assert client.get(f"/?tahun={year}").status_code == 200


@pytest.mark.parametrize("raw", ["²", "١٢", "9" * 40])
def test_marking_a_notification_read_with_a_foreign_id_is_404(client: Client, world: World, raw: str) -> None:
    client.force_login(world.a.users["sekda"])
    assert client.post("/notifikasi/baca/", {"id": raw}).status_code == 404


@pytest.mark.parametrize("raw", ["²", "١٢", "9" * 40, "1e30"])
def test_the_simulator_refuses_foreign_digits_and_saves_nothing(client: Client, world: World, raw: str) -> None:
    client.force_login(world.a.users["sekda"])
    response = client.post(f"/indeks/evaluasi/{world.evaluation.pk}/simulasi/simpan/", {"name": "x", "i1": raw})
    assert response.status_code in (200, 302, 400) and not Scenario.objects.exists()
    assert client.get(f"/indeks/evaluasi/{world.evaluation.pk}/simulasi/?skenario=²").status_code == 404
    assert client.get(f"/indeks/evaluasi/{world.evaluation.pk}/rencana/?target={raw}").status_code == 200


@pytest.mark.parametrize("query", ["year=²", "year=١٢", "year=" + "9" * 40, "instansi=%00", "instansi=a%00b"])
def test_api_filters_with_foreign_digits_or_nul_answer_an_empty_list(world: World, query: str) -> None:
    response = token_client(world.a.users["sekda"]).get(f"/api/v1/evaluations/?{query}")
    assert response.status_code == 200 and response.json()["results"] == []


def test_carry_over_with_a_next_that_is_not_a_path_goes_back_to_a_page_of_the_portal(
    client: Client, world: World
) -> None:
    client.force_login(world.a.users["admin"])
    response = client.post(f"/penilaian/evaluasi/{world.evaluation.pk}/bawa-bukti/", {"next": "bukan-url"})
    assert response.status_code == 302 and response["Location"].startswith("/")
    response = client.post(f"/penilaian/evaluasi/{world.evaluation.pk}/bawa-bukti/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]


def questionnaire_book(number: Any, level: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["No", "Kode", "Penilaian Mandiri", "Penjelasan"])
    sheet.append([number, "I36", level, "a"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("number", "level"), [(36, "1e30"), (36, 1e300), (36, "9" * 40), (36, "\u0661"), ("\u0663\u0666", 3),
                                               ("9" * 40, 3), ("²", 3)])  # fmt: skip
def test_the_excel_questionnaire_import_reports_huge_and_foreign_numbers_as_row_errors(
    world: World, number: Any, level: Any
) -> None:
    member = Membership.objects.select_related("opd").get(user=world.a.users["opd.bkpsdm"])
    plan = questionnaire.read_plan(world.evaluation, member, questionnaire_book(number, level))
    assert [e.row for e in plan.errors] == [2] and plan.changes == []


def official_import(client: Client, world: World, name: str, content: bytes) -> str:
    client.force_login(world.a.users["admin"])
    response = client.post("/indeks/impor/", {"berkas": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert not StoredResult.objects.exists()
    return response.content.decode()


@pytest.mark.parametrize("cell", ["1e30", "9" * 40, "²", "١٢"])
def test_the_official_results_import_reports_huge_and_foreign_numbers(client: Client, world: World,
                                                                      cell: str) -> None:  # fmt: skip
    page = official_import(client, world, "hasil.csv", f"tahun;indeks;D1;D2;D3;D4\n{cell};{cell};2;2;2;2\n".encode())
    assert "bukan angka" in page or "Isi tahun" in page


def test_a_huge_xlsx_cell_in_the_official_results_import_is_a_row_error(client: Client, world: World) -> None:
    book = Workbook()
    book.active.append(["tahun", "indeks", "D1", "D2", "D3", "D4"])
    book.active.append([2024, 1e300, Decimal("1e30"), 2, 2, 2])
    out = io.BytesIO()
    book.save(out)
    assert "bukan angka" in official_import(client, world, "hasil.xlsx", out.getvalue())


def test_a_csv_cell_over_the_field_limit_is_refused_with_a_reason(client: Client, world: World) -> None:
    content = b"tahun;indeks;D1;D2;D3;D4\n2024;" + b"x" * 140_000 + b";2;2;2;2\n"
    assert "Berkas CSV tidak dapat dibaca" in official_import(client, world, "hasil.csv", content)
