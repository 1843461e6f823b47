"""The official results come back for Pemdi: the import takes the aspect scores (A1..A7) and the
index, and the evaluation page shows them beside the portal's own stages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from assessment.catalog import read_framework_file
from assessment.models import Evaluation, Framework, Membership
from assessment.services.frameworks import load_framework
from scoring.models import StoredResult
from tests.assessment.pemdi.conftest import FRAMEWORK_DIR, pemdi  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
CODE = "permenpanrb-8-2026"
# Aceh Tengah's published 2026 figures (external assessor, 21 Sep 2026), as a Siak row for the test.
HEADER = "tahun;indeks;predikat;A1;A2;A3;A4;A5;A6;A7"
ROW = "2026;1,24;Kurang;1,75;1,28;1,00;1,17;1,08;1,40;1,18"


@pytest.fixture
def demo(pemdi: Framework) -> Framework:  # noqa: F811
    del pemdi  # requested so the framework is loaded
    v2 = load_framework(read_framework_file(FRAMEWORK_DIR / "pemdi-8-2026.2.json")).framework
    call_command("load_demo", stdout=io.StringIO())
    return v2


def test_pemdi_aspects_and_index_are_imported_and_shown_beside_the_stages(client: Client, demo: Framework) -> None:
    client.force_login(Membership.objects.get(user__username="admin.siak").user)
    form = client.get(f"/indeks/impor/?kerangka={CODE}").content.decode()
    assert HEADER + ";I1;" in form  # the columns come from the chosen framework
    page = client.post("/indeks/impor/", {"kerangka": CODE, "berkas": SimpleUploadedFile(
        "hasil.csv", f"{HEADER}\n{ROW}".encode())}).content.decode()  # fmt: skip
    assert 'data-testid="import-errors"' not in page, page
    assert "1 hasil resmi diimpor." in client.post("/indeks/impor/terapkan/", follow=True).content.decode()
    stored = StoredResult.objects.get(stage="impor", year=2026)
    assert (stored.framework, str(stored.index), stored.predicate) == (demo, "1.24", "Kurang")
    assert stored.groups["A5"]["value"] == "1.08"
    siak = Evaluation.objects.get(instansi__slug="kabupaten-siak", year=2026)
    shown = client.get(f"/indeks/evaluasi/{siak.pk}/").content.decode()
    assert "Hasil resmi (impor)" in shown and "1,24" in shown and "Penilaian Mandiri" in shown


@pytest.mark.usefixtures("demo")
def test_an_aspect_sum_that_does_not_match_the_index_is_refused(client: Client) -> None:
    client.force_login(Membership.objects.get(user__username="admin.siak").user)
    page = client.post("/indeks/impor/", {"kerangka": CODE, "berkas": SimpleUploadedFile(
        "hasil.csv", f"{HEADER}\n2026;1,30;Kurang;1,75;1,28;1,00;1,17;1,08;1,40;1,18".encode())}).content.decode()  # fmt: skip
    assert 'data-testid="import-errors"' in page
    assert not StoredResult.objects.filter(stage="impor").exists()
