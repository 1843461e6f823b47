"""The admin lists, adds and edits the instansi's OPDs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Instansi, Opd, Role
from tests.factories import MembershipFactory, OpdFactory

pytestmark = pytest.mark.django_db

URL = "/kelola/opd/"


def test_the_opd_urls_are_where_the_admin_expects_them() -> None:
    assert reverse("assessment:manage-opds") == URL
    assert reverse("assessment:manage-opd", args=[7]) == "/kelola/opd/7/"
    assert reverse("assessment:manage") == "/kelola/"


def test_the_admin_adds_an_opd_and_sees_it_listed(admin_client: Client, instansi: Instansi) -> None:
    response = admin_client.post(URL, {"code": "BKPSDM", "short_name": "BKPSDM", "name": "Badan Kepegawaian"})
    assert response.status_code == 302
    opd = Opd.objects.get(instansi=instansi)
    assert (opd.code, opd.short_name, opd.name) == ("bkpsdm", "BKPSDM", "Badan Kepegawaian")  # code lower-cased
    page = admin_client.get(URL).content.decode()
    assert "OPD BKPSDM ditambahkan." in page
    assert "Badan Kepegawaian" in page


@pytest.mark.usefixtures("bkpsdm")
def test_a_duplicate_code_is_refused_in_indonesian_with_the_typed_values_kept(admin_client: Client) -> None:
    response = admin_client.post(URL, {"code": "bkpsdm", "short_name": "BKD Baru", "name": "Badan Kepegawaian Baru"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kode “bkpsdm” sudah dipakai OPD lain di instansi ini." in page
    assert 'value="BKD Baru"' in page
    assert 'value="Badan Kepegawaian Baru"' in page
    assert Opd.objects.filter(code="bkpsdm").count() == 1


def test_the_same_code_is_fine_in_another_instansi(admin_client: Client, instansi: Instansi) -> None:
    OpdFactory(code="bkpsdm")  # a neighbour's
    response = admin_client.post(URL, {"code": "bkpsdm", "short_name": "BKPSDM", "name": "Badan Kepegawaian"})
    assert response.status_code == 302
    assert Opd.objects.filter(instansi=instansi, code="bkpsdm").exists()


def test_a_code_that_is_not_a_slug_and_empty_names_are_explained_in_indonesian(admin_client: Client) -> None:
    page = admin_client.post(URL, {"code": "dinas kominfo!", "short_name": "", "name": ""}).content.decode()
    assert "Masukkan “slug” valid" in page
    assert "Bidang ini tidak boleh kosong." in page
    assert 'value="dinas kominfo!"' in page
    assert not Opd.objects.exists()


def test_the_admin_edits_an_opd(admin_client: Client, bkpsdm: Opd) -> None:
    url = reverse("assessment:manage-opd", args=[bkpsdm.pk])
    assert 'value="bkpsdm"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"code": "bkpsdm", "short_name": "BKD", "name": "Badan Kepegawaian Daerah"})
    assert response.status_code == 302
    bkpsdm.refresh_from_db()
    assert (bkpsdm.short_name, bkpsdm.name) == ("BKD", "Badan Kepegawaian Daerah")


@pytest.mark.usefixtures("bkpsdm")
def test_an_edit_cannot_take_the_code_of_a_sibling_opd(admin_client: Client, diskominfo: Opd) -> None:
    url = reverse("assessment:manage-opd", args=[diskominfo.pk])
    page = admin_client.post(url, {"code": "bkpsdm", "short_name": "X", "name": "Y"}).content.decode()
    assert "Kode “bkpsdm” sudah dipakai OPD lain di instansi ini." in page
    diskominfo.refresh_from_db()
    assert diskominfo.code == "diskominfo"


@pytest.mark.usefixtures("admin")
def test_the_opd_list_lists_only_the_admins_own_opds_with_their_staff(admin_client: Client, bkpsdm: Opd) -> None:
    OpdFactory(short_name="OPD Tetangga")
    MembershipFactory(instansi=bkpsdm.instansi, role=Role.OPD, opd=bkpsdm)
    page = admin_client.get(URL).content.decode()
    assert "BKPSDM" in page
    assert "OPD Tetangga" not in page


def test_the_opd_list_costs_the_same_queries_for_3_and_12_opds(admin_client: Client, instansi: Instansi) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(URL).status_code == 200
        return len(captured)

    for _ in range(3):
        MembershipFactory(instansi=instansi, role=Role.OPD, opd=OpdFactory(instansi=instansi))
    few = queries()
    for _ in range(9):
        MembershipFactory(instansi=instansi, role=Role.OPD, opd=OpdFactory(instansi=instansi))
    assert Opd.objects.filter(instansi=instansi).count() == 12
    assert queries() == few
