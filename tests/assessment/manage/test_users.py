"""The admin creates accounts, changes roles and OPDs, and deactivates users (ending their sessions)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Instansi, Membership, Opd, Role
from tests.factories import MembershipFactory, OpdFactory

pytestmark = pytest.mark.django_db

NEW = "/kelola/pengguna/baru/"
PASSWORD = "lembayung-senja-di-siak-2026"


def new_user(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "opd.bkpsdm.contoh",
        "first_name": "Yusuf",
        "last_name": "Maulana",
        "email": "yusuf@contoh.go.id",
        "role": Role.OPD,
        "opd": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


def edit_data(member: Membership, **overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": member.user.first_name or "Nama",
        "last_name": member.user.last_name,
        "email": member.user.email,
        "role": member.role,
        "opd": member.opd_id or "",
        "is_active": "on",
    }
    return {k: v for k, v in {**data, **overrides}.items() if v is not None}


def test_the_user_urls_are_where_the_admin_expects_them() -> None:
    assert reverse("assessment:manage-users") == "/kelola/pengguna/"
    assert reverse("assessment:manage-user-new") == NEW
    assert reverse("assessment:manage-user", args=[3]) == "/kelola/pengguna/3/"


def test_the_admin_creates_an_opd_operator_who_can_then_log_in(
    admin_client: Client, instansi: Instansi, bkpsdm: Opd
) -> None:
    response = admin_client.post(NEW, new_user(opd=bkpsdm.pk))
    assert response.status_code == 302
    member = Membership.objects.select_related("user").get(user__username="opd.bkpsdm.contoh")
    assert (member.instansi, member.role, member.opd) == (instansi, Role.OPD, bkpsdm)
    assert member.user.get_full_name() == "Yusuf Maulana"
    assert member.user.check_password(PASSWORD)
    login = Client().post("/accounts/login/", {"username": "opd.bkpsdm.contoh", "password": PASSWORD})
    assert login.status_code == 302


@pytest.mark.usefixtures("bkpsdm")
def test_an_operator_without_an_opd_is_refused_with_the_typed_values_kept(admin_client: Client) -> None:
    response = admin_client.post(NEW, new_user())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pilih OPD untuk Operator OPD." in page
    assert 'value="opd.bkpsdm.contoh"' in page
    assert 'value="yusuf@contoh.go.id"' in page
    assert not get_user_model().objects.filter(username="opd.bkpsdm.contoh").exists()


@pytest.mark.usefixtures("bkpsdm")
def test_an_opd_of_another_instansi_is_not_a_valid_choice(admin_client: Client) -> None:
    foreign = OpdFactory(short_name="OPD Tetangga")
    page = admin_client.post(NEW, new_user(opd=foreign.pk)).content.decode()
    assert "Masukkan pilihan yang valid" in page
    assert "OPD Tetangga" not in page
    assert not get_user_model().objects.filter(username="opd.bkpsdm.contoh").exists()


@pytest.mark.parametrize("opd", ["99999999999999999999999", "abc", "-1"])
def test_an_absurd_opd_id_is_an_invalid_choice_not_a_500(admin_client: Client, opd: str) -> None:
    response = admin_client.post(NEW, new_user(opd=opd))
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()


def test_a_weak_password_is_refused_with_djangos_validators_in_indonesian(admin_client: Client) -> None:
    page = admin_client.post(NEW, new_user(role=Role.SEKDA, password1="12345", password2="12345")).content.decode()
    assert "Kata sandi terlalu pendek" in page
    assert "Kata sandi ini terlalu umum." in page
    # No composition rules (NIST 800-63B, issue 6): length and the common list refuse "12345".
    assert "seluruhnya terdiri dari angka" not in page
    assert PASSWORD not in page  # passwords are never echoed back


def test_mismatched_passwords_are_refused(admin_client: Client) -> None:
    page = admin_client.post(NEW, new_user(role=Role.SEKDA, password2=PASSWORD + "x")).content.decode()
    assert "Kedua kata sandi tidak sama." in page


@pytest.mark.usefixtures("admin")
def test_a_taken_username_is_refused_whatever_its_case(admin_client: Client) -> None:
    page = admin_client.post(NEW, new_user(username="Admin.Contoh", role=Role.SEKDA)).content.decode()
    assert "Nama pengguna “Admin.Contoh” sudah dipakai." in page
    assert get_user_model().objects.count() == 1


def test_an_unknown_role_is_refused_not_a_500(admin_client: Client) -> None:
    response = admin_client.post(NEW, new_user(role="superuser"))
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()


def test_a_non_operator_role_keeps_no_opd(admin_client: Client, bkpsdm: Opd) -> None:
    admin_client.post(NEW, new_user(role=Role.VERIFIKATOR, opd=bkpsdm.pk))
    member = Membership.objects.get(user__username="opd.bkpsdm.contoh")
    assert (member.role, member.opd) == (Role.VERIFIKATOR, None)


def test_the_admin_moves_an_operator_to_another_opd_and_renames_them(
    admin_client: Client, bkpsdm: Opd, diskominfo: Opd
) -> None:
    member = MembershipFactory(instansi=bkpsdm.instansi, role=Role.OPD, opd=bkpsdm)
    url = reverse("assessment:manage-user", args=[member.pk])
    response = admin_client.post(url, edit_data(member, first_name="Nur", last_name="Aisyah", opd=diskominfo.pk))
    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.opd, member.user.get_full_name(), member.user.is_active) == (diskominfo, "Nur Aisyah", True)


def test_deactivating_a_user_logs_out_their_open_session(admin_client: Client, bkpsdm: Opd) -> None:
    member = MembershipFactory(instansi=bkpsdm.instansi, role=Role.OPD, opd=bkpsdm)
    theirs = Client()
    theirs.force_login(member.user)
    assert theirs.get("/notifikasi/").status_code == 200
    session_key = theirs.session.session_key

    response = admin_client.post(reverse("assessment:manage-user", args=[member.pk]), edit_data(member, is_active=None))

    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.is_active is False
    assert not Session.objects.filter(session_key=session_key).exists()
    next_request = theirs.get("/notifikasi/")
    assert next_request.status_code == 302
    assert next_request["Location"].startswith("/accounts/login/")
    assert admin_client.get("/kelola/pengguna/").status_code == 200  # the admin's own session survives


def test_an_admin_cannot_deactivate_themselves(admin_client: Client, admin: Membership) -> None:
    url = reverse("assessment:manage-user", args=[admin.pk])
    page = admin_client.post(url, edit_data(admin, is_active=None, first_name="Rahmat Baru")).content.decode()
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in page
    assert 'value="Rahmat Baru"' in page
    admin.user.refresh_from_db()
    assert (admin.user.is_active, admin.user.first_name) == (True, "Rahmat")


def test_an_admin_cannot_remove_their_own_admin_role(admin_client: Client, admin: Membership) -> None:
    url = reverse("assessment:manage-user", args=[admin.pk])
    page = admin_client.post(url, edit_data(admin, role=Role.SEKDA)).content.decode()
    assert "Anda tidak dapat melepas peran admin dari akun Anda sendiri." in page
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_an_admin_may_demote_another_admin(admin_client: Client, instansi: Instansi) -> None:
    other = MembershipFactory(instansi=instansi, role=Role.ADMIN)
    admin_client.post(reverse("assessment:manage-user", args=[other.pk]), edit_data(other, role=Role.SEKDA))
    other.refresh_from_db()
    assert other.role == Role.SEKDA


def test_the_user_list_shows_name_role_opd_and_status_of_own_members_only(
    admin_client: Client, instansi: Instansi, bkpsdm: Opd
) -> None:
    MembershipFactory(
        instansi=instansi, role=Role.OPD, opd=bkpsdm, user__username="opd.nonaktif", user__is_active=False
    )
    MembershipFactory(user__username="orang.tetangga")
    page = admin_client.get("/kelola/pengguna/").content.decode()
    assert "admin.contoh" in page
    assert "opd.nonaktif" in page
    assert "Operator OPD" in page
    assert "Nonaktif" in page
    assert "orang.tetangga" not in page


@pytest.mark.usefixtures("bkpsdm")
def test_the_user_list_costs_the_same_queries_for_3_and_30_users(admin_client: Client, instansi: Instansi) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/kelola/pengguna/").status_code == 200
        return len(captured)

    for _ in range(2):
        MembershipFactory(instansi=instansi, role=Role.OPD, opd=OpdFactory(instansi=instansi))
    few = queries()
    for _ in range(27):
        MembershipFactory(instansi=instansi, role=Role.OPD, opd=OpdFactory(instansi=instansi))
    assert queries() == few
