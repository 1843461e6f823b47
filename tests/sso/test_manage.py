"""The instansi admin records a member's NIP on the user page, sees the link state, and unlinks;
the matrix (tests/test_permission_matrix.py) covers the other roles and instansi."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assessment.models import Membership, Role
from sso.models import SsoIdentity
from tests.factories import MembershipFactory, OpdFactory
from tests.oidc.provider import KEY, USERS, sign_in_at_provider

pytestmark = pytest.mark.django_db
NIP = USERS["asn.dikenal"]["nip"]


@pytest.fixture
def pair(sso_settings: Any) -> tuple[Membership, Membership]:
    del sso_settings  # requested so SSO is configured
    opd = OpdFactory()
    admin = MembershipFactory(instansi=opd.instansi, role=Role.ADMIN, user__username="admin.uji")
    staff = MembershipFactory(instansi=opd.instansi, role=Role.OPD, opd=opd, user__username="opd.uji")
    return admin, staff


def test_admin_records_a_nip_and_its_owner_signs_in_through_sso(client: Client, pair: Any) -> None:
    admin, staff = pair
    client.force_login(admin.user)
    spaced = f"{NIP[:8]} {NIP[8:14]} {NIP[14]} {NIP[15:]}"
    response = client.post(f"/kelola/pengguna/{staff.pk}/nip/", {"nip": spaced}, follow=True)
    assert "NIP dicatat" in response.content.decode()
    identity = SsoIdentity.objects.get(user=staff.user)
    assert (identity.nip, identity.invited_by_id, identity.linked_at) == (NIP, admin.user.pk, None)
    page = client.get(f"/kelola/pengguna/{staff.pk}/").content.decode()
    assert NIP in page and "Belum pernah" in page

    owner = Client()
    start = owner.get(f"/sso/{KEY}/masuk/")
    assert owner.get(sign_in_at_provider(start["Location"], "asn.dikenal", "http://testserver/"))["Location"] == "/"
    assert owner.session["_auth_user_id"] == str(staff.user.pk)
    page = client.get(f"/kelola/pengguna/{staff.pk}/").content.decode()
    assert f"Ya ({KEY}," in page and "Belum pernah" not in page

    response = client.post(f"/kelola/pengguna/{staff.pk}/putus-sso/", follow=True)
    assert "SSO diputus" in response.content.decode()
    assert not SsoIdentity.objects.filter(user=staff.user).exists()


def test_a_malformed_or_taken_nip_is_refused_with_a_message(client: Client, pair: Any) -> None:
    admin, staff = pair
    client.force_login(admin.user)
    response = client.post(f"/kelola/pengguna/{staff.pk}/nip/", {"nip": "1234"}, follow=True)
    assert "NIP terdiri atas 18 angka." in response.content.decode()
    client.post(f"/kelola/pengguna/{admin.pk}/nip/", {"nip": NIP})
    response = client.post(f"/kelola/pengguna/{staff.pk}/nip/", {"nip": NIP}, follow=True)
    assert "NIP ini sudah tercatat pada akun lain" in response.content.decode()
    assert list(SsoIdentity.objects.values_list("user_id", flat=True)) == [admin.user.pk]


def test_changing_the_nip_drops_the_old_link(client: Client, pair: Any) -> None:
    admin, staff = pair
    SsoIdentity.objects.create(user=staff.user, nip=NIP, provider=KEY, subject="asn.dikenal",
                               linked_at="2026-01-01T00:00:00Z")  # fmt: skip
    client.force_login(admin.user)
    client.post(f"/kelola/pengguna/{staff.pk}/nip/", {"nip": "199001012015031001"})
    identity = SsoIdentity.objects.get(user=staff.user)
    assert (identity.nip, identity.subject, identity.linked_at) == ("199001012015031001", "", None)
